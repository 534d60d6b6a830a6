"""The promises a faulted run must keep, checked from the outside after each run of the sweep.

Given the untraced run of a scenario (:class:`Baseline`), the fault that was planned
(:class:`Case`) and what the traced run did (:class:`RunResult`), :func:`check` returns the
violated invariants as sentences (empty: the run kept every promise). The expectations follow
the policy table of the README (issue 4):

* exit status: the script's own when no fault fired; under ``abort`` the fault's kind (10 for an
  I/O error, 70 for a crash); under ``disable`` the script's own, unless ``--require-trace``
  turns the missing trace into the fault's kind (or 2 with ``ERR_TRACE_MISSING``); a SIGINT ends
  the process as Python does after Ctrl-C (killed by SIGINT);
* stdout: byte for byte the untraced run's (under ``abort`` a prefix of it: the program was
  stopped); under ``disable`` the script's stderr lines are its own too;
* trace directory: a complete valid trace (no fault), nothing (fault, no ``--keep-partial-trace``)
  or a valid trace marked ``partial`` with the fault's code as ``partial_reason``; never a staging
  leftover;
* ``--json-errors``: exactly one trailer, the last stderr line, with the expected kind and code;
  otherwise one ``recorder: [ERR_...]`` line last;
* no Python traceback from the recorder's (or the harness's) own code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from fault_injection.expectations import EXIT_OF_KIND, Expectation, expect
from fault_injection.model import Baseline, Case, RunResult
from fault_injection.tracedir import inspect_trace_dir, leftovers

_TRACEBACK = "Traceback (most recent call last)"
_OWN_FRAME = re.compile(r'^\s*File ".*[/\\](recorder|fault_injection)[/\\][^"]*\.py"', re.M)


@dataclass
class Verdict:
    """The result of checking one run."""

    violations: list[str] = field(default_factory=list)
    outcome: str = ""  # "clean", "failed", "interrupted", "absorbed": what the run did
    notes: list[str] = field(default_factory=list)  # worth knowing, not a broken promise

    @property
    def ok(self) -> bool:
        """True when every invariant held."""
        return not self.violations


def trailer_lines(stderr: str) -> list[dict[str, object]]:
    """The ``--json-errors`` trailers in ``stderr`` (log lines have a ``level``; trailers not)."""
    found: list[dict[str, object]] = []
    for line in stderr.splitlines():
        if not line.startswith("{"):
            continue
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and "error_code" in data and "error_kind" in data \
                and "level" not in data:
            found.append(data)
    return found


def script_stderr(stderr: str) -> str:
    """``stderr`` without the recorder's own lines (JSON log lines, trailer, human error lines)."""
    kept = []
    for line in stderr.splitlines(keepends=True):
        if line.startswith("recorder: ["):
            continue
        if line.startswith("{") and '"run_id"' in line:
            continue
        kept.append(line)
    return "".join(kept)


def _last_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _check_exit(exp: Expectation, result: RunResult, out: list[str]) -> None:
    if result.returncode not in exp.exit_statuses:
        wanted = " or ".join(str(s) for s in sorted(exp.exit_statuses))
        out.append(f"exit status {result.returncode}, expected {wanted} ({exp.why})")


def _check_stdout(exp: Expectation, base: Baseline, result: RunResult, out: list[str]) -> None:
    if exp.stdout_exact:
        if result.stdout != base.stdout:
            out.append(f"stdout differs from the untraced run ({len(result.stdout)} bytes vs "
                       f"{len(base.stdout)})")
    elif not base.stdout.startswith(result.stdout):
        out.append("stdout is not a prefix of the untraced run's stdout")
    if exp.stderr_exact and script_stderr(result.stderr_text) != base.stderr_text:
        out.append("the script's stderr differs from the untraced run's")


