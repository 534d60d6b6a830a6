"""``proxies+fd``: what the program writes to file descriptors 1 and 2, recorded and forwarded.

:class:`FdCapture` points fds 1 and 2 at channels (:mod:`recorder.tracing.fdchannel`) and starts
one reader thread, ``codetracer-fd-reader``, which forwards every byte it reads, unchanged and in
order, to the original descriptor, then reports what the stream proxies did not report already
(:mod:`recorder.tracing.fdledger`) to ``on_output(kind, stream, text)``. That callback runs on the
reader thread; the recording queues the text (``TraceWriter.post``): such ``Event`` records carry
no thread, frame or line. The reader is the recorder's own code: it is never traced (the tracers
record only the recorded thread; multi-thread recording skips threads named ``codetracer-``).

**Ending** (:meth:`FdCapture.detach`, idempotent): the Python text streams and the C ``stdio``
buffers are flushed into the channel, fds 1 and 2 are restored, and the reader drains what is
left until every writer has closed the channel or :data:`DRAIN_SECONDS` have passed, whichever
comes first. A child process that still holds the channel then can no longer hang the recorder:
the reader stops, the channel is closed, and what the child writes later is lost (a pipe gives it
``EPIPE``). Fds are restored by the session's stop, before interpreter finalization; an
``atexit`` hook restores them for a program that never stops its session.

**Forking.** On Python 3.12+ ``os.fork()`` warns (``DeprecationWarning``) in a process with more
than one thread, which the reader makes this process. While fd capture is on, that one warning
is filtered out, since the program untraced would not get it (a program with threads of its own
does not get it either while recorded). A forked child leaves the fds as they are: its output goes
through the parent's channel and is recorded there.
"""

from __future__ import annotations

import atexit
import codecs
import contextlib
import os
import select
import sys
import threading
import time
import warnings
from collections.abc import Callable
from typing import cast

from recorder.tracing.fdchannel import Channel, open_channels
from recorder.tracing.fdledger import Ledger

__all__ = ["DRAIN_SECONDS", "READER_NAME", "FdCapture"]

#: How long the reader may go on draining after fds 1 and 2 are restored.
DRAIN_SECONDS = 1.0
#: How long the reader waits after the first byte of a burst before reading it (forwarding
#: latency, invisible on a terminal; it saves a read, a write and a GIL switch per small write).
COALESCE_SECONDS = 0.002
READER_NAME = "codetracer-fd-reader"
_FORK_WARNING = r"This process \(pid=\d+\) is multi-threaded, use of fork\(\) may lead"
_READ_SIZE = 1 << 16
#: Reads allowed after the drain's deadline for what was already in the channels (64 KiB each).
_FINAL_READS = 64

#: ``on_output(kind, stream, text)``: unattributed output read from a channel.
OnOutput = Callable[[int, str, str], None]


def _flush_c_stdio() -> None:
    """``fflush(NULL)``: C code's buffered output goes into the channel before it is removed."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None).fflush(None)


def _flush_python_streams() -> None:
    # Flushed, never written: text the program wrote must reach the channel before it goes.
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):  # noqa: REC006
        with contextlib.suppress(Exception):
            if stream is not None:
                stream.flush()


def _write_all(fd: int, data: bytes) -> bool:
    """Forward ``data`` to ``fd`` whole; False when the destination is gone (``EPIPE`` ...)."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:  # someone made the destination non-blocking: wait for room
            waiter = select.poll()
            waiter.register(fd, select.POLLOUT)
            waiter.poll(1000)
            continue
        except OSError:
            return False
        view = view[written:]
    return True


