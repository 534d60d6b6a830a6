"""The syscall-level configuration of the program sweep: any command, failed by strace.

``python -m fault_injection sweep --syscalls [--fixture DIR] [--oracle FILE] -- COMMAND...``
needs no bootstrap, so it sweeps programs in any language. The clean runs are traced with
``strace -qq -y -s 4096`` (descriptors shown with their paths); a system call counts when one of
its paths is under ``--only-under`` (default the fixture copy; relative paths are taken against
the command's working directory, which it must not leave). Each counted call is then failed by
``strace -e inject=SYSCALL:error=ERRNO:when=N[+]`` (or ``signal=SIGINT`` for ``sigint``), where
``N`` is the call's number among *all* calls of that system call in the process: strace counts
per process, and the clean runs have shown the sequence to repeat. strace cannot restrict
"every later call" to the program's data, so a *persistent* fault here fails the calls numbered
from ``N`` to the last counted one of that system call (``when=N..L``), including uncounted calls
in between (an import between two writes of the data fails too). The program's own script is a
file like any other: under ``--only-under`` its ``openat`` is counted and failed (Python then
exits 2, "can't open file"); keep the program outside the directory or accept that status.

Only the command's own process is traced and failed (no ``-f``): strace's counters are per
process, so a fault in several processes at once could not be aimed at one call. A shell script
that starts the real program as a child is therefore not reached; ``exec`` it instead. Every
other rule (two clean runs, the oracle, the reproducer, the exit status) is the program sweep's.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

from fault_injection.errors import MechanismUnavailable, SweepUsageError
from fault_injection.mechanisms.strace import STRACE, unavailable_reason
from fault_injection.plan import FaultPlan
from fault_injection.program_sweep import (
    Journal,
    ProgramCase,
    ProgramSubject,
    program_env,
)
from fault_injection.runs import Process, run_process

_SIGINT = ("sigint",)
#: The system calls counted, with the kinds each is failed with (x86-64/aarch64 names).
SYSCALL_KINDS: dict[str, tuple[str, ...]] = {
    "openat": ("enospc", "eacces", "erofs", "eio", *_SIGINT),
    "open": ("enospc", "eacces", "erofs", "eio", *_SIGINT),
    "creat": ("enospc", "eacces", "erofs", "eio", *_SIGINT),
    "write": ("enospc", "eio", "efbig", *_SIGINT),
    "pwrite64": ("enospc", "eio", "efbig", *_SIGINT),
    "writev": ("enospc", "eio", "efbig", *_SIGINT),
    "ftruncate": ("eio", "efbig", *_SIGINT),
    "truncate": ("eacces", "eio", "efbig", *_SIGINT),
    "fsync": ("eio", "enospc", *_SIGINT),
    "fdatasync": ("eio", "enospc", *_SIGINT),
    "rename": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "renameat": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "renameat2": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "mkdir": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "mkdirat": ("eacces", "erofs", "enospc", "eio", *_SIGINT),
    "rmdir": ("eacces", "erofs", "eio", *_SIGINT),
    "unlink": ("eacces", "erofs", "eio", *_SIGINT),
    "unlinkat": ("eacces", "erofs", "eio", *_SIGINT),
    "sendfile": ("enospc", "eio", "efbig", *_SIGINT),
    "copy_file_range": ("enospc", "eio", "efbig", *_SIGINT),
}
_LINE = re.compile(r"^(?P<name>[a-z0-9_]+)\((?P<args>.*)\)\s+=\s+(?P<ret>.*)$")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Z_]+<[^>]*>|-?\d+<[^>]*>|[^,]+')
_DECORATED = re.compile(r"^(?P<fd>-?\d+|AT_FDCWD)<(?P<path>[^>]*)>$")


#: Calls on a descriptor: strace's ``-P FILE`` aims the fault at the calls on that one file.
FD_SYSCALLS = frozenset({"write", "pwrite64", "writev", "ftruncate", "fsync", "fdatasync",
                         "sendfile", "copy_file_range"})


@dataclass(frozen=True)
class Call:
    """One counted system call of a clean run."""

    name: str
    number: int          # its number among all calls of ``name`` in the process
    file: str | None     # a descriptor call's file, relative to the working directory
    file_number: int     # its number among the calls of ``name`` on that file


@dataclass(frozen=True)
class SyscallCase(ProgramCase):
    """One faulted run: a kind at the Nth counted call of a system call."""

    call: Call | None = None
    last: int = 0  # a path call's number of the last counted call of its system call

    @property
    def plan(self) -> FaultPlan:
        """No seam plan: strace does the failing."""
        return FaultPlan()

    @property
    def name(self) -> str:
        """A unique, readable name, e.g. ``program:enospc@write(2)#3+``."""
        mode = "+" if self.persistent else ""
        return f"{self.scenario}:{self.kind}@{self.point}(2)#{self.nth}{mode}"

    def strace_args(self, workdir: str) -> list[str]:
        """strace's options that fail this case's call in a run in ``workdir``.

        A descriptor call is aimed with ``-P`` at its file: ``when`` then counts the calls on
        that file only, and ``N+`` is exactly "this call and every later one on the file". A path
        call is aimed by its number in the process; persistent is ``N..L`` (see the module).
        """
        call = self.call
        if call is None:
            return []
        what = "signal=SIGINT" if self.kind == "sigint" else f"error={self.kind.upper()}"
        if call.file is not None:
            span = f"{call.file_number}{'+' if self.persistent else ''}"
            where = ["-P", os.path.join(workdir, call.file)]
        else:
            span = f"{call.number}..{self.last}" if self.persistent and self.last > call.number \
                else str(call.number)
            where = []
        inject = f"inject={self.point}:{what}:when={span}"
        return [*where, "-e", f"trace={self.point}", "-e", inject]


