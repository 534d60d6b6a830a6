"""The ``sys.settrace`` backend (Python 3.11, and 3.12+ with ``--backend settrace``).

The global trace function sees every new frame of the tracing thread (``call`` events, also when a
generator or coroutine resumes); for traced code it records the entry and returns the local trace
function, which then sees the frame's ``line``, ``exception`` and ``return`` events.

**Threads.** ``sys.settrace`` is per thread. With ``--threads all`` the global trace function is
also installed with ``threading.settrace_all_threads`` (3.12+: threads already running are traced
from their next call on) or, on 3.11, ``threading.settrace``: only threads started through
``threading`` *after* tracing started are traced; threads already running and threads started
with ``_thread.start_new_thread`` are not. The global function hands another thread's calls to
that thread's lane (:mod:`recorder.tracing.threads`): a ``SettraceTracer`` of its own, whose local
trace function the thread's frames then use, so the tracing thread's line events take no detour.

``sys.settrace`` reports three ways out of a frame with one ``return`` event; the instruction the
frame stopped at tells them apart (coverage.py does the same for yields):

* ``RETURN_VALUE``/``RETURN_CONST``: a return, ``arg`` is the value;
* ``YIELD_VALUE`` (on 3.13 the ``RESUME`` right after it): a yield (or an ``await`` that
  suspends), ``arg`` is the value handed out, unless an exception was raised in the frame since
  its last line: then a value thrown in with ``generator.throw()`` is unwinding it from the yield
  point;
* anything else: an exception unwinds the frame; it is the one the last ``exception`` event saw.
"""

from __future__ import annotations

import dis
import sys
import threading
from types import FrameType
from typing import Any

from recorder.errors import ErrorCode, usage
from recorder.tracing.activation import Activation
from recorder.tracing.base import Contain, FrameActions, frame_actions
from recorder.tracing.frames import FrameRecorder
from recorder.tracing.threads import ThreadRegistry

__all__ = ["SettraceTracer"]

_RETURN_OPS = frozenset(
    dis.opmap[name] for name in ("RETURN_VALUE", "RETURN_CONST") if name in dis.opmap
)
_YIELD_OP = dis.opmap["YIELD_VALUE"]
_RESUME_OP = dis.opmap["RESUME"]

TraceFn = Any  # sys.settrace's callable type is not expressible without recursion
_get_ident = threading.get_ident


