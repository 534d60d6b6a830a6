"""Scenario programs for the sweep: small, deterministic scripts that exercise every seam.

Each is a plain script (run as ``python SCRIPT`` for the baseline and under the recorder for the
faulted runs). They print with ``print`` on purpose - they are the *traced programs*, not harness
code - hence their ``noqa`` markers. They avoid ``except Exception`` (which would swallow the
recorder's abort error) and are deterministic so that hit counts repeat run after run.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

SCENARIOS: dict[str, Path] = {
    name: HERE / f"{name}.py" for name in ("functions", "generators", "exits", "raises", "bulk")
}
