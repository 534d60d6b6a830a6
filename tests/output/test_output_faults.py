"""Simulated faults at every seam of the output layer (SQLite style), plus real kill -9 recovery.

The sweep counts the I/O seam hits of a clean "record a new trace over an old one" run, then
fails the 1st, 2nd, ... hit once (transient) and from then on (persistent), and checks after each
run: the error is classified with path/errno/step, the target holds the old or the new complete
trace (or nothing), and after a fault-free cleanup no staging leftovers remain and the old trace
has not been lost.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from output_support import (
    Fault,
    FaultHook,
    TraceWriting,
    record,
    side_dirs,
    trace_tag,
)

from recorder import seams
from recorder.errors import ErrorCode, ErrorKind, RecorderError
from recorder.output import FileState, LayerState, OutputLayer
from recorder.output import syscalls as output_syscalls

EXPECTED_CODE = {errno.ENOSPC: ErrorCode.DISK_FULL, errno.EIO: ErrorCode.IO,
                 errno.EACCES: ErrorCode.PERMISSION_DENIED, errno.EROFS: ErrorCode.READ_ONLY_FS,
                 errno.EFBIG: ErrorCode.FILE_TOO_LARGE}


def run_scenario(target: Path, events: int = 3) -> tuple[OutputLayer, RecorderError | None]:
    """What a session does: record, publish; on failure abandon. Returns the layer and error."""
    layer = OutputLayer(target)
    try:
        layer.begin()
        writing = TraceWriting(layer, "new")
        for _ in range(events):
            writing.add_event()
        writing.finish_and_publish()
    except RecorderError as error:
        layer.abandon()
        return layer, error
    return layer, None


def clean_run_hits(tmp_path: Path) -> int:
    hook = FaultHook()
    target = tmp_path / "probe" / "out"
    target.parent.mkdir()
    record(target, "old")
    seams.install(hook)
    try:
        layer, error = run_scenario(target)
    finally:
        seams.uninstall()
    assert error is None and layer.state is LayerState.PUBLISHED
    return len(hook.hits)


def cleanup_and_check(target: Path, allowed_after: set[str | None]) -> str | None:
    """A fault-free next run (begin + abandon) recovers leftovers; return what the target holds."""
    layer = OutputLayer(target)
    layer.begin()
    layer.abandon()
    assert side_dirs(target) == [], "staging leftovers after cleanup"
    assert layer.notes == []
    tag = trace_tag(target)
    assert tag in allowed_after
    return tag


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EIO])
@pytest.mark.parametrize("persistent", [False, True], ids=["transient", "persistent"])
def test_fail_every_io_step(tmp_path: Path, err: int, persistent: bool) -> None:
    total = clean_run_hits(tmp_path)
    assert total > 20
    failures = 0
    for nth in range(1, total + 1):
        target = tmp_path / f"run{nth}" / "out"
        target.parent.mkdir()
        record(target, "old")
        hook = FaultHook()
        hook.arm(Fault(None, nth, err, persistent))
        seams.install(hook)
        try:
            layer, error = run_scenario(target)
        finally:
            seams.uninstall()
        assert hook.fired >= 1
        where = f"fault at hit {nth}: {hook.hits[-1] if hook.hits else None}"
        now = trace_tag(target)  # raises if torn or mixed
        if error is None:
            # The only faults a successful publish survives: removing the old trace afterwards.
            assert now == "new", where
            assert layer.notes, where
        else:
            failures += 1
            assert error.kind is ErrorKind.ENVIRONMENT, where
            fsync_failed = error.context["step"] in ("fsync",)
            expected = ErrorCode.FSYNC_FAILED if fsync_failed else EXPECTED_CODE[err]
            assert error.code is expected, where
            assert error.context["errno"] == errno.errorcode[err]
            assert error.context["path"]
            if now == "new":
                # The one documented double fault: the parent's fsync failed after both renames
                # and undoing the second rename failed too; the new trace is complete.
                assert error.context["path"] == str(target.parent), where
                assert [n.context["step"] for n in layer.notes][:1] == ["undo-rename"], where
            else:
                assert now in {"old", None}, where
            assert layer.state in (LayerState.FAILED, LayerState.ABANDONED)
        # A fault-free next run restores an old trace stranded aside: it is never lost.
        cleanup_and_check(target, {"new"} if now == "new" else {"old"})
    assert failures > total // 2


def test_a_failed_fsync_is_never_retried_and_nothing_is_published(tmp_path: Path,
                                                                    hook: FaultHook) -> None:
    target = tmp_path / "out"
    record(target, "old")
    hook.hits.clear()
    hook.arm(Fault("fsync", 2, errno.EIO))  # the second file's fsync
    _, error = run_scenario(target)
    assert error is not None and error.code is ErrorCode.FSYNC_FAILED
    assert error.context["step"] == "fsync" and error.context["errno"] == "EIO"
    fsynced = [path for point, path in hook.hits if point == "fsync"]
    assert fsynced == sorted(set(fsynced), key=fsynced.index), "an fsync was retried"
    assert len(fsynced) == 2
    assert trace_tag(target) == "old"
    assert side_dirs(target) == []


def test_keep_partial_publishes_up_to_the_last_whole_event(tmp_path: Path,
                                                           hook: FaultHook) -> None:
    target = tmp_path / "out"
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "partial")
    writing.add_event()  # writes "[" and event 0
    writing.add_event()
    hook.arm(Fault("write", 1, errno.ENOSPC))
    with pytest.raises(RecorderError) as info:
        writing.add_event()
    assert info.value.code is ErrorCode.DISK_FULL
    assert layer.state is LayerState.STAGING
    hook.arm(None)
    writing.partial_reason = info.value.code.value
    writing.finish_and_publish()
    assert trace_tag(target) == "partial"  # valid JSON, events 0 and 1, metadata agrees
    assert layer.partial_reason == "ERR_DISK_FULL"
    meta = (target / "trace_metadata.json").read_text()
    assert '"partial": true' in meta and '"partial_reason": "ERR_DISK_FULL"' in meta


def short_writes(monkeypatch: pytest.MonkeyPatch, fail_truncate: bool) -> None:
    """The kernel's behaviour on a filling disk: accept half, then ENOSPC."""
    real_write = os.write
    calls = {"n": 0}

    def write(fd: int, data: bytes) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data)[: max(1, len(data) // 2)])
        raise OSError(errno.ENOSPC, "No space left on device")

    def ftruncate(fd: int, size: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(output_syscalls.os, "write", write)
    if fail_truncate:
        monkeypatch.setattr(output_syscalls.os, "ftruncate", ftruncate)


def test_a_short_write_then_enospc_is_rolled_back(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    layer = OutputLayer(tmp_path / "out")
    layer.begin()
    handle = layer.create("trace.json")
    handle.write(b"[1")
    with monkeypatch.context() as patch:
        short_writes(patch, fail_truncate=False)
        with pytest.raises(RecorderError) as info:
            handle.write(b",22222222")
    assert info.value.code is ErrorCode.DISK_FULL
    assert handle.tell() == 2 and handle.state is FileState.OPEN
    handle.write(b"]")
    handle.close()
    assert Path(handle.path).read_bytes() == b"[1]"
    layer.abandon()


def test_a_write_that_cannot_be_rolled_back_breaks_the_file_and_blocks_publish(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    record(target, "old")
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "new")
    writing.add_event()
    with monkeypatch.context() as patch:
        short_writes(patch, fail_truncate=True)
        with pytest.raises(RecorderError):
            writing.add_event()
    assert writing.trace is not None and writing.trace.state is FileState.BROKEN
    with pytest.raises(RecorderError) as info:
        writing.add_event()
    assert info.value.code is ErrorCode.IO  # the truncation's failure broke it
    with pytest.raises(RecorderError):
        writing.finish_and_publish()
    assert layer.state is LayerState.STAGING  # the writer could not even finish
    with pytest.raises(RecorderError):
        layer.publish()
    assert layer.state is LayerState.FAILED
    assert trace_tag(target) == "old"
    assert side_dirs(target) == []


class SimulatedBug(RuntimeError):
    pass


def test_a_simulated_bug_at_any_seam_leaves_a_recoverable_state(tmp_path: Path) -> None:
    total = clean_run_hits(tmp_path)
    for nth in range(1, total + 1):
        target = tmp_path / f"bug{nth}" / "out"
        target.parent.mkdir()
        record(target, "old")
        def bug_hook(point: str, path: str | None, nth: int = nth,
                     count: list[int] = [0]) -> None:  # noqa: B006 - one counter per hook
            count[0] += 1
            if count[0] == nth:
                raise SimulatedBug(point)

        seams.install(bug_hook)
        layer = OutputLayer(target)
        try:
            layer.begin()
            writing = TraceWriting(layer, "new")
            for _ in range(3):
                writing.add_event()
            writing.finish_and_publish()
        except SimulatedBug:
            layer.abandon()
        finally:
            seams.uninstall()
        assert trace_tag(target) in {"old", "new"}
        cleanup_and_check(target, {"old", "new"})


KILL_CHILD = textwrap.dedent("""
    import os, signal, sys
    from recorder import seams
    from recorder.output import OutputLayer
    sys.path.insert(0, sys.argv[3])
    from output_support import TraceWriting
    point, nth = sys.argv[2].split("#")
    seen = {"n": 0}
    def hook(p, path):
        if p == point:
            seen["n"] += 1
            if seen["n"] == int(nth):
                os.kill(os.getpid(), signal.SIGKILL)
    layer = OutputLayer(sys.argv[1])
    layer.begin()
    w = TraceWriting(layer, "new")
    w.add_event()
    w.finish()
    seams.install(hook)
    layer.publish()
""")


@pytest.mark.parametrize(
    ("where", "visible_after_kill", "after_recovery"),
    [
        ("fsync#1", "old", "old"),  # killed while making files durable
        ("rename#1", "old", "old"),  # before the old trace is moved aside
        ("rename#2", None, "old"),  # between the two renames: the old trace is restored
        ("fsync#5", "new", "new"),  # after both renames, at the parent's fsync
        ("unlink#1", "new", "new"),  # while removing the old trace
    ],
)
def test_kill_9_during_publish_is_recovered_by_the_next_run(
        tmp_path: Path, where: str, visible_after_kill: str | None, after_recovery: str) -> None:
    target = tmp_path / "out"
    record(target, "old")
    child = subprocess.run([sys.executable, "-c", KILL_CHILD, str(target), where,
                            str(Path(__file__).parent)], capture_output=True, timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()
    assert trace_tag(target) == visible_after_kill
    assert side_dirs(target), "the killed process must have left something to recover"
    # The next run (default liveness test: the child's pid is dead and reaped) recovers.
    cleanup_and_check(target, {after_recovery})
