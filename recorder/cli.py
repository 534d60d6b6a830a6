"""The command line: ``python -m recorder [OPTIONS] (SCRIPT | -m MODULE) [ARGS...]``.

Exit status (the README's policy table): the script's own status; 20 when the script raised; 2
for usage mistakes; 10 or 70 when the recorder failed under the ``abort`` policy (or under
``--require-trace`` when no complete trace was written). User mistakes never print a Python
traceback: they print one line ``recorder: [ERR_CODE] message - remedy`` or, with
``--json-errors``, one JSON trailer as the last line of stderr. After Ctrl-C the trace is
finalised and the process ends as Python would after Ctrl-C (killed by SIGINT).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from types import CodeType
from typing import NoReturn

from recorder import logs
from recorder.about import VERSION
from recorder.compat import VALUE_OPTIONS as DROPIN_VALUE_OPTIONS
from recorder.compat import RunSettings, add_dropin_options, resolve_io_capture, resolve_settings
from recorder.decision import Phase, decide
from recorder.errors import (
    ErrorCode,
    ErrorKind,
    RecorderError,
    UsageError,
    target,
    usage,
)
from recorder.filters import cli_filter_paths, io_capture_mode
from recorder.lifecycle import State
from recorder.mainmodule import MainModule, find_module, prepare_module
from recorder.policy import LOG_LEVELS, RecorderPolicy, configure_policy, parse_bool
from recorder.preflight import BACKENDS, SUPPORTED_FORMATS
from recorder.script import (
    ScriptEnd,
    compile_script,
    load_script,
    prepare_main,
    print_exception,
    run_code,
    trim_traceback,
)
from recorder.session import Outcome, TraceSession, activate, deactivate, load_trace_filters
from recorder.structs import replace, struct
from recorder.values.settings import ValueSettings, resolve_value_settings

DESCRIPTION = """\
Record a Python program's execution as a CodeTracer trace directory
(trace.json, trace_metadata.json, trace_paths.json).

The script runs as under `python SCRIPT ARGS...` (or, with -m MODULE, as under
`python -m MODULE ARGS...`): same argv, same __name__, same stdout and stderr.
The trace is published atomically when the script ends; on failure the policy decides
(see --on-recorder-error, --keep-partial-trace, --require-trace).
"""

EPILOG = """\
exit status:
  the script's own    normal end (0) or sys.exit(n) (0 with --no-propagate-script-exit)
  20                  the script raised an uncaught exception
  2                   usage mistake (bad flag or value, trace dir is a file, ...)
  10                  the environment failed (disk full, permission, I/O), policy abort
  70                  a recorder bug, policy abort
environment:
  CODETRACER_ON_RECORDER_ERROR, CODETRACER_REQUIRE_TRACE, CODETRACER_KEEP_PARTIAL_TRACE,
  CODETRACER_LOG_LEVEL, CODETRACER_LOG_FILE, CODETRACER_JSON_ERRORS set the same policy as the
  flags, CODETRACER_MODULE_NAME_FROM_GLOBALS, CODETRACER_PROPAGATE_SCRIPT_EXIT and
  CODETRACER_CAPTURE_IO the same settings (flags win). Error codes: docs/error-codes.md.
files:
  the trace holds a copy of each traced source file under files/ (docs/io-capture.md)
"""

_VALUE_OPTIONS = frozenset({
    "--trace-dir", "--format", "--on-recorder-error", "--log-level", "--log-file", "--backend",
    "--include", "--exclude", "--threads",
    # value recording (recorder.values.settings)
    "--value-repr", "--max-value-nodes", "--max-value-text", "--max-value-elements",
    "--max-value-depth"}) | DROPIN_VALUE_OPTIONS


def _columns() -> int:
    # shutil.get_terminal_size().columns, without importing shutil (which loads zlib, bz2 and
    # lzma: about 2 ms of every start-up, as argparse makes a formatter per add_argument).
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        size = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80
    return size.columns or 80


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """The help layout of ``RawDescriptionHelpFormatter``, as wide as argparse would make it."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_columns() - 2)