def _check_trailer(exp: Expectation, case: Case, result: RunResult, out: list[str]) -> None:
    stderr = result.stderr_text
    trailers = trailer_lines(stderr)
    last = _last_line(stderr)
    if not case.policy.json_errors:
        if trailers:
            out.append("a JSON trailer was written without --json-errors")
        if exp.error is not None and not last.startswith("recorder: ["):
            out.append(f"last stderr line is not the recorder's error line: {last[:120]!r}")
        elif exp.error is not None and not any(
                f"[{code}]" in last for code in exp.error.codes | {c for _, c in exp.error.also}):
            out.append(f"error line has the wrong code: {last[:120]!r} "
                       f"(expected {exp.error.describe()})")
        return
    if exp.error is None:
        for data in trailers:
            if (data.get("error_kind"), data.get("error_code")) not in exp.tolerated:
                out.append(f"unexpected trailer {data.get('error_kind')}/{data.get('error_code')}")
        if len(trailers) > 1:
            out.append(f"{len(trailers)} JSON trailers on stderr, expected at most one")
        return
    if len(trailers) != 1:
        out.append(f"{len(trailers)} JSON trailers on stderr, expected exactly one")
        return
    data = trailers[0]
    if not last.startswith("{") or json.loads(last) != data:
        out.append("the JSON trailer is not the last stderr line")
    if not exp.error.accepts(data.get("error_kind"), data.get("error_code")):
        out.append(f"trailer says {data.get('error_kind')}/{data.get('error_code')}, "
                   f"expected {exp.error.describe()}")
    elif EXIT_OF_KIND.get(str(data.get("error_kind"))) != result.returncode:
        out.append(f"trailer kind {data.get('error_kind')} does not match exit status "
                   f"{result.returncode}")


def _check_traceback(exp: Expectation, base: Baseline, result: RunResult, out: list[str],
                     notes: list[str]) -> None:
    stderr = result.stderr_text
    extra = stderr.count(_TRACEBACK) - base.stderr_text.count(_TRACEBACK)
    # After Ctrl-C Python prints a KeyboardInterrupt traceback; where the signal landed (maybe
    # inside a tracer callback) is not the recorder's failure, so its frames are only noted.
    interrupt_tb = exp.interrupted and "KeyboardInterrupt" in stderr.splitlines()
    if extra > 1 and interrupt_tb and exp.leftovers_allowed:
        # Ctrl-C again and again (persistent SIGINT) may interrupt finalisers too ("Exception
        # ignored in: <generator ...>"), each with its own traceback, as in any Python program.
        notes.append("repeated SIGINT printed more than one traceback")
    elif extra > (1 if interrupt_tb else 0):
        out.append("a Python traceback the untraced run does not print")
    if _OWN_FRAME.search(stderr):
        if interrupt_tb:
            notes.append("KeyboardInterrupt traceback shows recorder frames")
        else:
            out.append("a traceback shows frames of the recorder's own code")


def _check_trace(exp: Expectation, trace_dir: Path, out: list[str]) -> str:
    state = inspect_trace_dir(trace_dir)
    if state.problems:
        out.extend(f"trace: {problem}" for problem in state.problems)
    if state.status not in exp.trace_states:
        out.append(f"trace directory holds {state.describe()}, expected "
                   f"{' or '.join(sorted(exp.trace_states))}")
    elif state.status == "partial" and state.partial_reason not in exp.partial_reasons:
        out.append(f"partial_reason {state.partial_reason!r}, expected "
                   f"{'|'.join(sorted(exp.partial_reasons))}")
    return state.status


def _evaluate(exp: Expectation, case: Case, base: Baseline, result: RunResult,
              notes: list[str]) -> list[str]:
    out: list[str] = []
    _check_exit(exp, result, out)
    _check_stdout(exp, base, result, out)
    _check_trailer(exp, case, result, out)
    _check_traceback(exp, base, result, out, notes)
    _check_trace(exp, result.trace_dir, out)
    left = leftovers(result.trace_dir.parent)
    if left and exp.leftovers_allowed:
        notes.append("staging directory left by repeated SIGINT (cleaned by the next run)")
    else:
        out.extend(f"staging leftover: {name}" for name in left)
    return out


def check(case: Case, base: Baseline, result: RunResult) -> Verdict:
    """Every invariant of one run against each acceptable outcome; the closest one is reported."""
    if result.timed_out:
        return Verdict([f"timed out after {result.elapsed:.0f}s (a hang?)"], "hang")
    best: Verdict | None = None
    for exp in expect(case, base, result.firings):
        notes: list[str] = []
        verdict = Verdict(_evaluate(exp, case, base, result, notes), exp.outcome, notes)
        if verdict.ok:
            return verdict
        if best is None or len(verdict.violations) < len(best.violations):
            best = verdict
    return best if best is not None else Verdict(["no expectation"], "?")
