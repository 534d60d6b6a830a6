"""Standard stream capture: the script's writes and stdin reads become ``Event`` events.

:class:`StreamCapture` replaces ``sys.stdout``/``sys.stderr``/``sys.stdin`` with thin proxies. A
write proxy's ``write`` first passes the text to the real stream unchanged (so the program's
output is byte for byte what it would be untraced, and the real stream's return value and
exceptions are the program's), then reports it to the recorder. The stdin proxy's ``read``,
``readline``, ``readlines`` and iteration return exactly what the real stream returns and report
it (``Event`` kind 3). Bytes written to ``sys.stdout.buffer``/``sys.stderr.buffer`` are reported
as text too (:class:`BufferProxy`). Everything else (``fileno``, ``flush``, ``encoding``,
``isatty``, ...) is delegated to the real stream.

Calls made while tracing is on are reported, from any thread (the recording attributes them to
the thread's number, or drops them for a thread it does not record); I/O that goes around
the ``sys`` streams (``os.write(1, ...)``, ``sys.stdin.buffer``, and ``input()`` at an interactive
terminal, which CPython reads with its own line editor) is not seen.
A failure while reporting goes to the same containment as the tracer callbacks. Under
``proxies+fd`` each reported write is also announced, encoded as its stream encodes it, to the
ledger of the fd channel its stream writes to (:meth:`StreamCapture.use_ledgers`), so the fd
capture does not record it again.
:meth:`StreamCapture.detach` puts the original streams back if the proxies are still installed; a
proxy kept by the program after that (``contextlib.redirect_stdout`` saving it) just passes calls
through.
"""

from __future__ import annotations

import codecs
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from recorder.tracing.fdledger import Expected

if TYPE_CHECKING:
    from recorder.tracing.fdledger import Ledger

__all__ = ["BufferProxy", "StdinProxy", "StreamCapture", "StreamProxy"]

#: ``report(kind, stream_name, text)``: kind 0 stdout, 2 stderr, 3 stdin (the format's Event kinds).
Report = Callable[[int, str, str], None]
#: ``ledger_for(fd)``: the fd capture's ledger of the channel standing for ``fd``, if any.
LedgerFor = Callable[[int], "Ledger | None"]


class _Delegating:
    """A proxy: anything it does not define itself is looked up on the real stream, ``_real``."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)

    def __repr__(self) -> str:
        return repr(self._real)

    # Special methods are looked up on the class, not through __getattr__.
    def __enter__(self) -> Any:
        self._real.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> Any:
        return self._real.__exit__(*exc_info)


class _Writer(_Delegating):
    """A write proxy: ``writelines`` goes through its own ``write``, as for an ``io`` stream."""

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)


class StreamProxy(_Writer):
    """Stands in for ``sys.stdout`` or ``sys.stderr`` while recording."""

    def __init__(self, real: TextIO, kind: int, name: str, capture: StreamCapture) -> None:
        self._real = real
        self._kind = kind
        self._name = name
        self._capture = capture
        self._buffer: BufferProxy | None = None

    @property
    def buffer(self) -> BufferProxy:
        """The real stream's binary buffer, behind a proxy that reports what is written to it."""
        proxy = self._buffer
        if proxy is None:
            real = self._real.buffer  # AttributeError for a stream without one, as untraced
            encoding = getattr(self._real, "encoding", None)
            proxy = BufferProxy(real, self._kind, self._name, encoding, self._capture)
            proxy._ledger = self._ledger
            self._buffer = proxy
        return proxy

    def write(self, text: str) -> int:
        reporting = type(text) is str and self._capture.recording()
        # Announced before the write: with write-through the bytes reach the fd channel at once.
        expected = self._expect(text) if reporting and self._ledger is not None else None
        done = False
        try:
            written = self._real.write(text)
            done = True
        finally:
            if expected is not None and not done:
                expected.cancel()
        if reporting:
            self._capture.report(self._kind, self._name, text)
        return written

    #: The fd capture's ledger for this stream's descriptor (set by ``use_ledgers``).
    _ledger: Ledger | None = None

    def _expect(self, text: str) -> Expected | None:
        ledger = self._ledger
        if ledger is None or self._capture.busy:
            return None  # a write made while reporting is not recorded by the proxy
        try:
            data = text.encode(self._real.encoding or "utf-8", self._real.errors or "strict")
        except (LookupError, UnicodeError, AttributeError, TypeError):
            return None  # the real stream refuses it too, or is not a text stream
        return Expected(ledger, self._kind, data)

    def __iter__(self) -> Any:
        return iter(self._real)


