"""The floor for a ``sys.settrace`` recorder: the workload under a trace function doing nothing.

The global function returns the local one, so line events stay on, as a line-level recorder needs;
the interpreter pays for every call, line, return and exception event, and nothing else happens.
Usage: ``python -m bench.helpers.noop_settrace SCRIPT [ARGS...]``.
"""

from __future__ import annotations

import sys
import threading
from types import FrameType
from typing import Any

from bench.helpers.launch import run_script


def _local(frame: FrameType, event: str, arg: Any) -> Any:
    return _local


def _global(frame: FrameType, event: str, arg: Any) -> Any:
    return _local


if __name__ == "__main__":
    threading.settrace(_global)
    sys.settrace(_global)
    run_script(sys.argv[1:])
    sys.settrace(None)
