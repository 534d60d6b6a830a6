"""The fault-injection harness: make the recorder - or any program - fail for real, check promises.

It drives the recorder from the outside, through :mod:`recorder.seams` and the recorder's command
line; the recorder never imports it. Other Python programs get seams without code changes from
a bootstrap loaded into their process. The parts:

* :mod:`fault_injection.plan` - fault plans as text (``RECORDER_FAULTS="enospc@write#3"``,
  ``enospc@os.write#3`` for any program);
* :mod:`fault_injection.injector` - a plan as the recorder's seam hook (counts hits, fires faults);
* :mod:`fault_injection.boot` and :mod:`fault_injection.bootenv` - the file-system seams of any
  Python program, and the environment that loads them (``python -m fault_injection run``);
* :mod:`fault_injection.exec` - ``python -m fault_injection exec|count`` (a plan across processes);
* :mod:`fault_injection.mechanisms` - real faults: tmpfs, setpriv, RLIMIT_FSIZE, read-only
  mounts, SIGINT at a seam, strace syscall injection;
* :mod:`fault_injection.sweep` - ``python -m fault_injection sweep``: one engine
  (:mod:`~fault_injection.runs`) with the recorder's configuration
  (:mod:`~fault_injection.recorder_sweep`, checked by :mod:`~fault_injection.invariants` against
  :mod:`~fault_injection.expectations`), any program's (:mod:`~fault_injection.program_sweep`,
  :mod:`~fault_injection.oracle`, :mod:`~fault_injection.program_check`) and the system-call
  level (:mod:`~fault_injection.syscall_sweep`); shards combine with
  :mod:`~fault_injection.merge`, reports go out as JSON, JUnit XML
  (:mod:`~fault_injection.junit`) and progress (:mod:`~fault_injection.progress`);
* :mod:`fault_injection.pytest_plugin`, :mod:`fault_injection.pytest_sweep` and
  :mod:`fault_injection.strategies` - for tests, the recorder's and anyone's.

See ``docs/fault-injection.md``.
"""

from __future__ import annotations

from fault_injection.errors import FaultInjectionError, PlanError, SimulatedCrash
from fault_injection.injector import Firing, Injector, injected, install
from fault_injection.plan import ENV_VAR, FaultPlan, FaultSpec, parse_plan

__all__ = [
    "ENV_VAR",
    "FaultInjectionError",
    "FaultPlan",
    "FaultSpec",
    "Firing",
    "Injector",
    "PlanError",
    "SimulatedCrash",
    "injected",
    "install",
    "parse_plan",
]
