"""Shared mode of the trace writer: the events of several recorded threads in one stream.

The rules are :mod:`recorder.tracing.threads`'s. Until a second thread is recorded the writer is
single-threaded and its hot entries (``emit_batch``, ``call``, ``ret``) take no lock.
:meth:`SharedMode.start_sharing` switches it, under ``lock``, to shared mode, where every append
holds ``lock`` around appending one *pre-built* unit (a ``Step`` with its ``Value`` events, a
``Call`` with its argument ``Value`` events, a ``Return``), preceded by ``ThreadStart(N)`` or
``ThreadSwitch(N)`` when the previous unit was another thread's. The lock is never held while
anything can run the program's code (units are encoded before it is taken). The unlocked path reads
``shared`` and appends with no call and no backward jump in between, so under the GIL no other
thread can run between the check and the append (CPython evaluates the eval breaker, where threads
switch, only at calls, function entries and backward jumps); free-threaded builds are not supported.
Id declarations (first uses) and I/O events always take the lock.

Mixed into :class:`recorder.trace_writer.TraceWriter`, which owns the state declared here.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from recorder import events

__all__ = ["SharedMode", "ThreadSlot"]


class ThreadSlot:
    """A recorded thread as the writer sees it: its trace number, given at its first event.

    Numbers are never reused: 1 is the thread that started tracing, the others are numbered in
    the order their first event reaches the writer. ``first``/``last`` are the indexes (in
    ``trace.json``) of the thread's first and last event.
    """

    __slots__ = ("first", "last", "number")

    def __init__(self, number: int = 0) -> None:
        self.number = number
        self.first = 0
        self.last = -1



class SharedMode:
    """The thread half of the trace writer (see the module docstring)."""

    lock: threading.RLock
    shared: bool
    main: ThreadSlot
    slots: list[ThreadSlot]
    _last: ThreadSlot
    _stopped: bool
    _buf: list[str]
    _size: int
    _chunk_size: int
    _events: int
    call_count: int

    if TYPE_CHECKING:  # provided by TraceWriter
        def flush(self) -> None: ...

    def start_sharing(self) -> None:
        """A second thread is about to be recorded: from now on appends take :attr:`lock`."""
        with self.lock:
            if not self.shared:
                self.main.last = self._events + len(self._buf) - 1
                self.shared = True

    def _mark(self, slot: ThreadSlot) -> None:
        """``ThreadStart``/``ThreadSwitch`` before ``slot``'s unit if needed (under the lock)."""
        if slot is self._last:
            return
        if slot.number == 0:  # first event: numbered now, in order of first events
            slot.number = len(self.slots) + 1
            self.slots.append(slot)
            marker = events.thread_start(slot.number)
            slot.first = self._events + len(self._buf) + 1
        else:
            marker = events.thread_switch(slot.number)
        self._buf.append(marker)
        self._size += len(marker)
        self._last = slot

    def _append(
        self, slot: ThreadSlot, unit: list[str], size: int, flush: bool = True,
        call: bool = False,
    ) -> int:
        """Shared mode: one unit of ``slot``'s events, atomically (see the module docstring).

        Returns the ``Call`` ordinal when ``call`` (the unit ends with a ``Call``), else -1.
        ``acquire``/``release`` rather than ``with``: half the cost, on every event of every
        thread once a second thread is recorded. The lock is read once: finishing may replace
        it (a frozen thread's lock is abandoned) while this thread is inside.
        """
        lock = self.lock
        lock.acquire()
        try:
            if self._stopped:  # closed while this thread was still running: dropped
                return -1
            if slot is not self._last:
                self._mark(slot)
            buf = self._buf
            buf += unit
            self._size += size
            slot.last = self._events + len(buf) - 1
            if call:
                self.call_count += 1
                return self.call_count - 1
            if flush and self._size >= self._chunk_size:
                self.flush()
            return -1
        finally:
            lock.release()

    def end_threads(self, open_frames: dict[int, int]) -> None:
        """Close every thread but the first: ``Return None`` per open frame, then ``ThreadExit``.

        ``open_frames`` maps a thread number to the frames still open in it. Called when the
        recording ends, after the tracer is detached; ends on thread 1 (its final ``Return``
        follows).
        """
        if not self.shared:
            return
        with self.lock:
            none = events.ret(events.NONE_VALUE)
            for slot in self.slots[1:]:
                self._mark(slot)
                for _ in range(open_frames.get(slot.number, 0)):
                    self._buf.append(none)
                    self._size += len(none)
                exit_event = events.thread_exit(slot.number)
                self._buf.append(exit_event)
                self._size += len(exit_event)
                slot.last = self._events + len(self._buf) - 1
                self._last = ThreadSlot()  # nobody: the next unit is preceded by a switch
            self._mark(self.main)

    def thread_list(self) -> list[dict[str, int]]:
        """Each numbered thread's number and first/last event index (for the metadata)."""
        return [{"number": slot.number, "first_event": slot.first, "last_event": slot.last}
                for slot in self.slots]
