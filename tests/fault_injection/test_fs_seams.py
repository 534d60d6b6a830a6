"""The generic file-system seams in-process: what each call counts as, what a fault raises.

The seams are installed for a few lines at a time, counting only under ``tmp_path``, so pytest's
own I/O is never counted (and never failed).
"""

from __future__ import annotations

import builtins
import errno
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fault_injection.boot import fs_seams, open_seam, os_seams
from fault_injection.plan import os_clauses, parse_plan


@contextmanager
def seams_in(root: Path, plan: str = "", journal: Path | None = None) -> Iterator[fs_seams.Seams]:
    """The seams installed in this process, counting under ``root`` only."""
    clauses = json.loads(json.dumps(os_clauses(parse_plan(plan))))
    seams = fs_seams.Seams(clauses, fs_seams.roots_from(str(root)),
                           None if journal is None else str(journal), journal is not None)
    fs_seams.install(seams, [open_seam, os_seams])
    try:
        yield seams
    finally:
        fs_seams.uninstall()


def _write_text(d: Path) -> None:
    (d / "a.txt").write_text("hello")


def _open_append(d: Path) -> None:
    with open(d / "a.txt", "a") as handle:
        handle.write("x")


def _big_binary(d: Path) -> None:
    with open(d / "b.bin", "wb", buffering=0) as handle:
        handle.write(b"1")
        handle.write(b"2")


def _os_calls(d: Path) -> None:
    fd = os.open(d / "c", os.O_WRONLY | os.O_CREAT)
    os.write(fd, b"abc")
    os.pwrite(fd, b"z", 0)
    os.ftruncate(fd, 2)
    os.fsync(fd)
    os.fdatasync(fd)
    os.close(fd)
    os.truncate(d / "c", 1)
    os.replace(d / "c", d / "d")
    os.rename(d / "d", d / "e")
    os.unlink(d / "e")


def _dirs(d: Path) -> None:
    os.makedirs(d / "x" / "y")
    os.rmdir(d / "x" / "y")
    shutil.rmtree(d / "x")


def _tempfile_then_rename(d: Path) -> None:
    with tempfile.NamedTemporaryFile("w", dir=d, delete=False) as handle:
        handle.write("data")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, d / "final")


def _copy(d: Path) -> None:
    (d / "src").write_bytes(b"s" * 10)
    shutil.copyfile(d / "src", d / "dst")


COUNTED: list[tuple[Callable[[Path], None], list[str]]] = [
    (_write_text, ["os.open", "os.write"]),
    (_open_append, ["os.open", "os.write"]),
    (_big_binary, ["os.open", "os.write", "os.write"]),  # unbuffered: one write(2) each
    (_os_calls, ["os.open", "os.write", "os.pwrite", "os.ftruncate", "os.fsync", "os.fdatasync",
                 "os.truncate", "os.replace", "os.rename", "os.unlink"]),
    (_dirs, ["os.mkdir", "os.mkdir", "os.rmdir", "os.open", "os.rmdir"]),  # rmtree opens "x"
    (_tempfile_then_rename, ["os.open", "os.write", "os.fsync", "os.replace"]),
    # copyfile: sendfile until it returns 0 (end of file)
    (_copy, ["os.open", "os.write", "os.open", "os.open", "os.sendfile", "os.sendfile"]),
]


@pytest.mark.parametrize(("action", "points"), COUNTED, ids=lambda v: getattr(v, "__name__", ""))
def test_each_call_counts_at_its_point(tmp_path: Path, action: Callable[[Path], None],
                                       points: list[str]) -> None:
    journal = tmp_path.parent / f"{tmp_path.name}.jsonl"
    with seams_in(tmp_path, journal=journal):
        action(tmp_path)
    ops = [json.loads(line) for line in journal.read_text().splitlines()]
    assert [op["op"] for op in ops if op["event"] == "op"] == points


def test_calls_outside_the_roots_are_not_counted(tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    with seams_in(inside) as seams:
        (outside / "f").write_text("x")
        os.replace(outside / "f", outside / "g")
        (inside / "f").write_text("x")
    assert seams.hits == {"os.open": 1, "os.write": 1}


def test_open_returns_the_standard_objects(tmp_path: Path) -> None:
    with seams_in(tmp_path):
        with open(tmp_path / "t", "w") as text:
            assert type(text) is io.TextIOWrapper
            assert type(text.buffer) is io.BufferedWriter
            assert isinstance(text.buffer.raw, io.FileIO)
            assert text.mode == "w"
        with open(tmp_path / "t", "rb") as binary:
            assert type(binary) is io.BufferedReader
        with open(tmp_path / "t", "r+b") as both:
            assert type(both) is io.BufferedRandom
        # Modes and arguments ``open`` refuses are refused with its own errors.
        with pytest.raises(ValueError, match="unbuffered text"), \
                open(tmp_path / "t", "w", buffering=0):
            pass
        with pytest.raises(ValueError, match="invalid mode"), open(tmp_path / "t", "wz"):
            pass


@pytest.mark.parametrize(("plan", "action", "exc_errno", "filename"), [
    ("enospc@os.write#1", _write_text, errno.ENOSPC, False),
    ("eacces@os.open#1", _write_text, errno.EACCES, True),
    ("eio@os.fsync#1", _os_calls, errno.EIO, False),
    ("erofs@os.replace#1", _os_calls, errno.EROFS, True),
    ("eio@os.remove#1", _os_calls, errno.EIO, True),  # os.remove is os.unlink's point
])
def test_a_fault_raises_what_the_system_call_would(
        tmp_path: Path, plan: str, action: Callable[[Path], None], exc_errno: int,
        filename: bool) -> None:
    with seams_in(tmp_path, plan), pytest.raises(OSError) as info:
        action(tmp_path)
    assert info.value.errno == exc_errno
    assert (info.value.filename is not None) == filename
    if exc_errno == errno.EACCES:
        assert isinstance(info.value, PermissionError)


def test_uninstall_puts_the_real_functions_back(tmp_path: Path) -> None:
    real = (builtins.open, io.open, os.write, os.replace, os.fsync)
    with seams_in(tmp_path):
        assert builtins.open is not real[0]
        assert os.write is not real[2]
    assert (builtins.open, io.open, os.write, os.replace, os.fsync) == real
