"""``fault_sweep``: a program's fault sweep as one pytest item per run, in a project's own tests.

::

    from fault_injection.pytest_sweep import fault_sweep

    @fault_sweep(["python", "save_settings.py", "theme=dark"], fixture="tests/fixtures/app",
                 oracle="tests/fixtures/app/fault-oracle.toml")
    def test_saving_survives_io_errors(fault_run):
        fault_run.check()

When pytest collects the module, the decorator does the sweep's two clean runs (so a usage
error - a failing or nondeterministic command, a bad oracle - is a collection error with its
code) and parametrizes the test with one ``fault_run`` per run: point x hit x kind x
transient/persistent, each named like the sweep's runs (``program:enospc@os.write#1+``). So
pytest's own ``-k``, ``-x``, ``--junitxml`` and ``-n`` (pytest-xdist: every worker collects the
same, deterministic list) work on a sweep. :meth:`FaultRun.check` runs the case in a fresh copy
of the fixture and fails the item with the broken promises and the reproducer.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest

from fault_injection.oracle import from_mapping, load, merged
from fault_injection.program_sweep import ProgramCase, ProgramSubject, Settings
from fault_injection.syscall_sweep import SyscallSubject

F = TypeVar("F", bound=Callable[..., Any])


class FaultRun:
    """One run of a sweep, as a test parameter."""

    def __init__(self, subject: ProgramSubject, case: ProgramCase, root: Path) -> None:
        self.subject = subject
        self.case = case
        self.root = root

    def __repr__(self) -> str:
        return self.case.name

    def check(self) -> None:
        """Run the case in a fresh copy of the fixture; fail the test if it broke a promise."""
        casedir = Path(tempfile.mkdtemp(prefix="case-", dir=self.root))
        shutil.rmtree(casedir)
        verdict, result = self.subject.run(self.case, casedir)
        if verdict.ok:
            shutil.rmtree(casedir, ignore_errors=True)
            return
        lines = [f"{self.case.name} (exit {result.returncode}):",
                 *(f"  - {violation}" for violation in verdict.violations),
                 f"  reproduce: {self.subject.reproduce(self.case)}"]
        pytest.fail("\n".join(lines), pytrace=False)


def fault_sweep(command: Sequence[str], *, fixture: str | Path | None = None,
                oracle: str | Path | None = None, only_under: Sequence[str] = (".",),
                kinds: Sequence[str] | None = None, points: Sequence[str] | None = None,
                modes: Sequence[bool] = (False, True), max_hits: int = 8,
                syscalls: bool = False, **oracle_keys: Any) -> Callable[[F], F]:
    """Parametrize a test with one ``fault_run`` per run of the sweep of ``command``.

    ``oracle_keys`` are the oracle file's keys with underscores (``atomic=["out.json"]``,
    ``exit_in=[0, 1]``); they add to ``oracle`` as the sweep's flags do.
    """
    flags = from_mapping({key.replace("_", "-"): value for key, value in oracle_keys.items()},
                         "fault_sweep()")
    settings = Settings(tuple(command), None if fixture is None else Path(fixture),
                        merged(load(None if oracle is None else Path(oracle)), flags),
                        tuple(only_under), None if kinds is None else tuple(kinds),
                        None if points is None else tuple(points), tuple(modes), max_hits)
    root = Path(tempfile.mkdtemp(prefix="fault-sweep-"))
    atexit.register(shutil.rmtree, root, True)
    subject = (SyscallSubject if syscalls else ProgramSubject)(settings, root / "program")
    params = [pytest.param(FaultRun(subject, case, root), id=case.name)
              for case in subject.cases()]
    return pytest.mark.parametrize("fault_run", params)
