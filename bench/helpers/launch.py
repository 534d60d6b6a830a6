"""Run a script as ``__main__`` the way ``python SCRIPT ARGS`` would (shared by the helpers)."""

from __future__ import annotations

import runpy
import sys


def run_script(argv: list[str]) -> None:
    """Run ``argv[0]`` with ``sys.argv == argv`` and its directory first on ``sys.path``."""
    script = argv[0]
    sys.argv = list(argv)
    sys.path[0] = script.rpartition("/")[0] or "."
    runpy.run_path(script, run_name="__main__")