class FdCapture:
    """Redirects fds 1 and 2 while attached (see the module docstring)."""

    def __init__(self, on_output: OnOutput) -> None:
        self._on_output = on_output
        #: A failure while reporting (on the reader thread): reporting stops, forwarding goes on,
        #: and the recording hands it to the policy from its own thread when it detaches.
        self.failure: Exception | None = None
        self.channels: list[Channel] = []
        self.ledgers: dict[int, Ledger] = {}  # by target fd
        self._decoders: dict[int, codecs.IncrementalDecoder] = {}
        self._thread: threading.Thread | None = None
        self._wake: tuple[int, int] | None = None
        self._deadline: float | None = None
        self._pid = os.getpid()
        self._filter: tuple[object, ...] | None = None
        self.forwarding_failed = False

    def attach(self) -> None:
        """Open the channels, start the reader, then point fds 1 and 2 at the channels."""
        _flush_python_streams()
        _flush_c_stdio()
        self.channels = open_channels()
        self._wake = os.pipe()
        for channel in self.channels:
            ledger = Ledger(tuple(0 if target == 1 else 2 for target in channel.targets))
            for target in channel.targets:
                self.ledgers[target] = ledger
            self._decoders[channel.read_fd] = codecs.getincrementaldecoder("utf-8")("replace")
        self._quiet_fork_warning()
        self._thread = threading.Thread(target=self._run, name=READER_NAME, daemon=True)
        self._thread.start()
        for channel in self.channels:
            channel.install()
        atexit.register(self.detach)

    def ledger_for(self, fd: int) -> Ledger | None:
        """The ledger of the channel that now stands for ``fd`` (None if it is not captured)."""
        return self.ledgers.get(fd)

    def forked(self) -> None:
        """In a forked child: forget everything, touch no descriptor (module docstring)."""
        self.channels = []
        self._thread = None
        atexit.unregister(self.detach)

    def detach(self) -> None:
        """Flush, restore fds 1 and 2, drain within :data:`DRAIN_SECONDS`; idempotent."""
        atexit.unregister(self.detach)
        if os.getpid() != self._pid:
            return
        if any(channel.installed for channel in self.channels):
            _flush_python_streams()
            _flush_c_stdio()
        for channel in self.channels:
            channel.restore()
        self._deadline = time.monotonic() + DRAIN_SECONDS
        self._wake_reader()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join(DRAIN_SECONDS + 0.5)
        for channel in self.channels:
            channel.close_all()
        if self._wake is not None:
            for fd in self._wake:
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._wake = None
        self._restore_fork_warning()

    # ------------------------------------------------------------------------- the reader

    def _wake_reader(self) -> None:
        if self._wake is not None:
            with contextlib.suppress(OSError):
                os.write(self._wake[1], b"x")

    def _run(self) -> None:
        # poll, not select: descriptors above FD_SETSIZE (a program with many files open) work.
        poller = select.poll()
        wake = self._wake[0] if self._wake is not None else -1
        by_fd = {channel.read_fd: channel for channel in self.channels}
        for fd in (*by_fd, wake):
            poller.register(fd, select.POLLIN)
        budget = _FINAL_READS
        while by_fd:
            timeout_ms: float | None = None
            if self._deadline is not None:
                # Past the deadline, one last look: what is already in the channel is still
                # taken (a starved thread must not lose it), nothing more is waited for.
                timeout_ms = max((self._deadline - time.monotonic()) * 1000, 0)
            ready = poller.poll(timeout_ms)
            if not ready:
                break  # the drain's time is up
            if self._deadline is None:
                # Let a burst of small writes pile up: one read, forward and record for many,
                # and far fewer switches of the GIL between the program and this thread.
                time.sleep(COALESCE_SECONDS)
            if timeout_ms == 0:
                budget -= 1
                if budget < 0:
                    break  # a writer that never stops: the bound holds
            for fd, _ in ready:
                if fd == wake:
                    with contextlib.suppress(OSError):
                        os.read(wake, 64)
                elif fd in by_fd and not self._pump(by_fd[fd]):
                    del by_fd[fd]
                    poller.unregister(fd)

    def _pump(self, channel: Channel) -> bool:
        """Move one read from ``channel`` to its destination and the trace; False at its end."""
        try:
            data = os.read(channel.read_fd, _READ_SIZE)
        except OSError:  # EIO: a pty whose every writer closed it
            data = b""
        if not data:
            return False
        if not self.forwarding_failed and not _write_all(channel.saved_fd, data):
            self.forwarding_failed = True  # keep reading, so the program never blocks on it
        if self.failure is not None:
            return True
        try:
            rest = self.ledgers[channel.targets[0]].subtract(data)
            text = self._decoders[channel.read_fd].decode(rest) if rest else ""
            if text:
                self._on_output(channel.kind, channel.name, text)
        except Exception as exc:  # noqa: REC005 - kept for the recording to report (docstring)
            self.failure = exc
        return True

    # --------------------------------------------------------------- the fork warning

    def _quiet_fork_warning(self) -> None:
        warnings.filterwarnings("ignore", message=_FORK_WARNING, category=DeprecationWarning)
        self._filter = warnings.filters[0]

    def _restore_fork_warning(self) -> None:
        if self._filter is not None:
            with contextlib.suppress(ValueError):
                cast("list[object]", warnings.filters).remove(self._filter)
            mutated = getattr(warnings, "_filters_mutated", None)
            if mutated is not None:  # the module caches its filters; tell it they changed
                mutated()
            self._filter = None
