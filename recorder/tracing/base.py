"""The ``Tracer`` protocol both backends implement, and the helpers they share.

A tracer hooks the interpreter (``sys.settrace`` or ``sys.monitoring``) and forwards what it sees
to a :class:`recorder.tracing.frames.FrameRecorder`. The model is coverage.py's ``pytracer.py`` and
``sysmon.py``: one small class per backend, all bookkeeping precomputed per code object.

**Containment.** Every callback body runs inside ``try: ... except Exception as exc:
return contain(exc, point)``, where ``point`` is one of ``call line return yield unwind``.
``contain`` belongs to the :class:`recorder.recording.Recording`: it either returns (the tracer is
then detached and the callback returns normally) or raises a classified ``RecorderError`` after
detaching, which propagates into the traced program at that point. ``KeyboardInterrupt`` and
``SystemExit`` are never caught.

**Seams.** When :func:`recorder.seams.active` is true at install time, the actions a callback takes
for a *recorded* event (enter a frame, record a line, leave a frame) are wrapped so that
``seams.hit(point, None)`` runs first, inside the callback's containment (a hook may raise a
simulated crash). Events the filter rejects never reach a seam, so a fault hook whose own code
runs while the tracer is attached (lifecycle seams) cannot re-enter itself, and "the Nth line" of a
fault plan means the same on both backends. Without a hook the raw actions are installed: the
seams cost nothing.

**Threads.** The thread that installs the tracer is recorded through the backend's own actions
(one ``threading.get_ident()`` comparison per event); every other thread through its lane, found
by :class:`recorder.tracing.threads.ThreadRegistry` (``--threads main``: other threads are counted
as dropped, ``other_thread``). ``sys.monitoring`` is process-wide; ``sys.settrace`` is per thread
and is installed in other threads with ``threading.settrace_all_threads`` (3.12+) or
``threading.settrace`` (3.11, threads started later only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from recorder import seams

if TYPE_CHECKING:
    from recorder.tracing.frames import FrameRecorder

__all__ = ["Contain", "FrameActions", "Tracer", "frame_actions", "seamed"]

#: ``contain(exc, point)``: handles a failure inside a callback (see the module docstring).
Contain = Callable[[Exception, str], None]

_F = TypeVar("_F", bound=Callable[..., Any])


class Tracer(Protocol):
    """A tracing backend."""

    #: ``"settrace"`` or ``"monitoring"``: recorded in the trace metadata.
    name: str

    def install(self) -> None:
        """Hook the interpreter for the calling thread (raises ``UsageError`` on a conflict)."""

    def uninstall(self) -> None:
        """Remove every hook; idempotent, callable from inside a callback."""

    @property
    def installed(self) -> bool:
        """True between :meth:`install` and :meth:`uninstall`."""
        ...

    @property
    def dropped(self) -> dict[str, int]:
        """Events seen but not recorded, by reason."""
        ...


def seamed(point: str, action: _F) -> _F:
    """``action`` preceded by ``seams.hit(point, None)``.

    Backends call it inside their callback's ``try``, *after* the filter decided the event is
    recorded, so a simulated crash is contained like any failure at ``point``, and a fault hook
    that runs code of its own (whose events are not recorded) never re-enters itself.
    """
    hit = seams.hit

    def wrapped(*args: Any) -> Any:
        hit(point, None)
        return action(*args)

    return wrapped  # type: ignore[return-value]


class FrameActions(NamedTuple):
    """The five :class:`~recorder.tracing.frames.FrameRecorder` actions a callback may take."""

    enter: Callable[..., Any]
    line: Callable[..., Any]
    leave_return: Callable[..., Any]
    leave_yield: Callable[..., Any]
    leave_unwind: Callable[..., Any]


def frame_actions(frames: FrameRecorder) -> FrameActions:
    """The actions of ``frames``, each behind its seam when a fault hook is installed now."""
    raw = FrameActions(frames.enter, frames.line, frames.leave_return, frames.leave_yield,
                       frames.leave_unwind)
    if not seams.active():
        return raw
    return FrameActions(*(seamed(point, action) for point, action in zip(
        ("call", "line", "return", "yield", "unwind"), raw, strict=True)))
