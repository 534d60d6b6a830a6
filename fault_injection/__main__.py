"""``python -m fault_injection``: run the recorder with faults, count seams, sweep, mechanisms.

Subcommands::

    exec  [recorder CLI args...]   run the recorder's CLI with the plan in $RECORDER_FAULTS
    count [recorder CLI args...]   run it with a counting hook; hits per seam at exit
    run   [options] -- COMMAND     run any command with the plan in $RECORDER_FAULTS (the
                                   os.* points through the bootstrap; see fault_injection.bootenv)
    sweep [options]                the recorder's fault sweep (see fault_injection.sweep)
    sweep [options] -- COMMAND     the fault sweep of any Python program
    crash [options] -- COMMAND     every crash state (kill -9, power loss) of any Python program,
                                   checked (see fault_injection.crash)
    merge REPORT...                combine the --json reports of `sweep/crash --shard K/N`
    plan  TEXT                     parse a plan and print its canonical form
    points                         every fault point a plan can name
    mechanisms                     which real-fault mechanisms can run here, and why not
    tmpfs | privileges | rlimit | readonly | sigint | strace  [options] -- COMMAND
                                   run COMMAND under a real fault (see fault_injection.mechanisms)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fault_injection import bootenv, console, merge
from fault_injection.errors import FaultInjectionError, HarnessUsageError
from fault_injection.exec import run as exec_run
from fault_injection.mechanisms import MECHANISMS, availability
from fault_injection.plan import OS_POINTS, POINTS, parse_plan


class _Parser(argparse.ArgumentParser):
    """argparse that reports mistakes as the harness's usage error (exit 2) instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise HarnessUsageError(message)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every subcommand except ``exec``/``count`` (which pass argv through)."""
    from fault_injection import crash, sweep

    parser = _Parser(prog="python -m fault_injection", description=__doc__,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="subcommand", required=True, parser_class=_Parser)
    sweep.add_arguments(commands.add_parser("sweep", help="run the fault sweep"))
    crash.add_arguments(commands.add_parser(
        "crash", help="check every crash state (kill -9, power loss) of a program",
        description=crash.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter))
    merge.add_arguments(commands.add_parser("merge", help="combine the reports of shards"))
    bootenv.add_arguments(commands.add_parser("run", help="run any command with a fault plan"))
    plan = commands.add_parser("plan", help="parse a plan, print its canonical form")
    plan.add_argument("text")
    commands.add_parser("points", help="every fault point a plan can name")
    commands.add_parser("mechanisms", help="which real-fault mechanisms can run here")
    for name, module in MECHANISMS.items():
        module.add_arguments(commands.add_parser(name, help=(module.__doc__ or "").split("\n")[0]))
    return parser


def _dispatch(args: argparse.Namespace, command: list[str] | None) -> int:
    if args.subcommand == "points":
        console.out("recorder seams: " + " ".join(POINTS))
        console.out("file-system seams (any Python program): " + " ".join(OS_POINTS))
        return 0
    if args.subcommand == "run":
        return bootenv.run_cli(args, command or [])
    if args.subcommand == "merge":
        return merge.run_cli(args)
    if args.subcommand == "plan":
        console.out(str(parse_plan(args.text)))
        return 0
    if args.subcommand == "mechanisms":
        for name, reason in availability().items():
            console.out(f"{name:<11} {'available' if reason is None else 'unavailable: ' + reason}")
        return 0
    if args.subcommand == "sweep":
        from fault_injection import sweep

        return sweep.run_cli(args, command)
    if args.subcommand == "crash":
        from fault_injection import crash

        return crash.run_cli(args, command)
    return int(MECHANISMS[args.subcommand].run_cli(args))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the harness's command line; the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in ("exec", "count"):
        return exec_run(args[1:], counting_only=args[0] == "count")
    command: list[str] | None = None
    if args and args[0] in ("run", "sweep", "crash") and "--" in args:
        # Everything after the first "--" is the command, passed through untouched.
        split = args.index("--")
        args, command = args[:split], args[split + 1:]
    try:
        return _dispatch(build_parser().parse_args(args), command)
    except FaultInjectionError as err:
        remedy = f" - {err.remedy}" if err.remedy else ""
        console.err(f"fault_injection: {err}{remedy}")
        return err.exit_code


if __name__ == "__main__":
    sys.exit(main())
