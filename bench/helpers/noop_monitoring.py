"""The floor for a ``sys.monitoring`` recorder: the workload with no-op callbacks for every event
a recorder needs (starts, resumes, lines, returns, yields, unwinds, raises).

Callbacks return None, never ``DISABLE``: a recorder must see every event of the traced code, so
this is the least a recorder of every line can cost.
Usage: ``python -m bench.helpers.noop_monitoring SCRIPT [ARGS...]``.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.helpers.launch import run_script

_TOOL = 5  # a free id (0-5 are valid); debuggers use 0, coverage 1, profilers 2, optimizers 5


def _noop(*args: Any) -> None:
    return None


def install() -> None:
    mon: Any = getattr(sys, "monitoring")  # noqa: B009 - absent on 3.11; this helper is 3.12+
    events = mon.events
    mon.use_tool_id(_TOOL, "bench-noop")
    wanted = (
        events.PY_START,
        events.PY_RESUME,
        events.PY_RETURN,
        events.PY_YIELD,
        events.PY_UNWIND,
        events.PY_THROW,
        events.RAISE,
        events.LINE,
    )
    mask = 0
    for event in wanted:
        mon.register_callback(_TOOL, event, _noop)
        mask |= event
    mon.set_events(_TOOL, mask)


if __name__ == "__main__":
    install()
    run_script(sys.argv[1:])