class _Parser(argparse.ArgumentParser):
    """argparse that reports mistakes as classified usage errors instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise usage(ErrorCode.INVALID_ARGUMENT, message)


def build_parser() -> argparse.ArgumentParser:
    """The option parser (the script and its arguments are split off before parsing)."""
    parser = _Parser(
        prog="python -m recorder", usage="%(prog)s [OPTIONS] (SCRIPT | -m MODULE) [ARGS...]",
        description=DESCRIPTION, epilog=EPILOG, allow_abbrev=False,
        formatter_class=_Formatter)
    parser.add_argument("--trace-dir", default="trace-out", metavar="DIR",
                        help="where the trace directory goes (default: ./trace-out)")
    parser.add_argument("--format", default="json", metavar="{" + ",".join(SUPPORTED_FORMATS) + "}",
                        help="trace format (default: json)")
    parser.add_argument("--on-recorder-error", metavar="{abort,disable}",
                        help="abort (default): stop the program with the classified error; "
                             "disable: detach tracing, log a warning and let the program run on")
    parser.add_argument("--require-trace", action="store_true", default=None,
                        help="fail when no complete trace was written")
    parser.add_argument("--keep-partial-trace", action="store_true", default=None,
                        help="on failure, publish the trace as far as it got, marked partial")
    parser.add_argument("--log-level", metavar="{" + ",".join(LOG_LEVELS) + "}",
                        help="diagnostics level (default: warning)")
    parser.add_argument("--log-file", metavar="PATH",
                        help="write diagnostics (JSON lines) here instead of stderr")
    parser.add_argument("--json-errors", action="store_true", default=None,
                        help="end stderr with one JSON trailer for the error that decided the "
                             "exit status")
    parser.add_argument("--backend", default="auto", metavar="{" + ",".join(BACKENDS) + "}",
                        help="auto (default): sys.monitoring on 3.12+, else sys.settrace")
    parser.add_argument("--threads", metavar="{all,main}",
                        help="all (default): record every thread that runs traced code; main: "
                             "only the thread that starts tracing (also CODETRACER_THREADS)")
    parser.add_argument("--include", action="append", default=[], metavar="GLOB",
                        help="also trace files matching GLOB (repeatable)")
    parser.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="do not trace files matching GLOB (repeatable)")
    _add_value_options(parser)
    # The existing recorder's options (codetracer-python-recorder 0.3.0): recorder.compat.
    add_dropin_options(parser)
    parser.add_argument("--version", action="version",
                        version=f"%(prog)s {VERSION}")
    return parser


def _add_value_options(parser: argparse.ArgumentParser) -> None:
    values = parser.add_argument_group(
        "values", "how variables are recorded (also CODETRACER_VALUE_REPR, "
        "CODETRACER_MAX_VALUE_NODES/TEXT/ELEMENTS/DEPTH)")
    values.add_argument("--value-repr", metavar="{safe,repr}",
                        help="safe (default): run none of the program's code to record values; "
                             "repr: call repr() on unknown objects (may change the program)")
    values.add_argument("--max-value-nodes", metavar="N",
                        help="records per recorded value (default 40)")
    values.add_argument("--max-value-text", metavar="N",
                        help="characters kept of a string or text (default 160)")
    values.add_argument("--max-value-elements", metavar="N",
                        help="elements shown per container (default 10)")
    values.add_argument("--max-value-depth", metavar="N",
                        help="container levels expanded (default 2)")


def _values_for(options: argparse.Namespace) -> ValueSettings:
    return resolve_value_settings(
        None, value_repr=options.value_repr, max_nodes=options.max_value_nodes,
        max_text=options.max_value_text, max_elements=options.max_value_elements,
        max_depth=options.max_value_depth)


@struct()
class Invocation:
    """A parsed command line."""

    options: argparse.Namespace
    script: str  # the script's path, or the module's name when ``module`` is true
    script_args: list[str]
    settings: RunSettings = RunSettings()
    module: bool = False  # -m MODULE
    values: ValueSettings = ValueSettings()


def split_argv(argv: Sequence[str]) -> tuple[list[str], list[str]]:
    """Split ``argv`` into the recorder's options and ``[SCRIPT, ARGS...]``.

    Options end at the first word that is not an option (or at ``--``, or at ``-m``, which starts
    ``-m MODULE ARGS...``): everything after the script or module belongs to it, even words that
    look like our options.
    """
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            return list(argv[:i]), list(argv[i + 1:])
        if not arg.startswith("-") or arg == "-" or arg.startswith("-m"):
            break
        i += 2 if arg in _VALUE_OPTIONS else 1
    return list(argv[:i]), list(argv[i:])


def parse(argv: Sequence[str]) -> Invocation:
    """Parse the command line; mistakes are :class:`UsageError`."""
    own, rest = split_argv(argv)
    options = build_parser().parse_args(own)
    options.format = options.format.lower()  # the existing recorder's spelling: JSON, Json
    settings = resolve_settings(options)
    if rest and rest[0].startswith("-m"):
        name = rest[0][2:] or (rest[1] if len(rest) > 1 else "")
        if not name:
            raise usage(ErrorCode.INVALID_ARGUMENT, "-m needs a module name",
                        hint="python -m recorder [OPTIONS] -m MODULE [ARGS...]")
        return Invocation(options, name, rest[1 if rest[0][2:] else 2:], settings, module=True,
                          values=_values_for(options))
    if not rest:
        raise usage(ErrorCode.INVALID_ARGUMENT, "no script given",
                    hint="python -m recorder [OPTIONS] (SCRIPT | -m MODULE) [ARGS...]")
    return Invocation(options, rest[0], rest[1:], settings, values=_values_for(options))


def _wants_json(argv: Sequence[str]) -> bool:
    if "--json-errors" in split_argv(argv)[0]:
        return True
    try:
        return parse_bool("CODETRACER_JSON_ERRORS", os.environ.get("CODETRACER_JSON_ERRORS", "0"))
    except UsageError:
        return False


def _policy_for(options: argparse.Namespace) -> RecorderPolicy:
    return configure_policy(
        on_recorder_error=options.on_recorder_error, require_trace=options.require_trace,
        keep_partial_trace=options.keep_partial_trace, log_level=options.log_level,
        log_file=options.log_file, json_errors=options.json_errors)


def _verdict(
    end: ScriptEnd, outcome: Outcome | None, policy: RecorderPolicy, propagate: bool = True,
) -> tuple[int, RecorderError | None]:
    """The exit status and the error to report: the policy's decision, else the script's own."""
    if end.label == "recorder-error" and isinstance(end.exception, RecorderError):
        return int(end.exception.kind.exit_code), end.exception
    failure = outcome.failure if outcome is not None else None
    decision = outcome.decision if outcome is not None else None
    if failure is not None:
        if decision is not None and decision.exit_status is not None:
            return decision.exit_status, failure
    elif outcome is None or not outcome.complete:
        missing = decide(policy, ErrorKind.USAGE, Phase.STOPPING)  # nothing was recorded
        if missing.exit_status is not None:
            return missing.exit_status, usage(
                ErrorCode.TRACE_MISSING, "--require-trace was given but no trace was recorded")
    if end.label == "exception" and policy.json_errors and end.exception is not None:
        return end.status, target(ErrorCode.TARGET_RAISED, f"the script raised "
                                  f"{type(end.exception).__name__}",
                                  exception=type(end.exception).__name__)
    if end.interrupted and policy.json_errors:
        return end.status, target(ErrorCode.INTERRUPTED, "the script was interrupted (SIGINT)")
    if not propagate and end.label == "exit":  # --no-propagate-script-exit: a clean recording
        return 0, None
    return end.status, None


def run(invocation: Invocation, policy: RecorderPolicy) -> int:
    """Record the script or module; returns the exit status (raises KeyboardInterrupt after
    Ctrl-C)."""
    propagate = invocation.settings.propagate_script_exit
    found: MainModule | ScriptEnd | None = None
    if invocation.module:
        found = find_module(invocation.script)  # an unknown module: UsageError, nothing started
        if not isinstance(found, MainModule):
            return _finish(found, None, policy, propagate)
        path, module_name = found.file, found.name
    else:
        path, module_name = os.path.abspath(invocation.script), None
        _, source = load_script(path)
    # Filters load before anything is traced: a bad file is a usage error with nothing written.
    start_dir = os.getcwd() if invocation.module else os.path.dirname(path)
    filter_files = load_trace_filters(
        cli_filter_paths(start_dir, invocation.options.trace_filter, os.environ))
    settings = replace(invocation.settings, io_capture=resolve_io_capture(
        invocation.options.io_capture, os.environ, io_capture_mode(filter_files)))
    session = TraceSession(
        invocation.options.trace_dir, policy=policy, backend=invocation.options.backend,
        format=invocation.options.format, program=path, args=invocation.script_args,
        include=invocation.options.include, exclude=invocation.options.exclude,
        settings=settings, module=module_name, values=invocation.values,
        filter_files=filter_files)
    compiled: CodeType | ScriptEnd
    if isinstance(found, MainModule):
        namespace = prepare_module(found, invocation.script_args)
        compiled = found.code  # compiled already; runpy runs it below, as python -m does
    else:
        namespace = prepare_main(path, [invocation.script, *invocation.script_args])
        compiled = compile_script(path, source)
    if isinstance(compiled, ScriptEnd):
        return _finish(compiled, None, policy, propagate)

    def is_ours(exc: BaseException) -> bool:
        # A failure in another thread under abort interrupts the main thread (KeyboardInterrupt).
        return exc is session.failure or (
            isinstance(exc, KeyboardInterrupt) and session.interrupted_for_failure)

    try:
        session.start()  # raises when the policy says so (abort, or a usage error)
        if session.state is State.TRACING:
            activate(session)
        elif session.failure is not None:  # the policy lets the script run untraced
            logs.log_error(session.failure, level=logs.WARNING)
        end = run_code(found.runner() if isinstance(found, MainModule) else compiled, namespace,
                       is_ours)
    except KeyboardInterrupt as exc:  # a Ctrl-C deferred while tracing started
        end = ScriptEnd(130, "interrupted", trim_traceback(exc))
    except RecorderError as err:
        if session.state is State.NEW or session.outcome is not None:
            raise  # nothing was recorded: a start failure under abort, reported by main
        end = ScriptEnd(int(err.kind.exit_code), "recorder-error", err)  # abort fired around
    deactivate(session)
    outcome: Outcome | None
    try:
        outcome = session.stop(exit_code=end.status, label=end.label)
    except KeyboardInterrupt as exc:  # a Ctrl-C deferred while the trace was published
        outcome = session.outcome
        if not end.interrupted:
            end = ScriptEnd(130, "interrupted", trim_traceback(exc))
    return _finish(end, outcome, policy, propagate)


def _finish(
    end: ScriptEnd, outcome: Outcome | None, policy: RecorderPolicy, propagate: bool = True,
) -> int:
    status, report = _verdict(end, outcome, policy, propagate)
    if end.interrupted and end.exception is not None:
        print_exception(end.exception)
    if report is not None and (report.kind is not ErrorKind.TARGET or policy.json_errors):
        logs.report_failure(report, policy)
    if end.interrupted:
        raise KeyboardInterrupt  # noqa: REC003 - end as Python does after Ctrl-C
    return status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    After Ctrl-C in the script this raises ``KeyboardInterrupt`` once the trace is finalised, so
    the interpreter ends as it would after Ctrl-C (see :func:`console_main`).
    """
    args = list(sys.argv[1:] if argv is None else argv)
    early = RecorderPolicy(json_errors=_wants_json(args))
    try:
        invocation = parse(args)
        policy = _policy_for(invocation.options)
        logs.configure_logging(policy)
    except RecorderError as err:
        logs.report_failure(err, early)
        return int(err.kind.exit_code)
    try:
        return run(invocation, policy)
    except RecorderError as err:
        logs.report_failure(err, policy)
        return int(err.kind.exit_code)


def console_main() -> int:
    """The ``recorder`` console script and ``python -m recorder``: end like Python after Ctrl-C."""
    try:
        return main()
    except KeyboardInterrupt:
        # The traceback was printed already; let the interpreter end by SIGINT, as after Ctrl-C.
        sys.excepthook = lambda *_: None
        raise  # noqa: REC004 - the interpreter turns it into death by SIGINT
