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
    remedy = ""  # what the user can do; the command line prints it after the message

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class PlanError(FaultInjectionError):
    """A fault plan could not be parsed (a usage error: exit 2, ``ERR_INVALID_FAULT_PLAN``)."""

    code = "ERR_INVALID_FAULT_PLAN"
    exit_code = 2


class UnknownPointError(PlanError):
    """A plan names a fault point that neither the recorder nor the generic seams have."""

    code = "ERR_UNKNOWN_FAULT_POINT"
    remedy = ("name a recorder seam (write, fsync, ...) or a file-system point (os.write, "
              "os.fsync, ...); `python -m fault_injection points` lists them")


class KindNotOfferedError(PlanError):
    """A plan asks for a fault kind a point does not offer (``crash`` at an ``os.*`` point)."""

    code = "ERR_FAULT_KIND_NOT_OFFERED"
    remedy = ("`crash` stands for a bug in the recorder and exists only at the recorder's seams; "
              "use an errno kind or sigint at os.* points")


class HarnessUsageError(FaultInjectionError):
    """The harness's command line or API was called wrongly (exit 2)."""

    code = "ERR_INVALID_ARGUMENT"
    exit_code = 2
    remedy = "see `python -m fault_injection SUBCOMMAND --help`"


#: The sweep's usage errors beyond the plan's: each code with its remedy (stable: added, never
#: renamed or removed; ``tests/fault_injection/test_program_sweep.py`` pins the list).
SWEEP_USAGE_CODES: dict[str, str] = {
    "ERR_COMMAND_MISSING": "put the command after `--`, e.g. `sweep [options] -- python prog.py` "
                           "or `run -- python prog.py`",
    "ERR_COMMAND_NOT_FOUND": "give a program that exists on PATH, or its path",
    "ERR_FIXTURE_MISSING": "--fixture must name an existing directory (the command's working "
                           "directory, copied fresh for every run)",
    "ERR_ORACLE_INVALID": "fix the oracle file: TOML with the keys exit-in, no-traceback, stdout, "
                          "atomic, no-leftovers (docs/fault-injection.md)",
    "ERR_ORACLE_PATH_OUTSIDE": "oracle paths are relative to the fixture and must stay inside it",
    "ERR_BOOTSTRAP_BYPASSED": "drop -I, -E and -S from the Python command: they stop Python from "
                              "reading PYTHONPATH or sitecustomize, so no seam would be loaded",
    "ERR_BOOTSTRAP_NOT_LOADED": "the command must start a Python 3.11+ process without -I/-E/-S "
                                "(a shebang line counts); other programs: use `fault_injection "
                                "strace`",
    "ERR_CLEAN_RUN_FAILED": "make the command succeed without faults first (or list its clean "
                            "exit status in exit-in)",
    "ERR_NONDETERMINISTIC": "make the program deterministic (fixed seeds, no clocks or random "
                            "names in its output); a sweep of a nondeterministic program proves "
                            "nothing",
    "ERR_OPTION_CONFLICT": "recorder-sweep options (--scenario, --policies, --point, ...) and a "
                           "command after `--` do not mix",
    "ERR_INVALID_SHARD": "--shard K/N needs whole numbers with 1 <= K <= N",
    "ERR_REPORT_INVALID": "give the --json reports that `sweep --shard K/N` wrote",
    "ERR_SHARD_MISSING": "merge every shard 1..N of the sweep (rerun the missing ones)",
    "ERR_SHARD_DUPLICATED": "give each shard's report once",
    "ERR_SHARD_FOREIGN": "merge only shards of one sweep: the same command, options and N on the "
                         "same program and fixture",
}


class SweepUsageError(HarnessUsageError):
    """A usage error of the program sweep, with its own stable code and remedy (exit 2)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.remedy = SWEEP_USAGE_CODES[code]


#: The crash explorer's own usage errors (``python -m fault_injection crash``); it also raises the
#: sweep's codes for what both share (a missing command or fixture, a bad oracle, a failed clean
#: run, a shard). Stable like the sweep's: added, never renamed or removed.
CRASH_USAGE_CODES: dict[str, str] = {
    "ERR_CRASH_NOTHING_TO_EXPLORE": "the command must change files under the fixture (its working "
                                    "directory); check --fixture and that the program writes "
                                    "there with Python's own calls (open, os.write, os.replace...)",
    "ERR_CRASH_MODEL_UNKNOWN": "--model is one of process-crash, power-loss, all",
    "ERR_CRASH_RECOVER_FAILS": "the recover command must exit 0 on what the clean run left; fix "
                               "the command (it runs in the fixture copy) or the program",
    "ERR_CRASH_STATE_INVALID": "give --state as printed in a reproducer, e.g. "
                               "power-loss@5:e3:i2=0z",
}


class CrashUsageError(HarnessUsageError):
    """A usage error of the crash explorer, with its own stable code and remedy (exit 2)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.remedy = CRASH_USAGE_CODES[code]


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
