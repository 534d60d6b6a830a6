"""The parent's side of the bootstrap: the environment that loads the seams into a command.

:func:`seams_env` puts :mod:`fault_injection.boot` first on ``PYTHONPATH`` (the child's
``sitecustomize`` there loads the seams and gives ``PYTHONPATH`` back before the program runs)
and passes the plan, the ``only-under`` roots and the journal in ``FAULT_SEAMS_*`` variables.
This works for ``python script.py``, ``python -m module``, console scripts and anything that
starts Python from a virtual environment, as long as Python reads ``PYTHONPATH`` and runs
``site``: :func:`check_command` refuses ``-I``, ``-E`` and ``-S`` (on the command line or in the
shebang of a script it names) with a usage error that says why.

``python -m fault_injection run [--only-under DIR] [--journal FILE [--log-ops]] -- COMMAND...``
runs one command
with the plan in ``RECORDER_FAULTS`` (recorder points go to the recorder's seams, ``os.*`` points
to the bootstrap): it is what the sweep's reproducer commands call.
"""

from __future__ import annotations

import argparse
import compileall
import functools
import json
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path

from fault_injection.boot import fs_seams
from fault_injection.errors import SweepUsageError
from fault_injection.plan import ENV_VAR, FaultPlan, os_clauses, parse_plan, recorder_part

BOOT_DIR = Path(fs_seams.__file__).resolve().parent
ENV_ACTIVE = "FAULT_SEAMS_ACTIVE"
ENV_PYTHONPATH = "FAULT_SEAMS_PYTHONPATH"
_PYTHON_NAME = re.compile(r"^python(\d+(\.\d+)?)?$")
_BYPASS = {"I": "-I (isolated mode) ignores PYTHONPATH",
           "E": "-E ignores every PYTHON* variable, PYTHONPATH included",
           "S": "-S skips the site module, which imports sitecustomize"}


@functools.cache
def _byte_compiled() -> bool:
    """Byte-compile the bootstrap once (for this interpreter's version).

    A child reads ``.pyc`` files even under ``PYTHONDONTWRITEBYTECODE``, so it does not compile
    the bootstrap at every start; where the package is read-only this quietly does nothing.
    """
    return bool(compileall.compile_dir(BOOT_DIR, quiet=2))


def seams_env(base: Mapping[str, str], plan: FaultPlan, only_under: Sequence[str] = (),
              journal: Path | None = None, log_ops: bool = False, log_data: bool = False,
              count_recorder: bool = False) -> dict[str, str]:
    """``base`` plus what loads the seams with ``plan`` into the first Python process.

    ``log_data`` (with ``log_ops``) journals the bytes of every write; ``count_recorder`` counts
    the recorder's own calls too: the crash explorer replays the log, the recorder's included.
    """
    _byte_compiled()
    env = dict(base)
    old = env.get("PYTHONPATH")
    if old is not None:
        env[ENV_PYTHONPATH] = old
    env["PYTHONPATH"] = str(BOOT_DIR) + ("" if not old else os.pathsep + old)
    env[ENV_ACTIVE] = "1"
    env[fs_seams.ENV_PLAN] = json.dumps(os_clauses(plan))
    env[fs_seams.ENV_ONLY_UNDER] = os.pathsep.join(only_under)
    if journal is not None:
        env[fs_seams.ENV_JOURNAL] = str(journal)
    if log_ops:
        env[fs_seams.ENV_LOG_OPS] = "1"
    if log_data:
        env[fs_seams.ENV_LOG_DATA] = "1"
    if count_recorder:
        env[fs_seams.ENV_COUNT_RECORDER] = "1"
    recorder_plan = recorder_part(plan)
    if recorder_plan:
        env[ENV_VAR] = str(recorder_plan)
    else:
        env.pop(ENV_VAR, None)
    return env


def _python_flags(args: Sequence[str]) -> list[str]:
    """The one-letter options of a Python command line, before the script or ``-m``/``-c``."""
    letters: list[str] = []
    rest = list(args)
    while rest and rest[0].startswith("-") and rest[0] not in ("-", "--"):
        arg = rest.pop(0)
        if arg.startswith("--"):
            continue
        for position, letter in enumerate(arg[1:], start=2):
            letters.append(letter)
            if letter in "cm":
                return letters
            if letter in "WX":
                if position == len(arg) and rest:
                    rest.pop(0)  # "-W ignore": the value is the next argument
                break
    return letters


def _shebang_args(program: str) -> list[str] | None:
    """The interpreter and its options from ``program``'s ``#!`` line, when it is Python."""
    try:
        with open(program, "rb") as handle:
            first = handle.readline(512)
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    parts = first[2:].decode("utf-8", "replace").split()
    if parts and Path(parts[0]).name == "env":
        parts = parts[1:]
        while parts and (parts[0].startswith("-") or "=" in parts[0]):
            parts.pop(0)  # env's own options (-S, -i) and NAME=VALUE settings
    if not parts or not _PYTHON_NAME.match(Path(parts[0]).name):
        return None
    return parts


def check_command(command: Sequence[str], cwd: Path | None = None) -> None:
    """Refuse a command the bootstrap cannot enter (missing, or Python with -I/-E/-S).

    A relative program path is looked up in ``cwd``, where the command will run.
    """
    if not command:
        raise SweepUsageError("ERR_COMMAND_MISSING", "no command to run")
    program = command[0]
    found = shutil.which(program) if os.sep not in program else \
        os.path.join(cwd or os.curdir, program)
    if found is None or not os.path.exists(found):
        raise SweepUsageError("ERR_COMMAND_NOT_FOUND", f"command not found: {program}")
    if _PYTHON_NAME.match(Path(program).name):
        python_args = list(command[1:])
    else:
        shebang = _shebang_args(found)
        python_args = [] if shebang is None else shebang[1:]
    for letter in _python_flags(python_args):
        if letter in _BYPASS:
            raise SweepUsageError(
                "ERR_BOOTSTRAP_BYPASSED",
                f"the command runs Python with -{letter}: {_BYPASS[letter]}, so the fault "
                f"seams cannot be loaded")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``python -m fault_injection run``."""
    parser.add_argument("--only-under", action="append", default=[], metavar="DIR",
                        help="count only calls on paths under DIR (repeatable; default: all)")
    parser.add_argument("--journal", type=Path, default=None, metavar="FILE",
                        help="append the bootstrap's JSON lines (loaded, fired, counts) to FILE")
    parser.add_argument("--log-ops", action="store_true",
                        help="journal every counted call too (with --journal)")


def run_cli(args: argparse.Namespace, command: Sequence[str]) -> int:
    """Replace this process with ``command`` under the plan in ``RECORDER_FAULTS``."""
    check_command(command)
    plan = parse_plan(os.environ.get(ENV_VAR, ""))
    env = seams_env(os.environ, plan, args.only_under, args.journal, args.log_ops)
    # exec, not a child: the exit status, signals and stdio are the command's own.
    os.execvpe(command[0], list(command), env)
    return 0  # not reached
