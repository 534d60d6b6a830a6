"""pytest integration: a ``faults`` fixture and a ``@pytest.mark.faults(PLAN)`` marker.

Registered as the ``pytest11`` entry point ``fault_injection``, so any test in a project that
installs this package can say, in one line::

    @pytest.mark.faults("enospc@write#3")
    def test_disk_full(faults):
        with pytest.raises(recorder.errors.EnvironmentError):
            record_something()
        assert faults.fired            # the fault really fired

While the test runs, the plan is installed in :mod:`recorder.seams` (in-process faults) and
exported as ``RECORDER_FAULTS`` (for subprocesses started with ``python -m fault_injection
exec``; :meth:`Faults.command` builds such a command line). The marker works without asking for
the fixture; ask for ``faults`` to inspect hits and firings or to install a plan mid-test with
:meth:`Faults.install`. Everything is undone after the test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fault_injection.injector import Firing, Injector
from fault_injection.plan import ENV_VAR, FaultPlan, parse_plan
from recorder import seams

MARKER = "faults"


class Faults:
    """The test's handle on fault injection."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch
        self.injector: Injector | None = None

    def install(self, plan: FaultPlan | str, journal: Path | None = None) -> Injector:
        """Install ``plan`` in-process and export it to subprocesses; replaces any earlier plan."""
        parsed = parse_plan(plan) if isinstance(plan, str) else plan
        self.injector = Injector(parsed, journal)
        seams.install(self.injector)
        self._monkeypatch.setenv(ENV_VAR, str(parsed))
        return self.injector

    def clear(self) -> None:
        """Remove the plan: the seams are free again."""
        seams.uninstall()
        self._monkeypatch.delenv(ENV_VAR, raising=False)
        self.injector = None

    @property
    def plan(self) -> FaultPlan:
        """The installed plan (empty when none)."""
        return self.injector.plan if self.injector is not None else FaultPlan()

    @property
    def fired(self) -> list[Firing]:
        """Faults that fired in this process so far."""
        return list(self.injector.fired) if self.injector is not None else []

    @property
    def hits(self) -> dict[str, int]:
        """Hits per seam in this process so far."""
        return dict(self.injector.hits) if self.injector is not None else {}

    @staticmethod
    def command(*recorder_args: str) -> list[str]:
        """``python -m fault_injection exec ARGS...``: the recorder's CLI under the plan."""
        return [sys.executable, "-m", "fault_injection", "exec", *recorder_args]


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker (the project runs with ``--strict-markers``)."""
    config.addinivalue_line(
        "markers", f"{MARKER}(plan): run the test with this fault plan installed, e.g. "
                   "@pytest.mark.faults('enospc@write#3') (see docs/fault-injection.md)")


@pytest.fixture
def faults(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    """A :class:`Faults` handle; installs the test's ``faults`` marker plan, if any."""
    handle = Faults(monkeypatch)
    marker = request.node.get_closest_marker(MARKER)
    if marker is not None:
        if len(marker.args) != 1 or not isinstance(marker.args[0], str | FaultPlan):
            pytest.fail(f"@pytest.mark.{MARKER} takes one plan string, e.g. 'enospc@write#3'",
                        pytrace=False)
        handle.install(marker.args[0])
    try:
        yield handle
    finally:
        handle.clear()


@pytest.fixture(autouse=True)
def _fault_injection_marker(request: pytest.FixtureRequest) -> None:
    """Apply the marker even when the test does not ask for the ``faults`` fixture."""
    if request.node.get_closest_marker(MARKER) is not None:
        request.getfixturevalue("faults")
