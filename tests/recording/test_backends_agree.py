"""On Python 3.12+, ``sys.monitoring`` and ``sys.settrace`` record the same events.

Runs on each 3.12+ interpreter found (3.12 and 3.13 here), even when the suite itself runs on
3.11 (the package is stdlib-only, so it is imported from the source tree). Addresses in ``Raw``
reprs are normalised away.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from recording_support import (
    EXAMPLE_NAMES,
    NO_GOLDEN,
    find_monitoring_pythons,
    normalise,
    run_recorded,
)

PYTHONS = find_monitoring_pythons()


@pytest.mark.skipif(not PYTHONS, reason="no Python 3.12+ interpreter found")
@pytest.mark.parametrize("version", sorted(PYTHONS) or ["none"])
@pytest.mark.parametrize("name", [n for n in EXAMPLE_NAMES if n not in NO_GOLDEN])
def test_monitoring_and_settrace_write_the_same_events(
    name: str, version: str, tmp_path: Path
) -> None:
    python = PYTHONS[version]
    monitoring = run_recorded(python, name, "monitoring", tmp_path / "monitoring")
    settrace = run_recorded(python, name, "settrace", tmp_path / "settrace")
    assert (monitoring.stdout, monitoring.status) == (settrace.stdout, settrace.status)

    events_monitoring = normalise(tmp_path / "monitoring")
    events_settrace = normalise(tmp_path / "settrace")
    assert len(events_monitoring) > 10  # the program was actually recorded
    assert events_monitoring == events_settrace
