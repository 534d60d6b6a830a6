"""The output layer's contract without faults: stage, publish, replace, refuse, abandon."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from output_support import TraceWriting, points, record, side_dirs, trace_tag

from recorder.errors import ErrorCode, ErrorKind, InternalError, RecorderError, UsageError
from recorder.output import LayerState, OutputLayer


def test_publish_into_absent_target_makes_a_complete_trace(tmp_path: Path) -> None:
    target = tmp_path / "trace-out"
    layer = record(target, "run1", events=5)
    assert layer.state is LayerState.PUBLISHED
    assert trace_tag(target) == "run1"
    assert side_dirs(target) == []
    assert layer.notes == []


def test_staging_is_a_hidden_sibling_until_publish(tmp_path: Path) -> None:
    target = tmp_path / "out"
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "r")
    writing.add_event()
    assert not target.exists()
    assert layer.staging_dir is not None
    assert layer.staging_dir.parent == tmp_path
    assert side_dirs(target) == [layer.staging_dir.name]
    assert layer.staging_dir.name.startswith(f".out.staging-{os.getpid()}-")
    writing.finish_and_publish()
    assert os.listdir(tmp_path) == ["out"]


@pytest.mark.parametrize("existing", ["trace", "empty-dir"])
def test_publish_replaces_an_older_trace_or_empty_dir(tmp_path: Path, existing: str) -> None:
    target = tmp_path / "out"
    if existing == "trace":
        record(target, "old")
    else:
        target.mkdir()
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "new")
    writing.add_event()
    # Until the new trace is complete the old one is intact and visible.
    if existing == "trace":
        assert trace_tag(target) == "old"
    else:
        assert os.listdir(target) == []
    writing.finish_and_publish()
    assert trace_tag(target) == "new"
    assert os.listdir(tmp_path) == ["out"]


def test_publish_swaps_with_two_renames_and_fsyncs_everything(tmp_path: Path, hook) -> None:
    target = tmp_path / "out"
    record(target, "old")
    hook.hits.clear()
    record(target, "new", events=1)
    assert points(hook.hits).count("fsync") == 5  # 3 files, the staging dir, the parent
    renames = [path for point, path in hook.hits if point == "rename"]
    assert len(renames) == 2
    assert renames[0] == str(target)
    assert Path(str(renames[1])).name.startswith(".out.staging-")
    fsyncs = [path for point, path in hook.hits if point == "fsync"]
    assert fsyncs[-1] == str(tmp_path)  # the parent, after the renames
    assert fsyncs[-2] == str(Path(str(renames[1])))  # the staging dir, before them


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("file", "is a file"),
        ("foreign-dir", "does not hold a trace"),
    ],
)
def test_refuses_to_replace_what_is_not_a_trace(tmp_path: Path, setup: str, message: str) -> None:
    target = tmp_path / "out"
    if setup == "file":
        target.write_text("precious")
    else:
        target.mkdir()
        (target / "notes.txt").write_text("precious")
    layer = OutputLayer(target)
    with pytest.raises(UsageError) as info:
        layer.begin()
    assert info.value.code is ErrorCode.TRACE_DIR_CONFLICT
    assert info.value.kind is ErrorKind.USAGE
    assert message in info.value.message
    assert info.value.context["path"] == str(target)
    assert layer.state is LayerState.FAILED
    assert sorted(os.listdir(tmp_path)) == ["out"]  # nothing created, nothing touched
    assert (target.read_text() if setup == "file" else (target / "notes.txt").read_text()) == (
        "precious")


def test_parent_below_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    with pytest.raises(RecorderError) as info:
        OutputLayer(tmp_path / "f" / "out").begin()
    assert info.value.code is ErrorCode.TRACE_DIR_NOT_DIR
    assert info.value.kind is ErrorKind.USAGE


def test_missing_parents_are_created_and_removed_again_on_abandon(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out"
    layer = OutputLayer(target)
    layer.begin()
    TraceWriting(layer, "r").add_event()
    layer.abandon()
    assert layer.state is LayerState.ABANDONED
    assert os.listdir(tmp_path) == []


def test_abandon_leaves_nothing_and_keeps_the_old_trace(tmp_path: Path) -> None:
    target = tmp_path / "out"
    record(target, "old")
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "new")
    writing.add_event()
    writing.finish()
    layer.abandon()
    layer.abandon()  # idempotent
    assert trace_tag(target) == "old"
    assert os.listdir(tmp_path) == ["out"]


def test_abandon_before_begin_and_after_publish_does_nothing(tmp_path: Path) -> None:
    OutputLayer(tmp_path / "never").abandon()
    layer = record(tmp_path / "out", "r")
    layer.abandon()
    assert layer.state is LayerState.PUBLISHED
    assert trace_tag(tmp_path / "out") == "r"


def test_symlinked_target_publishes_at_the_real_directory(tmp_path: Path) -> None:
    real = tmp_path / "real"
    record(real, "old")
    link = tmp_path / "link"
    link.symlink_to(real)
    record(link, "new")
    assert link.is_symlink()
    assert trace_tag(real) == "new"
    assert sorted(os.listdir(tmp_path)) == ["link", "real"]


def test_publish_without_metadata_is_a_bug_and_cleans_up(tmp_path: Path) -> None:
    layer = OutputLayer(tmp_path / "out")
    layer.begin()
    layer.create("trace.json").write(b"[]")
    with pytest.raises(InternalError) as info:
        layer.publish()
    assert info.value.code is ErrorCode.INVARIANT_VIOLATED
    assert layer.state is LayerState.FAILED
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("name", ["", ".", "..", "a/b", "../escape"])
def test_file_names_must_be_plain(tmp_path: Path, name: str) -> None:
    layer = OutputLayer(tmp_path / "out")
    layer.begin()
    with pytest.raises(InternalError):
        layer.create(name)
    layer.abandon()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize(
    ("calls", "failing"),
    [
        (["create"], "create"),  # before begin
        (["publish"], "publish"),
        (["begin", "begin"], "begin"),  # twice
        (["begin", "abandon", "create"], "create"),
    ],
)
def test_life_cycle_misuse_is_an_internal_error(tmp_path: Path, calls: list[str],
                                               failing: str) -> None:
    layer = OutputLayer(tmp_path / "out")
    actions = {"begin": layer.begin, "abandon": layer.abandon, "publish": layer.publish,
               "create": lambda: layer.create("trace.json")}
    for name in calls[:-1]:
        actions[name]()
    with pytest.raises(InternalError) as info:
        actions[calls[-1]]()
    assert failing in info.value.message
    layer.abandon()


def test_output_file_tracks_length_and_truncates(tmp_path: Path) -> None:
    layer = OutputLayer(tmp_path / "out")
    layer.begin()
    handle = layer.create("trace.json")
    handle.write(b"[1,")
    handle.write(b"2,")
    assert handle.tell() == 5
    handle.truncate(3)
    handle.write(b"3]")
    handle.flush()
    handle.close()
    handle.close()  # idempotent
    layer.create("trace_metadata.json").write(json.dumps({}).encode())
    layer.publish()
    assert (tmp_path / "out" / "trace.json").read_bytes() == b"[1,3]"
    with pytest.raises(InternalError):
        handle.write(b"x")  # closed


def test_stale_staging_of_this_process_not_held_is_cleaned(tmp_path: Path) -> None:
    """A long-running program cleans its own earlier leftovers (e.g. after a failed abandon)."""
    target = tmp_path / "out"
    crashed = OutputLayer(target)
    crashed.begin()
    TraceWriting(crashed, "lost").add_event()
    for handle in crashed.files.values():
        handle.discard()
    assert crashed.staging_dir is not None
    from recorder.output import staging

    staging.release(crashed.staging_dir)  # the layer object is gone, its directory is not
    record(target, "next")
    assert trace_tag(target) == "next"
    assert side_dirs(target) == []


def test_a_live_layer_of_this_process_is_never_cleaned_by_another(tmp_path: Path) -> None:
    target = tmp_path / "out"
    first = OutputLayer(target)
    first.begin()
    writing = TraceWriting(first, "first")
    writing.add_event()
    record(target, "second")  # its begin() must leave `first`'s staging alone
    assert first.staging_dir is not None and first.staging_dir.exists()
    writing.finish_and_publish()
    assert trace_tag(target) == "first"
    assert side_dirs(target) == []


def test_writeback_of_a_long_file_starts_before_close(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Every WRITEBACK_STEP bytes the kernel is asked to start writing exactly the new bytes of
    # this file, so that the fsync at close waits for the tail only; a truncation moves the mark
    # back.
    from recorder.output import files, syscalls

    asked: list[tuple[int, int, int]] = []
    monkeypatch.setattr(syscalls, "_FADVISE", lambda fd, offset, length, advice: asked.append(
        (fd, offset, length)))
    layer = OutputLayer(tmp_path / "out")
    layer.begin()
    out = layer.create("trace.json")
    fd = out.fileno()
    out.write(b"x" * (files.WRITEBACK_STEP - 1))
    assert asked == []
    out.write(b"x")  # exactly one step: asked at once
    assert asked == [(fd, 0, files.WRITEBACK_STEP)]
    asked.clear()
    start = files.WRITEBACK_STEP
    chunk = b"x" * (files.WRITEBACK_STEP // 3 + 1)
    for _ in range(7):
        out.write(chunk)
    out.truncate(start + len(chunk))
    for _ in range(3):
        out.write(chunk)
    step = 3 * len(chunk)
    assert asked == [(fd, start, step), (fd, start + step, step),
                     (fd, start + len(chunk), step)]
    out.close()
    assert (layer.staging_dir / "trace.json").stat().st_size == start + 4 * len(chunk)
