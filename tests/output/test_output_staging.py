"""Side-directory names, owner liveness (real processes) and the recovery rule, case by case."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from output_support import record, side_dirs, trace_tag

from recorder.errors import ErrorCode
from recorder.output import OutputLayer, SideName
from recorder.output.staging import default_owner_alive, process_ident


def plant(target: Path, kind: str, pid: int, ident: str, content: str | None = None) -> Path:
    """A side directory as another process would have left it (``content``: a trace's tag)."""
    path = target.parent / SideName(target.name, kind, pid, ident, "00c0ffee").filename
    if content is None:
        path.mkdir()
        (path / "trace.json").write_text("[{")  # torn: it must never become visible
    else:
        record(path, content)
    return path


def test_names_round_trip_and_other_targets_are_ignored() -> None:
    side = SideName.new("trace.out", "staging")
    assert side.pid == os.getpid()
    assert SideName.parse(side.filename) == side
    assert SideName.parse("trace.out") is None
    assert SideName.parse(".x.staging-12-zz-00") is None  # ident must be hex


def test_this_process_fingerprint_is_stable_and_differs_from_others() -> None:
    mine = process_ident(os.getpid())
    assert mine is not None and mine == process_ident(os.getpid())
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"]) as child:
        try:
            assert process_ident(child.pid) not in (None, mine)
        finally:
            child.kill()


@pytest.fixture
def sleeper() -> subprocess.Popen[bytes]:
    child = subprocess.Popen(["sleep", "30"])
    yield child
    child.kill()
    child.wait()


def test_a_running_owner_keeps_its_staging(tmp_path: Path, sleeper) -> None:
    target = tmp_path / "out"
    ident = process_ident(sleeper.pid)
    assert ident is not None
    alive = plant(target, "staging", sleeper.pid, ident)
    record(target, "mine")
    assert alive.exists()
    sleeper.kill()
    sleeper.wait()
    record(target, "next")  # the owner is gone now: its staging is removed
    assert not alive.exists()
    assert trace_tag(target) == "next"


def test_a_reused_pid_is_not_the_owner(tmp_path: Path, sleeper) -> None:
    target = tmp_path / "out"
    stale = plant(target, "staging", sleeper.pid, "deadbeef")  # same pid, other process
    record(target, "mine")
    assert not stale.exists()
    assert side_dirs(target) == []


def test_a_zombie_owner_is_dead(tmp_path: Path) -> None:
    child = subprocess.Popen(["true"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # not reaped (no wait/poll): it becomes a zombie
        with open(f"/proc/{child.pid}/stat") as stat:
            if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                break
        time.sleep(0.01)
    else:
        pytest.fail("the child never became a zombie")
    # "0": the fingerprint is unknown, so only the process state can tell that it is dead
    side = SideName("out", "staging", child.pid, "0", "00")
    assert default_owner_alive(side, tmp_path / side.filename) is False
    child.wait()


def dead(side: SideName, path: Path) -> bool:
    return False


@pytest.mark.parametrize(
    ("target_before", "leftovers", "target_after", "left", "note"),
    [
        # killed between the two renames of a swap: the older trace comes back
        (None, [("old", "older")], "older", [], None),
        # killed after the swap: the new trace stays, the old one goes
        ("newer", [("old", "older")], "newer", [], None),
        # killed while writing: staging is removed, never promoted
        (None, [("staging", None)], None, [], None),
        ("older", [("staging", None), ("staging", "complete-but-unpublished")], "older", [],
         None),
        # several crashes: one old trace restored, the rest removed
        (None, [("old", "a"), ("old", "b")], {"a", "b"}, [], None),
        # the target became something else: the old trace is kept aside and reported
        ("foreign", [("old", "older")], "foreign", ["old"], ErrorCode.TRACE_DIR_CONFLICT),
    ],
)
def test_recovery_rule(tmp_path: Path, target_before: str | None,
                       leftovers: list[tuple[str, str | None]], target_after: object,
                       left: list[str], note: ErrorCode | None) -> None:
    target = tmp_path / "out"
    if target_before == "foreign":
        target.mkdir()
        (target / "notes.txt").write_text("x")
    elif target_before is not None:
        record(target, target_before)
    for number, (kind, content) in enumerate(leftovers):
        path = plant(target, kind, 4_000_000 + number, "0123abcd", content)
        os.utime(path, (1000 + number, 1000 + number))
    layer = OutputLayer(target, owner_alive=dead)
    if target_before == "foreign":
        with pytest.raises(Exception, match="not empty"):
            layer.begin()
        now: str | None = "foreign"
    else:
        layer.begin()
        layer.abandon()
        now = trace_tag(target)
    if isinstance(target_after, set):
        assert now in target_after
    else:
        assert now == target_after
    assert [SideName.parse(name).kind for name in side_dirs(target)] == left  # type: ignore[union-attr]
    assert [n.code for n in layer.notes] == ([note] if note else [])


@pytest.mark.parametrize("bad", [None, ".", "relative/dir", "PARENT", "OUTSIDE", "PARENT/../x"])
def test_remove_tree_refuses_anything_outside_the_trace_parent(
    bad: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recorder.errors import ErrorCode
    from recorder.output.staging import remove_tree

    parent = tmp_path / "parent"
    (parent / "x").mkdir(parents=True)
    (parent / "keep.txt").write_text("keep")
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(parent)
    path = {"PARENT": parent, "OUTSIDE": outside, "PARENT/../x": parent / ".." / "x"}.get(
        bad if isinstance(bad, str) else "", bad)
    if isinstance(path, str):
        path = Path(path)
    errors = remove_tree(path, parent)  # type: ignore[arg-type]
    assert [e.code for e in errors] == [ErrorCode.INVARIANT_VIOLATED]
    assert (parent / "keep.txt").read_text() == "keep" and (parent / "x").is_dir()
    assert outside.is_dir()


def test_remove_tree_removes_a_tree_below_the_parent(tmp_path: Path) -> None:
    from recorder.output.staging import remove_tree

    tree = tmp_path / ".trace.staging-1-abc"
    (tree / "sub").mkdir(parents=True)
    (tree / "sub" / "f").write_text("x")
    (tree / "link").symlink_to(tmp_path)
    assert remove_tree(tree, tmp_path) == []
    assert not tree.exists() and tmp_path.is_dir()
