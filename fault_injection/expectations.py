"""The oracle: what the policy table says a run must do, given the fault that fired.

:func:`expect` turns a case (fault kind, point, policy) and the baseline of its scenario into
one or more acceptable :class:`Expectation` s; a run passes when it meets any of them in full.
More than one is acceptable only where the contract leaves a choice, and each choice is named
here so that a reviewer can see how lenient the sweep is:

* a fault at ``unlink`` may be *absorbed* (best-effort clean-up of stale files may ignore a
  failure) - the run must then be exactly a clean run;
* with ``--keep-partial-trace``, *nothing* instead of a partial trace is accepted only when there
  was no partial trace to keep or no honest way to write one: a persistent I/O fault (every later
  write fails too); a fault before the first event reached the trace file (no ``write`` hit yet,
  or the first write itself); a fault in the publishing step (at or after the first ``fsync``, or
  at ``rename``): a failed fsync is never retried, and the recorder does not publish twice;
* a SIGINT leaves a complete trace labelled interrupted or, when it came before anything was
  staged, nothing; a *persistent* SIGINT (Ctrl-C pressed again and again) may end the process
  at once and leave its staging directory, which the next run cleans as stale (only noted).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fault_injection.injector import Firing
from fault_injection.model import Baseline, Case
from fault_injection.plan import ERRNO_KINDS
from recorder import seams
from recorder.errors import CATALOG, ErrorCode, ErrorKind, code_for

EXIT_OF_KIND: dict[str, int] = {kind.value: kind.exit_code.value for kind in ErrorKind}
ABSORBABLE_POINTS = frozenset({"unlink"})
BEFORE_STAGING_POINTS = frozenset({"mkdir", "start"})
INTERRUPTED_EXITS = frozenset({-2, 130})  # killed by SIGINT, as Python ends after Ctrl-C


@dataclass(frozen=True)
class ExpectedError:
    """The error that must decide the exit status: its kind and the acceptable codes."""

    kind: str
    codes: frozenset[str]
    also: tuple[tuple[str, str], ...] = ()  # other acceptable (kind, code) pairs

    def accepts(self, kind: object, code: object) -> bool:
        """True when a trailer with ``kind``/``code`` is the expected one."""
        return (kind == self.kind and code in self.codes) or (kind, code) in self.also

    def describe(self) -> str:
        """``Kind/CODE|CODE`` for messages."""
        text = f"{self.kind}/{'|'.join(sorted(self.codes))}"
        return text + "".join(f" or {k}/{c}" for k, c in self.also)


@dataclass
class Expectation:
    """One acceptable outcome of a run."""

    outcome: str  # clean | failed | interrupted | absorbed
    why: str
    exit_statuses: frozenset[int]
    stdout_exact: bool
    stderr_exact: bool
    error: ExpectedError | None  # a trailer / error line is required for this error
    tolerated: frozenset[tuple[str, str]] = frozenset()  # trailers allowed but not required
    trace_states: frozenset[str] = frozenset({"complete"})
    partial_reasons: frozenset[str] = field(default_factory=frozenset)
    interrupted: bool = False
    leftovers_allowed: bool = False  # repeated SIGINT: "stop now" may leave staging behind


def _codes_of_kind(kind: ErrorKind) -> frozenset[str]:
    return frozenset(code.value for code, entry in CATALOG.items() if entry.kind is kind)


def fault_error(kind: str, point: str) -> ExpectedError:
    """The classified error a fault of ``kind`` at ``point`` must become."""
    if kind in ERRNO_KINDS:
        code = code_for(OSError(ERRNO_KINDS[kind], "simulated")).value
        codes = {code}
        if point == "fsync":
            codes.add(ErrorCode.FSYNC_FAILED.value)
        if point == "mkdir":
            codes.add(ErrorCode.TRACE_DIR_CREATE_FAILED.value)
        return ExpectedError(ErrorKind.ENVIRONMENT.value, frozenset(codes))
    return ExpectedError(ErrorKind.INTERNAL.value, _codes_of_kind(ErrorKind.INTERNAL))


def clean(case: Case, base: Baseline, outcome: str = "clean") -> Expectation:
    """A run in which no fault took effect: exactly the script's own behaviour and a full trace."""
    status = base.script_status
    target = (ErrorKind.TARGET.value, ErrorCode.TARGET_RAISED.value)
    required = None
    if status == EXIT_OF_KIND[ErrorKind.TARGET.value] and case.policy.json_errors:
        required = ExpectedError(target[0], frozenset({target[1]}))
    return Expectation(outcome, "no fault took effect", frozenset({status}), True, True, required,
                       tolerated=frozenset({target}) if required is None and status == 20
                       else frozenset())


