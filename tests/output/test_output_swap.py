"""The swap's own promises, one at a time: what a refusal says, what a failed undo reports, and
that the old trace is held while it stands aside (a recovery between the renames leaves it be).
"""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from output_support import Fault, FaultHook, TraceWriting, record, side_dirs, trace_tag

from recorder.errors import ErrorCode, RecorderError, UsageError
from recorder.output import OutputLayer, SideName
from recorder.output import staging as staging_module
from recorder.output.swap import check_target, install


def test_a_file_in_the_way_is_refused_with_its_path_and_step(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("x")
    with pytest.raises(UsageError) as raised:
        check_target(target)
    assert raised.value.code is ErrorCode.TRACE_DIR_CONFLICT
    assert raised.value.message == "the trace directory path is a file"
    assert raised.value.context == {"path": str(target), "step": "check"}


def test_a_foreign_directory_is_refused_with_its_path_and_step(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(UsageError) as raised:
        check_target(target)
    assert raised.value.code is ErrorCode.TRACE_DIR_CONFLICT
    assert raised.value.message == (
        "the trace directory is not empty and does not hold a trace (no trace_metadata.json); "
        "refusing to replace it")
    assert raised.value.context == {"path": str(target), "step": "check"}


def test_a_failed_undo_reports_its_code_errno_and_path(tmp_path: Path, hook: FaultHook) -> None:
    target = tmp_path / "out"
    record(target, "old")
    layer = OutputLayer(target)
    layer.begin()
    staged = layer.staging_dir
    assert staged is not None
    for name in ("trace.json", "trace_metadata.json", "trace_paths.json"):
        layer.create(name).close()
    # Counted from arming: rename 1 moves the old trace aside, rename 2 (staging -> target)
    # fails, and so does the undo (aside -> target): the old trace stays aside for the next run.
    hook.arm(Fault("rename", 2, errno.ENOSPC, persistent=True))
    notes: list[RecorderError] = []
    with pytest.raises(RecorderError) as raised:
        install(staged, target, notes)
    assert raised.value.code is ErrorCode.DISK_FULL
    [undo] = notes
    aside = [name for name in side_dirs(target) if SideName.parse(name).kind == "old"]
    assert len(aside) == 1
    assert undo.code is ErrorCode.DISK_FULL
    assert undo.context["errno"] == "ENOSPC"
    assert undo.context["step"] == "undo-rename"
    assert undo.context["path"] == str(tmp_path / aside[0])
    hook.arm(None)


def test_the_old_trace_is_held_while_it_stands_aside(tmp_path: Path, hook: FaultHook) -> None:
    target = tmp_path / "out"
    record(target, "old")
    layer = OutputLayer(target)
    layer.begin()
    TraceWriting(layer, "new").finish()
    seen: list[tuple[list[str], list[RecorderError]]] = []

    def recover_between_the_renames(point: str, path: str | None) -> None:
        hook(point, path)
        if point == "rename" and path is not None and ".staging-" in path:
            # Another layer of this process starts now: it must not take the old trace for a
            # dead run's leftover (restore it over the target, or delete it).
            errors = staging_module.recover_stale(target, staging_module.default_owner_alive)
            seen.append((side_dirs(target), errors))

    from recorder import seams

    seams.install(recover_between_the_renames)
    layer.publish()
    [(sides, errors)] = seen
    assert errors == []
    assert any(SideName.parse(name).kind == "old" for name in sides)
    assert trace_tag(target) == "new"
    assert side_dirs(target) == []  # the swap removed the old trace afterwards
