"""The fault-injection harness's own exceptions: one small base, a few precise subclasses.

The harness lives outside the recorder, so it does not raise the recorder's façade errors; it
raises these. Each carries the stable ``ERR_*`` code and exit status the command line reports, so
``python -m fault_injection`` can tell a bad plan (usage, exit 2) from a mechanism that cannot run
here (environment, exit 10).

:class:`SimulatedCrash` is special: it is *thrown into the recorder* by a ``crash`` fault to play
the part of a bug in the recorder's own code, so it must not look like anything the recorder
expects (it is neither an ``OSError`` nor a recorder error).
"""

from __future__ import annotations


class FaultInjectionError(Exception):
    """Base of every exception the harness raises."""

    code = "ERR_UNKNOWN"
    exit_code = 70

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class PlanError(FaultInjectionError):
    """A fault plan could not be parsed (a usage error: exit 2, ``ERR_INVALID_FAULT_PLAN``)."""

    code = "ERR_INVALID_FAULT_PLAN"
    exit_code = 2


class HarnessUsageError(FaultInjectionError):
    """The harness's command line or API was called wrongly (exit 2)."""

    code = "ERR_INVALID_ARGUMENT"
    exit_code = 2


class MechanismUnavailable(FaultInjectionError):
    """A real fault mechanism cannot run here (not root, no strace, ...); the message says why."""

    code = "ERR_BACKEND_UNAVAILABLE"
    exit_code = 10


class MechanismFailed(FaultInjectionError):
    """A real fault mechanism was available but failed to set up or tear down (exit 10)."""

    code = "ERR_IO"
    exit_code = 10


class SimulatedCrash(FaultInjectionError):
    """Raised inside the recorder by a ``crash`` fault: stands for a bug in the recorder's code."""

    code = "ERR_UNKNOWN"
    exit_code = 70

    def __str__(self) -> str:
        # The recorder classifies it and adds its own code; a code of ours would only confuse.
        return self.message
