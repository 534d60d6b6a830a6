"""Run the recorder's command line with a fault plan installed (crossing a process boundary).

``python -m fault_injection exec [recorder CLI args...]`` reads the plan from ``RECORDER_FAULTS``,
installs it in :mod:`recorder.seams`, then calls ``recorder.cli.main(argv)`` in the same process,
so the recorder never imports the harness. ``python -m fault_injection count [recorder CLI
args...]`` installs a counting hook instead (no faults) and reports the hits per seam at exit:
the sweep uses it to enumerate the fault points of a clean run.

Both write to the *journal* named by ``FAULT_INJECTION_JOURNAL`` (JSON lines): a ``fired`` line
for each fault the moment it fires, and a ``counts`` line at exit. ``count`` without a journal
writes its counts as one JSON line to stderr.

A bad plan is a usage error: exit 2 with ``ERR_INVALID_FAULT_PLAN``, reported the recorder's way
(one human line, or the JSON trailer when ``--json-errors`` is among the arguments).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fault_injection.errors import PlanError
from fault_injection.injector import Injector
from fault_injection.plan import ENV_VAR, FaultPlan, parse_plan
from recorder import seams

JOURNAL_VAR = "FAULT_INJECTION_JOURNAL"


def report_plan_error(err: PlanError, argv: Sequence[str]) -> int:
    """Report a bad plan as the recorder reports a usage error; the exit status (2)."""
    from recorder.errors import ErrorCode, usage
    from recorder.logs import human_line, trailer

    classified = usage(ErrorCode.INVALID_FAULT_PLAN, err.message, variable=ENV_VAR)
    json_errors = "--json-errors" in argv
    line = json.dumps(trailer(classified)) if json_errors else human_line(classified)
    sys.stderr.write(line + "\n")
    sys.stderr.flush()
    return err.exit_code


def _journal() -> Path | None:
    value = os.environ.get(JOURNAL_VAR)
    return Path(value) if value else None


def _quiet_excepthook(*_: object) -> None:
    return


def run(argv: Sequence[str], *, counting_only: bool = False) -> int:
    """Install the plan (or a counting hook) and run the recorder's CLI; its exit status."""
    try:
        plan = FaultPlan() if counting_only else parse_plan(os.environ.get(ENV_VAR, ""))
    except PlanError as err:
        return report_plan_error(err, argv)
    journal = _journal()
    injector = Injector(plan, journal)
    seams.install(injector)
    from recorder import cli  # imported late: a bad plan is reported without loading it

    try:
        return cli.main(list(argv))
    except KeyboardInterrupt:
        # The recorder printed the traceback already and finalised the trace; end the way
        # ``python -m recorder`` does after Ctrl-C: killed by SIGINT, no second traceback.
        sys.excepthook = _quiet_excepthook
        raise  # noqa: REC004 - Ctrl-C must reach the interpreter unchanged (ADR principle 15)
    finally:
        seams.uninstall()
        if journal is not None:
            injector.write_counts()
        elif counting_only:
            sys.stderr.write(json.dumps({"fault_points": dict(injector.hits)}) + "\n")