class BufferProxy(_Writer):
    """``sys.stdout.buffer`` (or stderr's) while recording: written bytes are reported as text.

    Bytes are decoded with the text stream's encoding by an incremental decoder, so a character
    split across two writes is reported whole; undecodable bytes become U+FFFD in the trace only.
    """

    def __init__(
        self, real: Any, kind: int, name: str, encoding: object, capture: StreamCapture
    ) -> None:
        self._real = real
        self._kind = kind
        self._name = name
        self._capture = capture
        try:
            factory = codecs.getincrementaldecoder(encoding if type(encoding) is str else "utf-8")
        except LookupError:
            factory = codecs.getincrementaldecoder("utf-8")
        self._decoder = factory(errors="replace")

    def write(self, data: Any) -> int:
        # Exact bytes-like types only: converting anything else could run the program's code.
        cls = type(data)
        reporting = ((cls is bytes or cls is bytearray or cls is memoryview)
                     and self._capture.recording())
        expected = None
        if reporting and self._ledger is not None and not self._capture.busy:
            expected = Expected(self._ledger, self._kind, bytes(data))
        done = False
        try:
            written: int = self._real.write(data)
            done = True
        finally:
            if expected is not None and not done:
                expected.cancel()
        if reporting:
            self._capture.report_bytes(self._kind, self._name, self._decoder, data)
        return written

    _ledger: Ledger | None = None  # as for StreamProxy


class StdinProxy(_Delegating):
    """Stands in for ``sys.stdin`` while recording: what is read is reported, then returned."""

    def __init__(self, real: TextIO, capture: StreamCapture) -> None:
        self._real = real
        self._capture = capture

    def _seen(self, text: Any) -> None:
        # An empty text is the end of input: nothing was read.
        if type(text) is str and text and self._capture.recording():
            self._capture.report(3, "stdin", text)

    # Arguments are passed on exactly as the program gave them (the real stream validates them).
    def read(self, *args: Any) -> str:
        text = self._real.read(*args)
        self._seen(text)
        return text

    def readline(self, *args: Any) -> str:
        text = self._real.readline(*args)
        self._seen(text)
        return text

    def readlines(self, *args: Any) -> list[str]:
        lines = self._real.readlines(*args)
        self._seen("".join(line for line in lines if type(line) is str))
        return lines

    def __iter__(self) -> StdinProxy:
        return self

    def __next__(self) -> str:
        line = self._real.readline()
        if not line:
            raise StopIteration
        self._seen(line)
        return line


class StreamCapture:
    """Installs the proxies and reports writes through ``on_write`` (see the module docstring)."""

    def __init__(self, on_write: Report, contain: Callable[[Exception, str], None]) -> None:
        self._on_write = on_write
        self._contain = contain
        self.active = False
        # Threads reporting now: a write made while reporting (a recorder log line) is not recorded.
        self._busy: set[int] = set()
        self._saved: tuple[TextIO, TextIO] | None = None
        self._proxies: tuple[StreamProxy, StreamProxy] | None = None
        self._stdin: tuple[TextIO, StdinProxy] | None = None

    def attach(self) -> None:
        out, err = sys.stdout, sys.stderr
        self._saved = (out, err)
        self._proxies = (StreamProxy(out, 0, "stdout", self), StreamProxy(err, 2, "stderr", self))
        self.active = True
        sys.stdout, sys.stderr = self._proxies
        if sys.stdin is not None:  # None when the interpreter runs without a stdin
            self._stdin = (sys.stdin, StdinProxy(sys.stdin, self))
            sys.stdin = self._stdin[1]

    def recording(self) -> bool:
        """Whether I/O happening now is reported: while attached."""
        return self.active

    def use_ledgers(self, ledger_for: LedgerFor) -> None:
        """Announce reported writes to the fd capture's ledger of each stream's descriptor."""
        for proxy in self._proxies or ():
            try:
                fd = proxy._real.fileno()
            except (AttributeError, OSError, ValueError):
                continue  # not backed by a descriptor: its writes never reach fd 1 or 2
            proxy._ledger = ledger_for(fd) if type(fd) is int else None
            if proxy._buffer is not None:
                proxy._buffer._ledger = proxy._ledger

    @property
    def busy(self) -> bool:
        """True while this thread is making a report (a write it makes now is not reported)."""
        return threading.get_ident() in self._busy

    def report(self, kind: int, name: str, text: str) -> None:
        ident = threading.get_ident()
        if ident in self._busy:
            return
        self._busy.add(ident)
        try:
            self._on_write(kind, name, text)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "line")
        finally:
            self._busy.discard(ident)

    def report_bytes(self, kind: int, name: str, decoder: codecs.IncrementalDecoder,
                     data: bytes | bytearray | memoryview) -> None:
        try:
            text = decoder.decode(bytes(data))
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "line")
            return
        if text:
            self.report(kind, name, text)

    def detach(self) -> None:
        """Stop reporting and restore the original streams; idempotent."""
        self.active = False
        if self._stdin is not None:
            if sys.stdin is self._stdin[1]:
                sys.stdin = self._stdin[0]
            self._stdin = None
        if self._saved is None or self._proxies is None:
            return
        if sys.stdout is self._proxies[0]:
            sys.stdout = self._saved[0]
        if sys.stderr is self._proxies[1]:
            sys.stderr = self._saved[1]
        self._saved = None