def _unquote(token: str) -> str:
    return token[1:-1].replace('\\"', '"').replace("\\\\", "\\")


def call_paths(name: str, args: str, ret: str, cwd: str) -> list[str]:
    """The absolute paths one traced call touches (its descriptors' and its path arguments)."""
    paths: list[str] = []
    base = cwd
    for token in (t.strip() for t in _TOKEN.findall(args)):
        decorated = _DECORATED.match(token)
        if decorated is not None:
            base = decorated["path"]  # the directory of a following *at path, or an fd's file
            if decorated["fd"] != "AT_FDCWD":
                paths.append(decorated["path"])
        elif token.startswith('"') and name not in ("write", "pwrite64", "writev"):
            paths.append(os.path.normpath(os.path.join(base, _unquote(token))))
    returned = _DECORATED.match(ret.split()[0]) if ret else None
    if returned is not None:
        paths.append(returned["path"])
    return paths


def counted_calls(log: str, roots: list[str], cwd: str) -> list[Call]:
    """The counted calls of a strace log, in order."""
    seen: dict[str, int] = {}
    per_file: dict[tuple[str, str], int] = {}
    counted: list[Call] = []
    for line in log.splitlines():
        match = _LINE.match(line.strip())
        if match is None or match["name"] not in SYSCALL_KINDS:
            continue
        name = match["name"]
        seen[name] = seen.get(name, 0) + 1
        paths = call_paths(name, match["args"], match["ret"], cwd)
        file = paths[0] if name in FD_SYSCALLS and paths else None
        if file is not None:
            per_file[(name, file)] = per_file.get((name, file), 0) + 1
        if any(p == r or p.startswith(r + os.sep) for p in paths for r in roots):
            relative = None if file is None else os.path.relpath(file, cwd)
            counted.append(Call(name, seen[name], relative,
                                0 if file is None else per_file[(name, file)]))
    return counted


