"""Run the recorder's command line with its fault seams changed, to measure what they cost.

Usage: ``python -m bench.helpers.seams_variant MODE [recorder CLI args...]`` where MODE is

* ``bypass``: ``recorder.seams.hit`` replaced by a function that does nothing, the closest we
  can get to compiling the seams out without editing the recorder (every call site looks the
  function up on the module, so the replacement takes effect everywhere);
* ``hook``: a hook installed that never fails, so callbacks are wrapped and every seam calls
  it: what a fault plan costs before its fault fires.
"""

from __future__ import annotations

import runpy
import sys

from recorder import seams


def _nothing(point: str, path: str | None = None) -> None:
    return None


def _pass(point: str, path: str | None) -> None:
    return None


def main(argv: list[str]) -> None:
    mode, rest = argv[0], argv[1:]
    if mode == "bypass":
        seams.hit = _nothing
    elif mode == "hook":
        seams.install(_pass)
    else:
        sys.stderr.write(f"seams_variant: unknown mode {mode!r} (bypass or hook)\n")
        sys.exit(2)
    sys.argv = ["recorder", *rest]
    runpy.run_module("recorder", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
