"""Deferred-SIGINT critical sections (ADR 0004, issue 4 item 4).

While the recorder detaches, flushes or renames trace files, a ``KeyboardInterrupt`` raised in the
middle would leave its state half-changed. :func:`deferred_signals` opens a critical section in
which SIGINT is *remembered* instead of raised::

    with deferred_signals() as section:
        layer.publish()            # a Ctrl-C here does not interrupt the renames
    # on leaving the section the remembered SIGINT is re-delivered: KeyboardInterrupt is raised
    # here, after the state is consistent (``section.received`` tells that it happened)

Rules:

* The first SIGINT inside a section is deferred; it is re-delivered once, when the *outermost*
  section exits, to the handler that was installed before (Python's default raises
  ``KeyboardInterrupt``; ``SIG_DFL`` ends the process by the signal; a program's own handler is
  called as it would have been).
* A second SIGINT while one is already deferred means "stop now": the previous handler is put
  back at once and the signal delivered to it immediately, so the process ends promptly (the
  interrupted code unwinds by ``KeyboardInterrupt``; every step of the output layer is written to
  survive that, and anything left on disk is recognised as stale by the next run).
* Sections nest; only the outermost installs and restores the handler.
* Signal handlers can only be installed from the main thread: elsewhere a section is a no-op (a
  SIGINT is then handled by the main thread anyway). If SIGINT is ignored (``SIG_IGN``) or its
  handler was installed outside Python (``getsignal`` gives ``None``) the section does nothing,
  since there is nothing to defer or nothing we could restore faithfully.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["Deferral", "deferred_signals", "in_critical_section"]

_Handler = Callable[[int, FrameType | None], object] | int | signal.Handlers | None


class Deferral:
    """What a critical section saw: ``received`` counts SIGINTs that arrived while it was open."""

    def __init__(self) -> None:
        self.received = 0

    @property
    def interrupted(self) -> bool:
        """True when at least one SIGINT arrived while the section was open."""
        return self.received > 0


class _Section:
    """Module state of the (single, main-thread) stack of nested critical sections."""

    depth = 0
    installed = False  # our handler is the current SIGINT handler
    pending = False  # a SIGINT is deferred and will be re-delivered at the outermost exit
    previous: _Handler = None
    observers: list[Deferral] = []  # noqa: RUF012 - deliberately shared module state


def in_critical_section() -> bool:
    """True while a critical section is open in the main thread."""
    return _Section.depth > 0


def _deliver(signum: int, frame: FrameType | None, handler: _Handler) -> None:
    """Deliver ``signum`` to ``handler`` now, as the kernel would have without us."""
    if callable(handler):
        handler(signum, frame)  # default_int_handler raises KeyboardInterrupt here
        return
    if handler == signal.SIG_DFL:
        # The default action of SIGINT is to end the process; do it with the real signal so the
        # parent sees "killed by SIGINT", as it would without the recorder.
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    for observer in _Section.observers:
        observer.received += 1
    if not _Section.pending:
        _Section.pending = True
        return
    # Second Ctrl-C while one is deferred: the user insists. Give the signal back to its owner now.
    _Section.pending = False
    _restore()
    _deliver(signum, frame, _Section.previous)


def _restore() -> None:
    """Put the previous handler back, unless someone replaced ours meanwhile (then leave theirs)."""
    if not _Section.installed:
        return
    _Section.installed = False
    if signal.getsignal(signal.SIGINT) is _on_sigint:
        signal.signal(signal.SIGINT, _Section.previous)


def _can_defer() -> bool:
    if threading.current_thread() is not threading.main_thread():
        return False
    current = signal.getsignal(signal.SIGINT)
    return current is not None and current != signal.SIG_IGN


@contextmanager
def deferred_signals() -> Iterator[Deferral]:
    """Open a critical section in which SIGINT is deferred (see the module docstring)."""
    observer = Deferral()
    outermost = _Section.depth == 0
    if outermost and not _can_defer():
        yield observer
        return
    if threading.current_thread() is not threading.main_thread():
        yield observer  # nested use from another thread: the main thread owns the handler
        return
    if outermost:
        _Section.previous = signal.getsignal(signal.SIGINT)
        _Section.pending = False
        signal.signal(signal.SIGINT, _on_sigint)
        _Section.installed = True
    _Section.depth += 1
    _Section.observers.append(observer)
    try:
        yield observer
    finally:
        _Section.observers.remove(observer)
        _Section.depth -= 1
        if _Section.depth == 0:
            _restore()
            if _Section.pending:
                _Section.pending = False
                # Re-deliver once, now that the state is consistent: the previous handler runs
                # inside raise_signal (CPython checks signals before it returns).
                signal.raise_signal(signal.SIGINT)
