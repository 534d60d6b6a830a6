"""The ``sys.monitoring`` backend (PEP 669, Python 3.12+): the default where it exists.

**Tool id.** The recorder claims ``sys.monitoring.DEBUGGER_ID`` and only that one: it is a
debugger's recorder, and taking another tool's conventional id (coverage's, the profiler's) would
make *that* tool fail later instead. If the id is held, installing fails with ``UsageError``
``ERR_TRACER_INSTALL_CONFLICT`` naming the holder; the user can stop the other tool or choose
``--backend settrace``. The id is freed on uninstall.

**Events.** Globally: ``PY_START`` (the filter's decision per code object; rejected code returns
``DISABLE`` so it costs nothing afterwards), ``PY_THROW`` and ``PY_UNWIND`` (these two cannot be set
per code object). For each accepted code object, locally: ``LINE``, ``PY_RETURN``, ``PY_YIELD``,
``PY_RESUME`` and ``JUMP``. ``JUMP`` exists only to match ``sys.settrace``'s line events: a backward
jump that stays on one line (a one-line loop, an inlined comprehension) is a new ``line`` event
under ``sys.settrace`` but no ``LINE`` event here; every other jump location is disabled at its
first use.

**Threads.** Events are process-wide, so every thread is seen. Each callback compares the
thread with the one that installed the tracer (the fast path, no look-up) and otherwise hands the
event to that thread's lane (:mod:`recorder.tracing.threads`), or counts it when the thread is not
recorded. Whether a location is disabled never depends on the thread: ``DISABLE`` applies to every
thread, so it is returned only for what the filter rejects and for jumps, never because of
``--threads main``.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from types import CodeType
from typing import Any

from recorder.errors import ErrorCode, usage
from recorder.tracing.activation import Activation
from recorder.tracing.base import Contain, FrameActions, frame_actions
from recorder.tracing.frames import FrameRecorder
from recorder.tracing.threads import ThreadRegistry

__all__ = ["TOOL_NAME", "MonitoringTracer"]

TOOL_NAME = "codetracer-recorder"
_used_before = False  # a previous recording in this process may have left locations DISABLEd
# Module-level names for the callbacks' hot path (an attribute lookup on every event otherwise).
_get_ident = threading.get_ident
_getframe = sys._getframe


class MonitoringTracer:
    """Records the installing thread with ``sys.monitoring``."""

    name = "monitoring"

    def __init__(
        self, frames: FrameRecorder, contain: Contain, activation: Activation | None = None,
        threads: ThreadRegistry | None = None,
    ) -> None:
        self._frames = frames
        self._infos = frames.infos  # the code cache, read by every callback
        self._threads = threads
        # A recorded thread's lane, read by every callback from that thread (see _lane).
        self._lanes = threads.lanes if threads is not None else threading.local()
        self._contain = contain
        self._activation = activation
        self._gate = activation  # closed until the activation file runs; None when open
        self._installed = False
        self._thread = 0
        self._other_thread = 0
        self._mon: Any = sys.monitoring  # typed Any: mypy runs with python_version 3.11
        self._tool = self._mon.DEBUGGER_ID
        events = self._mon.events
        self._local_events = (
            events.LINE | events.PY_RETURN | events.PY_YIELD | events.PY_RESUME | events.JUMP
        )
        self._instrumented: list[CodeType] = []
        # The FrameRecorder actions, replaced by seamed versions when a fault hook is installed.
        self._set_actions(frame_actions(frames))

    @property
    def installed(self) -> bool:
        return self._installed

    @property
    def dropped(self) -> dict[str, int]:
        return {"other_thread": self._other_thread} if self._other_thread else {}

    def _lane(self) -> FrameActions | None:
        """The calling (not the installing) thread's actions, or None: not recorded."""
        threads = self._threads
        if threads is None:
            self._other_thread += 1
            return None
        lane: FrameActions | None = threads.lane()
        return lane

    def _set_actions(self, actions: FrameActions) -> None:
        (self._enter, self._record_line, self._leave_return, self._leave_yield,
         self._leave_unwind) = actions

    def install(self) -> None:
        global _used_before
        mon = self._mon
        holder = mon.get_tool(self._tool)
        if holder is not None:
            raise usage(
                ErrorCode.TRACER_INSTALL_CONFLICT,
                f"sys.monitoring tool id {self._tool} (debugger) is held by {holder!r}",
                holder=str(holder),
                tool_id=str(self._tool),
            )
        mon.use_tool_id(self._tool, TOOL_NAME)
        if _used_before:
            mon.restart_events()
        _used_before = True
        self._thread = threading.get_ident()
        events = mon.events
        self._set_actions(frame_actions(self._frames))
        if self._threads is not None:
            self._threads.bind(frame_actions)
        callbacks: list[tuple[int, Callable[..., Any]]] = [
            (events.PY_START, self._start),
            (events.PY_RESUME, self._resume),
            (events.PY_THROW, self._throw),
            (events.LINE, self._line),
            (events.JUMP, self._jump),
            (events.PY_RETURN, self._return),
            (events.PY_YIELD, self._yield),
            (events.PY_UNWIND, self._unwind),
        ]
        for event, callback in callbacks:
            mon.register_callback(self._tool, event, callback)
        self._installed = True
        mon.set_events(self._tool, events.PY_START | events.PY_THROW | events.PY_UNWIND)

    def uninstall(self) -> None:
        if not self._installed:
            return
        self._installed = False
        mon = self._mon
        mon.set_events(self._tool, 0)
        for code in self._instrumented:
            mon.set_local_events(self._tool, code, 0)
        self._instrumented.clear()
        for event in (
            mon.events.PY_START, mon.events.PY_RESUME, mon.events.PY_THROW, mon.events.LINE,
            mon.events.JUMP, mon.events.PY_RETURN, mon.events.PY_YIELD, mon.events.PY_UNWIND,
        ):
            mon.register_callback(self._tool, event, None)
        mon.free_tool_id(self._tool)

    # --------------------------------------------------------------------------- callbacks

    def _start(self, code: CodeType, offset: int) -> Any:
        try:
            frames = self._frames
            if self._gate is not None and not self._open_gate(code):
                return self._mon.DISABLE  # before activation: disabled until the gate opens
            info = frames.infos.get(id(code))
            if info is None:
                info = frames.info(code, _getframe(1))
                if info.traced:
                    self._mon.set_local_events(self._tool, code, self._local_events)
                    self._instrumented.append(code)
            if not info.traced:
                return self._mon.DISABLE
            if _get_ident() != self._thread:
                lane = getattr(self._lanes, "lane", None) or self._lane()
                if lane is not None:
                    lane.enter(_getframe(1), info)
                return None
            self._enter(_getframe(1), info)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "call")
        return None

    def _open_gate(self, code: CodeType) -> bool:
        """The start check before activation: True when ``code`` opens the gate (now open)."""
        gate = self._gate
        if gate is None or not gate.opens(code):
            return gate is None
        if not self._frames.filter.accepts(code, _getframe(2)):
            return False
        if _get_ident() != self._thread:
            return False
        gate.frame, self._gate = _getframe(2), None
        self._mon.restart_events()  # code seen before activation was DISABLEd: see it again
        return True

    def _ended(self, frame: Any) -> None:
        activation = self._activation
        if activation is not None and activation.ends_with(frame):
            activation.on_end()

    def _resume(self, code: CodeType, offset: int) -> Any:
        try:
            if _get_ident() != self._thread:
                lane = getattr(self._lanes, "lane", None) or self._lane()
                if lane is not None:
                    lane.enter(_getframe(1), self._infos[id(code)])
                return None
            self._enter(_getframe(1), self._infos[id(code)])
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "call")
        return None

    def _throw(self, code: CodeType, offset: int, exc_value: BaseException) -> Any:
        try:
            info = self._infos.get(id(code))
            if info is None or not info.traced:
                return None
            if _get_ident() != self._thread:
                lane = getattr(self._lanes, "lane", None) or self._lane()
                if lane is not None:
                    lane.enter(_getframe(1), info)
                return None
            self._enter(_getframe(1), info)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "call")
        return None

    def _line(self, code: CodeType, line: int) -> Any:
        try:
            if _get_ident() != self._thread:
                lane = getattr(self._lanes, "lane", None) or self._lane()
                if lane is not None:
                    lane.line(_getframe(1), self._infos[id(code)], line)
                return None
            self._record_line(_getframe(1), self._infos[id(code)], line)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "line")
        return None

    def _jump(self, code: CodeType, source: int, destination: int) -> Any:
        try:
            if destination > source:
                return self._mon.DISABLE
            info = self._infos[id(code)]
            line = info.line_of(destination)
            if line == 0 or line != info.line_of(source):
                return self._mon.DISABLE
            if _get_ident() != self._thread:
                lane = getattr(self._lanes, "lane", None) or self._lane()
                if lane is not None:
                    lane.line(_getframe(1), info, line)
                return None
            self._record_line(_getframe(1), info, line)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "line")
        return None

    def _return(self, code: CodeType, offset: int, value: object) -> Any:
        try:
            frame = _getframe(1)
            if _get_ident() != self._thread:
                lane = getattr(self._lanes, "lane", None) or self._lane()
                if lane is not None:
                    lane.leave_return(frame, value)
                return None
            self._leave_return(frame, value)
            if self._activation is not None:
                self._ended(frame)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "return")
        return None

    def _yield(self, code: CodeType, offset: int, value: object) -> Any:
        try:
            if _get_ident() != self._thread:
                lane = getattr(self._lanes, "lane", None) or self._lane()
                if lane is not None:
                    lane.leave_yield(_getframe(1), value)
                return None
            self._leave_yield(_getframe(1), value)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "yield")
        return None

    def _unwind(self, code: CodeType, offset: int, exc_value: BaseException) -> Any:
        try:
            info = self._infos.get(id(code))
            if info is not None and info.traced:
                frame = _getframe(1)
                if _get_ident() != self._thread:
                    lane = getattr(self._lanes, "lane", None) or self._lane()
                    if lane is not None:
                        lane.leave_unwind(frame, exc_value)
                    return None
                self._leave_unwind(frame, exc_value)
                if self._activation is not None:
                    self._ended(frame)
        except Exception as exc:  # noqa: REC005 - handed to the policy through contain()
            self._contain(exc, "unwind")
        return None
