"""The crash explorer's record: the ordered file-system operations of one clean run, replayable.

:func:`record` runs the command once, without faults, in a fresh copy of the fixture with the
bootstrap's seams (:mod:`fault_injection.bootenv`) journaling every counted call under the
fixture with its bytes and the program's source line, the recorder's own calls included.
:func:`parse_ops` turns the journal into :class:`Op` s with paths relative to the fixture
(``"."`` for the fixture itself), which :mod:`fault_injection.crash_fs` replays.

What the log does not see (so no crash state can lose or keep it): calls made by C extensions
through the C library, ``mmap`` writes, descriptors duplicated with ``os.dup``, calls of child
processes (only the command's first Python process is instrumented), writes a program makes
outside the fixture, a rename into the fixture from outside it (its bytes are unknown: it is
left out), metadata (``chmod``, times, ownership, hard and symbolic links).
"""

from __future__ import annotations

import base64
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fault_injection.bootenv import seams_env
from fault_injection.oracle import Tree, snapshot
from fault_injection.plan import FaultPlan
from fault_injection.program_sweep import Journal, program_env, read_journal
from fault_injection.runs import Process, run_process

#: Journal points and the operation each one is in the log.
KINDS: dict[str, str] = {
    "os.open": "open", "os.write": "write", "os.pwrite": "write", "os.sendfile": "write",
    "os.ftruncate": "truncate", "os.truncate": "truncate", "os.fsync": "fsync",
    "os.fdatasync": "fsync", "os.replace": "rename", "os.rename": "rename", "os.mkdir": "mkdir",
    "os.rmdir": "rmdir", "os.unlink": "unlink",
}


@dataclass(frozen=True)
class Op:
    """One logged file-system call, as the crash models see it."""

    index: int            # 1-based position in the log: the crash point right after it
    call: str             # the seam that saw it: "os.replace", "os.write", ...
    kind: str             # open, write, truncate, fsync, rename, mkdir, rmdir, unlink
    path: str             # relative to the fixture ("." is the fixture itself)
    path2: str | None = None  # a rename's destination
    flags: int = 0        # os.open's flags
    fd: int | None = None
    offset: int | None = None  # where a write lands (None: unknown, the file's end)
    data: bytes = b""
    size: int | None = None    # a truncation's new size
    line: str = ""        # the program's source line that issued it ("save.py:14")

    def describe(self) -> str:
        """The call as a report names it: ``os.replace(a.tmp -> a)``, ``open(a, O_TRUNC)``."""
        if self.kind == "rename":
            return f"{self.call}({self.path} -> {self.path2})"
        if self.kind == "open":
            names = [name for name in ("O_CREAT", "O_TRUNC", "O_EXCL", "O_APPEND")
                     if self.flags & getattr(os, name)]
            return f"open({', '.join([self.path, *names])})"
        if self.kind == "write":
            return f"the {len(self.data)} bytes written to {self.path}"
        if self.kind == "truncate":
            return f"{self.call}({self.path}, {self.size})"
        return f"{self.call}({self.path})"

    def where(self) -> str:
        """``describe()`` with ``at LINE`` when the line is known."""
        return f"{self.describe()} at {self.line}" if self.line else self.describe()


@dataclass
class Recording:
    """A clean run: its process, its operations and the fixture before and after it."""

    process: Process
    ops: list[Op]
    before: Tree
    after: Tree
    workdir: Path
    loaded: bool


def _relative(path: Any, roots: tuple[str, ...]) -> str | None:
    """``path`` from the journal relative to the fixture copy (None: outside it)."""
    if path is None:
        return None
    text = str(path)
    if not os.path.isabs(text):
        return os.path.normpath(text)
    for root in roots:
        if text == root:
            return "."
        if text.startswith(root + os.sep):
            return os.path.normpath(text[len(root) + 1:])
    return None


def _line(raw: Any, roots: tuple[str, ...]) -> str:
    text = str(raw or "")
    for root in roots:
        if text.startswith(root + os.sep):
            return text[len(root) + 1:]
    return text


def parse_ops(entries: list[dict[str, Any]], workdir: Path) -> list[Op]:
    """The journal's ``op`` lines as :class:`Op` s, paths relative to ``workdir``."""
    roots = tuple(dict.fromkeys((os.path.abspath(workdir), os.path.realpath(workdir))))
    ops: list[Op] = []
    for entry in entries:
        call = str(entry.get("op"))
        kind = KINDS.get(call)
        path = _relative(entry.get("path"), roots)
        path2 = _relative(entry.get("path2"), roots) if kind == "rename" else None
        if kind is None or path is None or (kind == "rename" and path2 is None):
            continue  # outside the fixture (a rename from or to elsewhere): not replayable
        offset = entry.get("out_offset", entry.get("offset")) if call == "os.sendfile" \
            else entry.get("offset")
        ops.append(Op(len(ops) + 1, call, kind, path, path2, int(entry.get("flags") or 0),
                      entry.get("fd"), offset, base64.b64decode(entry.get("data") or ""),
                      entry.get("size"), _line(entry.get("line"), roots)))
    return ops


def run_logged(command: tuple[str, ...], fixture: Path | None, directory: Path) -> tuple[
        Process, Journal]:
    """Run ``command`` clean in a fresh copy of ``fixture`` at ``directory``, journaling."""
    if fixture is None:
        directory.mkdir(parents=True)
    else:
        shutil.copytree(fixture, directory, symlinks=True)
    journal = directory.resolve().parent / f"{directory.name}.journal.jsonl"
    env = seams_env(program_env(), FaultPlan(), (".",), journal, log_ops=True, log_data=True,
                    count_recorder=True)
    return run_process(command, directory, env), read_journal(journal)


def record(command: tuple[str, ...], fixture: Path | None, workdir: Path) -> Recording:
    """The clean run of ``command`` in ``workdir / "clean"``, and what it did."""
    clean = workdir / "clean"
    done, journal = run_logged(command, fixture, clean)
    before = (snapshot(fixture, ".") if fixture is not None else None) or {"": None}
    after = snapshot(clean, ".") or {"": None}
    return Recording(done, parse_ops(journal.ops or [], clean), before, after, clean,
                     journal.loaded)
