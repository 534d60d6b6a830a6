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

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from fault_injection.boot import fs_seams, open_seam, os_seams
from fault_injection.injector import Firing, Injector
from fault_injection.plan import ENV_VAR, FaultPlan, os_clauses, parse_plan
from recorder import seams

MARKER = "faults"


class Faults:
    """The test's handle on fault injection."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, only_under: Sequence[Path] = ()) -> None:
        self._monkeypatch = monkeypatch
        self.injector: Injector | None = None
        self.only_under = [Path(p) for p in only_under]  # where os.* points count in-process
        self._os_seams: fs_seams.Seams | None = None

    def install(self, plan: FaultPlan | str, journal: Path | None = None) -> Injector:
        """Install ``plan`` in-process and export it to subprocesses; replaces any earlier plan.

        Recorder points go to :mod:`recorder.seams`; ``os.*`` points to the generic seams,
        counting only calls on paths under :attr:`only_under` (never pytest's own I/O). A
        ``sigint`` at an ``os.*`` point is refused in-process (it would interrupt pytest, not
        the code under test): run that code in a child with :meth:`child`.
        """
        self.clear()
        parsed = parse_plan(plan) if isinstance(plan, str) else plan
        clauses = os_clauses(parsed)
        if any(clause["kind"] == "sigint" for clause in clauses):
            pytest.fail("sigint at os.* points is not offered in-process: it would interrupt "
                        "pytest itself. Run the code in a child: subprocess.run(faults.child("
                        "...))", pytrace=False)
        self.injector = Injector(parsed, journal)
        seams.install(self.injector)
        if clauses:
            roots = fs_seams.roots_from(os.pathsep.join(str(p) for p in self.only_under))
            if not roots:
                pytest.fail("os.* points need somewhere to count: @pytest.mark.faults(plan, "
                            "only_under=DIR) or the test's tmp_path", pytrace=False)
            self._os_seams = fs_seams.Seams(clauses, roots, None, False)
            fs_seams.install(self._os_seams, [open_seam, os_seams])
        self._monkeypatch.setenv(ENV_VAR, str(parsed))
        return self.injector

    def clear(self) -> None:
        """Remove the plan: the seams are free again."""
        seams.uninstall()
        if self._os_seams is not None:
            fs_seams.uninstall()
            self._os_seams = None
        self._monkeypatch.delenv(ENV_VAR, raising=False)
        self.injector = None

    @property
    def plan(self) -> FaultPlan:
        """The installed plan (empty when none)."""
        return self.injector.plan if self.injector is not None else FaultPlan()

    @property
    def fired(self) -> list[Firing]:
        """Faults that fired in this process so far (recorder and ``os.*`` points)."""
        found = list(self.injector.fired) if self.injector is not None else []
        if self._os_seams is not None:
            found += [Firing(f["spec"], f["point"], f["hit"], f["path"],
                             tuple(sorted(f["seen"].items()))) for f in self._os_seams.fired]
        return found

    @property
    def hits(self) -> dict[str, int]:
        """Hits per seam in this process so far (recorder and ``os.*`` points)."""
        found = dict(self.injector.hits) if self.injector is not None else {}
        if self._os_seams is not None:
            found.update(self._os_seams.hits)
        return found

    @staticmethod
    def command(*recorder_args: str) -> list[str]:
        """``python -m fault_injection exec ARGS...``: the recorder's CLI under the plan."""
        return [sys.executable, "-m", "fault_injection", "exec", *recorder_args]

    def child(self, *command: str) -> list[str]:
        """``python -m fault_injection run -- COMMAND...``: any command under the test's plan
        (it is exported in ``RECORDER_FAULTS``), counting under the same paths."""
        roots = [arg for root in self.only_under for arg in ("--only-under", str(root))]
        return [sys.executable, "-m", "fault_injection", "run", *roots, "--", *command]


def pytest_configure(config: pytest.Config) -> None:
    """Declare the marker (the project runs with ``--strict-markers``)."""
    config.addinivalue_line(
        "markers", f"{MARKER}(plan): run the test with this fault plan installed, e.g. "
                   "@pytest.mark.faults('enospc@write#3') (see docs/fault-injection.md)")


@pytest.fixture
def faults(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Faults]:
    """A :class:`Faults` handle; installs the test's ``faults`` marker plan, if any."""
    marker = request.node.get_closest_marker(MARKER)
    only_under = marker.kwargs.get("only_under") if marker is not None else None
    if only_under is None:
        roots = [request.getfixturevalue("tmp_path")]
    else:
        roots = [Path(p) for p in ([only_under] if isinstance(only_under, str | Path)
                                   else only_under)]
    handle = Faults(monkeypatch, roots)
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