def interrupted(case: Case) -> Expectation:
    """A SIGINT at a seam: the run ends as Python does after Ctrl-C, the trace finalised."""
    states = {"complete", "nothing"}
    if case.policy.keep_partial:
        states.add("partial")
    tolerated = {(ErrorKind.TARGET.value, ErrorCode.INTERRUPTED.value)}
    if case.policy.require_trace:  # interrupted before the trace was complete
        tolerated.add((ErrorKind.USAGE.value, ErrorCode.TRACE_MISSING.value))
    return Expectation("interrupted", "SIGINT ends the process as after Ctrl-C",
                       INTERRUPTED_EXITS, False, False, None, tolerated=frozenset(tolerated),
                       trace_states=frozenset(states),
                       partial_reasons=frozenset({ErrorCode.INTERRUPTED.value}),
                       interrupted=True, leftovers_allowed=case.persistent)


def partial_optional(case: Case, firing: Firing) -> bool:
    """True when, with keep-partial, leaving nothing is as acceptable as a partial trace."""
    point = firing.point
    if case.persistent and point in seams.IO_POINTS:
        return True
    if point in BEFORE_STAGING_POINTS or firing.hits_of("write") <= (1 if point == "write" else 0):
        return True
    return point in ("fsync", "rename") or firing.hits_of("fsync") > 0


def failed(case: Case, base: Baseline, firing: Firing) -> Expectation:
    """An I/O error or a crash: the policy table's rows for recorder failures."""
    point = firing.point
    error = fault_error(case.kind, point)
    own_exit = EXIT_OF_KIND[error.kind]
    policy = case.policy
    if policy.on_error == "abort":
        statuses, why, required = {own_exit}, "abort: stopped with the classified error", error
    elif policy.require_trace:
        missing = (ErrorKind.USAGE.value, ErrorCode.TRACE_MISSING.value)
        statuses, why = {own_exit, EXIT_OF_KIND[missing[0]]}, "disable + require-trace"
        required = ExpectedError(error.kind, error.codes, (missing,))
    else:
        statuses, why, required = {base.script_status}, "disable: the script's own", None
    states = {"nothing"}
    if policy.keep_partial:
        states = {"partial", "nothing"} if partial_optional(case, firing) else {"partial"}
    disabled = policy.on_error == "disable"
    tolerated = frozenset({(ErrorKind.TARGET.value, ErrorCode.TARGET_RAISED.value)}) \
        if required is None and base.script_status == 20 else frozenset()
    return Expectation("failed", why, frozenset(statuses), disabled, disabled, required,
                       tolerated=tolerated, trace_states=frozenset(states),
                       partial_reasons=error.codes)


def expect(case: Case, base: Baseline, firings: list[Firing]) -> list[Expectation]:
    """Every acceptable outcome of ``case`` given where its fault actually fired."""
    if not firings:
        return [clean(case, base)]
    point = firings[0].point
    if case.kind == "sigint":
        return [interrupted(case)]
    options = [failed(case, base, firings[0])]
    if point in ABSORBABLE_POINTS:
        options.append(clean(case, base, "absorbed"))
    return options