class SettraceTracer:
    """Records the installing thread with ``sys.settrace``."""

    name = "settrace"

    def __init__(
        self, frames: FrameRecorder, contain: Contain, activation: Activation | None = None,
        threads: ThreadRegistry | None = None,
    ) -> None:
        self._frames = frames
        self._infos = frames.infos  # the code cache, read at every line event
        self._threads = threads
        self._lanes: list[SettraceTracer] = []  # the other threads' tracers
        self._contain = contain
        self._activation = activation
        self._gate = activation  # closed until the activation file runs; None when open
        self._installed = False
        self._thread = 0
        # Exceptions seen per frame id: (exception, raised since the frame's last line).
        self._raised: dict[int, tuple[object, bool]] = {}
        self._local_fn: TraceFn = self._local
        self._global_fn: TraceFn = self._global
        frames.own_trace = self._global_fn  # this thread's sys.gettrace() while it records
        # The FrameRecorder actions, replaced by seamed versions when a fault hook is installed.
        self._set_actions(frame_actions(frames))

    @property
    def installed(self) -> bool:
        return self._installed

    @property
    def dropped(self) -> dict[str, int]:
        # The interpreter unsets a trace function that raises before its first line runs (a
        # RecursionError at the stack limit): the rest of the run was not recorded.
        if (
            self._installed
            and threading.get_ident() == self._thread
            and sys.gettrace() is not self._global_fn
        ):
            return {"tracer_unset_by_interpreter": 1}
        return {}

    def _set_actions(self, actions: FrameActions) -> None:
        (self._enter, self._line, self._leave_return, self._leave_yield,
         self._leave_unwind) = actions

    def install(self) -> None:
        holder = sys.gettrace()
        if holder is not None:
            # A debugger or coverage tool traces this thread: replacing its hook silently would
            # break it, so the recorder refuses, as it does for a held sys.monitoring tool id.
            raise usage(
                ErrorCode.TRACER_INSTALL_CONFLICT,
                f"sys.settrace is already used by {holder!r}",
                holder=repr(holder),
            )
        self._set_actions(frame_actions(self._frames))
        self._thread = threading.get_ident()
        self._installed = True
        threads = self._threads
        if threads is not None and threads.enabled:
            threads.bind(self._make_lane)
            # Other threads start with _other_global; this thread's own hook (set last, as
            # settrace_all_threads sets every thread's) never has to look at the thread.
            if hasattr(threading, "settrace_all_threads"):  # 3.12+
                threading.settrace_all_threads(self._other_global)
            else:
                threading.settrace(self._other_global)
        sys.settrace(self._global_fn)

    def _make_lane(self, frames: FrameRecorder) -> SettraceTracer:
        """The tracer of the calling thread (not the installing one): see the module docstring."""
        lane = SettraceTracer(frames, self._contain)
        lane._thread = _get_ident()
        lane._installed = self._installed
        self._lanes.append(lane)
        return lane

    def uninstall(self) -> None:
        if not self._installed:
            return
        self._installed = False
        for lane in list(self._lanes):
            lane._installed = False
        threads = self._threads
        if threads is not None and threads.enabled:
            # Threads started from now on are not hooked; running ones unhook at their next event.
            threading.settrace(None)
            if hasattr(threading, "settrace_all_threads"):
                threading.settrace_all_threads(None)
        # sys.settrace only affects the calling thread; from another thread the callbacks see
        # _installed == False and unhook themselves at their next event.
        if threading.get_ident() == self._thread:
            sys.settrace(None)

    # --------------------------------------------------------------------------- callbacks

    def _global(self, frame: FrameType, event: str, arg: object) -> TraceFn:
        try:
            if not self._installed:
                sys.settrace(None)
                return None
            frames = self._frames
            info = frames.infos.get(id(frame.f_code))
            if info is None:
                info = frames.info(frame.f_code, frame)
            if not info.traced:
                return None
            gate = self._gate
            if gate is not None:
                if not gate.opens(frame.f_code):
                    return None  # before activation: no local tracing at all
                gate.frame, self._gate = frame, None
            self._enter(frame, info)
            return self._local_fn
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "call")
            return None

    def _other_global(self, frame: FrameType, event: str, arg: object) -> TraceFn:
        """The first call event of another thread: its lane's hook takes over from here."""
        try:
            if not self._installed or self._threads is None:
                sys.settrace(None)
                return None
            lane: SettraceTracer | None = self._threads.lane()
            if lane is None:  # not recorded (--threads main, recorder-owned, over the limit)
                sys.settrace(None)
                return None
            sys.settrace(lane._global_fn)
            fn: TraceFn = lane._global(frame, event, arg)
            return fn
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "call")
            return None

    def _local(self, frame: FrameType, event: str, arg: Any) -> TraceFn:
        try:
            if not self._installed:
                return None
            if event == "line":
                raised = self._raised
                if raised and id(frame) in raised:
                    raised[id(frame)] = (raised[id(frame)][0], False)
                self._line(frame, self._infos[id(frame.f_code)], frame.f_lineno)
            elif event == "return":
                self._leave(frame, arg)
            elif event == "exception":
                self._raised[id(frame)] = (arg[1], True)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, _point(event, frame, self._raised))
            return None
        return self._local_fn

    def _leave(self, frame: FrameType, arg: object) -> None:
        raised = self._raised.pop(id(frame), None) if self._raised else None
        kind = _exit_kind(frame, raised)
        if kind == "return":
            self._leave_return(frame, arg)
        elif kind == "yield":
            self._leave_yield(frame, arg)
            return
        else:
            self._leave_unwind(frame, raised[0] if raised else None)
        activation = self._activation
        if activation is not None and activation.ends_with(frame):
            activation.on_end()


def _exit_kind(frame: FrameType, raised: tuple[object, bool] | None) -> str:
    """``return``, ``yield`` or ``unwind``: how the frame of a ``return`` event is left."""
    code = frame.f_code.co_code
    lasti = frame.f_lasti
    op = code[lasti] if 0 <= lasti < len(code) else -1
    if op in _RETURN_OPS:
        return "return"
    if op == _RESUME_OP and lasti >= 2:
        op = code[lasti - 2]  # 3.13 reports a yield at the RESUME that follows YIELD_VALUE
    if op == _YIELD_OP and not (raised and raised[1]):
        return "yield"
    return "unwind"


def _point(event: str, frame: FrameType, raised: dict[int, tuple[object, bool]]) -> str:
    """The seam/containment point name of a local event."""
    if event == "return":
        return _exit_kind(frame, raised.get(id(frame)))
    return "line" if event == "line" else "unwind"
