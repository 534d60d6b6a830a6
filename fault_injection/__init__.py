"""The fault-injection harness: make the recorder fail for real and prove it keeps its promises.

It drives the recorder from the outside, through :mod:`recorder.seams` and the recorder's command
line; the recorder never imports it. The parts:

* :mod:`fault_injection.plan` - fault plans as text (``RECORDER_FAULTS="enospc@write#3"``);
* :mod:`fault_injection.injector` - a plan as a seam hook (counts hits, fires faults);
* :mod:`fault_injection.exec` - ``python -m fault_injection exec|count`` (a plan across processes);
* :mod:`fault_injection.mechanisms` - real faults: tmpfs, setpriv, RLIMIT_FSIZE, read-only
  mounts, SIGINT at a seam, strace syscall injection;
* :mod:`fault_injection.sweep` - every fault at every seam of every scenario under every policy,
  checked by :mod:`fault_injection.invariants` against :mod:`fault_injection.expectations`;
* :mod:`fault_injection.pytest_plugin` and :mod:`fault_injection.strategies` - for tests.

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