class SyscallSubject(ProgramSubject):
    """A command swept at the system-call level (see the module's docstring)."""

    points = tuple(SYSCALL_KINDS)
    kinds_at = SYSCALL_KINDS

    def check_command(self) -> None:
        """strace must work here (else exit 10), and the command must exist."""
        reason = unavailable_reason()
        if reason is not None:
            raise MechanismUnavailable(f"--syscalls needs strace: {reason}")
        if not self.settings.command:
            raise SweepUsageError("ERR_COMMAND_MISSING", "no command to run")
        program = self.settings.command[0]
        found = shutil.which(program) is not None if os.sep not in program else \
            (Path(self.settings.fixture or os.curdir) / program).exists()
        if not found:
            raise SweepUsageError("ERR_COMMAND_NOT_FOUND", f"command not found: {program}")

    def strace_prefix(self, case: SyscallCase | None, log: Path | str,
                      workdir: str) -> list[str]:
        """The strace command line that runs a case (or traces a clean run into ``log``)."""
        if case is None:
            return [STRACE, "-qq", "-y", "-s", "4096", "-o", str(log), "-e",
                    "trace=" + ",".join(SYSCALL_KINDS)]
        return [STRACE, "-qq", "-o", str(log), *case.strace_args(workdir)]

    def execute(self, case: ProgramCase | None, directory: Path,
                log_ops: bool) -> tuple[Process, Journal]:
        """Run the command under strace in a fresh copy; the counted calls as the journal."""
        log = directory.parent / f"{directory.name}.strace"
        workdir = self._fresh(directory)
        syscall_case = case if isinstance(case, SyscallCase) else None
        cmd = [*self.strace_prefix(syscall_case, log, os.path.realpath(workdir)), "--",
               *self.settings.command]
        done = run_process(cmd, workdir, program_env())
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        if syscall_case is not None:
            # An injected error is marked on the call; an injected signal shows as delivered.
            fired = [{"point": syscall_case.point, "line": line} for line in text.splitlines()
                     if "INJECTED" in line or line.startswith("--- SIGINT")]
            return done, Journal(loaded=True, ops=[], fired=fired, counts={})
        roots = [os.path.realpath(workdir / root) for root in self.settings.only_under]
        calls = counted_calls(text, roots, os.path.realpath(workdir))
        counts: dict[str, int] = {}
        for call in calls:
            counts[call.name] = counts.get(call.name, 0) + 1
        if not hasattr(self, "_clean_calls"):
            self._clean_calls = calls  # the first clean run's; the second must agree
        # The numbers are part of the sequence: strace aims at them.
        ops: list[dict[str, object]] = [{"op": f"{c.name}#{c.number}:{c.file}#{c.file_number}"}
                                        for c in calls]
        return done, Journal(loaded=bool(text), ops=ops, fired=[], counts=counts)

    def cases(self) -> list[SyscallCase]:
        """Every faulted run, each aimed at strace's number of its call."""
        by_point: dict[str, list[Call]] = {}
        for call in self._clean_calls:
            by_point.setdefault(call.name, []).append(call)
        return [SyscallCase(c.scenario, c.kind, c.point, c.nth, c.persistent,
                            by_point[c.point][c.nth - 1], by_point[c.point][-1].number)
                for c in super().cases()]

    def reproduce(self, case: ProgramCase) -> str:
        """A shell command that rebuilds the fixture copy and reruns ``case`` under strace."""
        fixture = self.settings.fixture
        setup = "d=$(mktemp -d)"
        if fixture is not None:
            setup += f" && cp -a {shlex.quote(str(fixture.resolve()))}/. \"$d\""
        syscall_case = case if isinstance(case, SyscallCase) else None
        run = shlex.join([*self.strace_prefix(syscall_case, "/dev/null", "DIR"), "--",
                          *self.settings.command]).replace("DIR/", '"$d"/')
        return f"{setup} && cd \"$d\" && PYTHONHASHSEED=0 {run}; echo exit=$?"
