"""The argument Values an args_only frame keeps for its Steps are dropped with the frame.

``FrameRecorder`` keeps, per args_only frame on its shadow stack, the ``Value`` events of its
``Call`` (see ``FrameRecorder._first_step_is_args``). Frames are stand-ins (the recorder reads
only ``f_code``, ``f_locals``, ``f_globals`` and ``f_lasti``), so the cases run in-process: a frame
that leaves, a frame whose exit never came (resynchronised away) and the end of the recording must
each take their entry with them, and a Step must reuse only its own frame's entry.
"""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace
from typing import Any

import pytest
from recording_support import MemorySink

from recorder.trace_writer import TraceWriter
from recorder.tracing.filters import CodeFilter
from recorder.tracing.frames import FrameRecorder
from recorder.tracing.valuejson import ValueJson

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 13), reason="args_only is off on 3.13+")


def pure(x):  # type: ignore[no-untyped-def]  # binds no local: args_only
    if x:
        return x
    return 0


def _recorder() -> tuple[FrameRecorder, MemorySink]:
    sink = MemorySink()
    writer = TraceWriter(sink)
    writer.begin("/prog.py")
    return FrameRecorder(writer, ValueJson(writer), CodeFilter()), sink


def _frame(x: Any) -> Any:
    return SimpleNamespace(f_code=pure.__code__, f_locals={"x": x}, f_globals={}, f_lasti=0)


def test_each_step_reuses_its_own_frames_arguments_and_leaving_drops_them() -> None:
    frames, sink = _recorder()
    info = frames.info(pure.__code__)
    outer, inner = _frame(1), _frame(2)
    frames.enter(outer, info)
    frames.enter(inner, info)
    assert [entry[0] for entry in frames._held] == [outer, inner]
    inner.f_locals["x"] = 99  # not seen: inner's Steps show its arguments (it binds nothing)
    frames.line(inner, info, info.line + 1)
    frames.leave_return(inner, 2)
    assert [entry[0] for entry in frames._held] == [outer]
    frames.line(outer, info, info.line + 1)
    frames.leave_return(outer, 1)
    assert frames._held == []
    frames.writer.flush()
    values = [e["Value"]["value"].get("i") for e in json.loads(sink.data.decode() + "]")
              if "Value" in e]
    assert values == [1, 2, 2, 1]  # the Calls' arguments, then each Step's: inner's is 2


def test_a_frame_resynchronised_away_takes_its_entry_with_it() -> None:
    frames, _ = _recorder()
    info = frames.info(pure.__code__)
    outer, lost = _frame(1), _frame(2)
    frames.enter(outer, info)
    frames.enter(lost, info)
    frames.line(outer, info, info.line + 1)  # lost's exit never came
    assert frames.lost_exits == 1
    assert [entry[0] for entry in frames._held] == [outer]


def test_closing_the_open_frames_drops_every_entry() -> None:
    frames, _ = _recorder()
    info = frames.info(pure.__code__)
    frames.enter(_frame(1), info)
    frames.enter(_frame(2), info)
    frames.close_open_frames()
    assert frames._held == [] and frames._first is None
