"""Real faults, not mocks: a full tmpfs (ENOSPC), a non-root user (EACCES), RLIMIT_FSIZE (EFBIG)
and a read-only bind mount (EROFS). Each skips with its reason where the mechanism is unavailable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from output_support import TraceWriting, record, side_dirs, trace_tag

from recorder.errors import ErrorCode, ErrorKind, RecorderError
from recorder.output import FileState, LayerState, OutputLayer

SUPPORT_DIR = str(Path(__file__).parent)
CHUNK = 16 * 1024


def _need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root (mount / setpriv); run as root to exercise this real fault")


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60)


def _mount(args: list[str], what: str) -> None:
    result = _run(["mount", *args])
    if result.returncode != 0:
        pytest.skip(f"cannot {what} here: {result.stderr.strip()}")


def _unmount(path: Path) -> None:
    _run(["umount", str(path)])


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs mounted for the test (always unmounted in the finalizer)."""
    _need_root()
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    _mount(["-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], "mount a tmpfs")
    try:
        yield mnt
    finally:
        _unmount(mnt)


def fill_until_failure(writing: TraceWriting, limit: int = 1000) -> RecorderError:
    """Add big events until the disk says no; the last event is all-or-nothing."""
    assert writing.trace is None
    writing.add_event()
    assert writing.trace is not None
    payload = b"," + json.dumps({"pad": "x" * CHUNK}).encode()
    for _ in range(limit):
        try:
            writing.trace.write(payload)
        except RecorderError as error:
            return error
    raise AssertionError("the small file system never filled up")


def test_enospc_on_a_full_tmpfs_leaves_nothing_and_keeps_the_old_trace(small_tmpfs: Path) -> None:
    target = small_tmpfs / "out"
    record(target, "old")
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "new")
    error = fill_until_failure(writing)
    assert error.code is ErrorCode.DISK_FULL and error.kind is ErrorKind.ENVIRONMENT
    assert error.context["errno"] == "ENOSPC" and error.context["step"] == "write"
    assert error.context["path"].endswith("trace.json")
    handle = writing.trace
    assert handle is not None and handle.state is FileState.OPEN
    # the short write that hit the wall was cut back: the file ends after a whole event
    assert os.fstat(handle.fileno()).st_size == handle.tell()
    layer.abandon()
    assert trace_tag(target) == "old"
    assert os.listdir(small_tmpfs) == ["out"]


def test_enospc_with_keep_partial_publishes_a_valid_partial_trace(small_tmpfs: Path) -> None:
    target = small_tmpfs / "out"
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "partial")
    error = fill_until_failure(writing)
    assert writing.trace is not None
    kept = writing.trace.tell()
    writing.trace.truncate(len(b"[") + len(json.dumps({"tag": "partial", "i": 0})))
    writing.partial_reason = error.code.value
    writing.finish_and_publish()  # the truncation freed room for "]" and the metadata
    assert kept > 0
    assert layer.state is LayerState.PUBLISHED
    assert trace_tag(target) == "partial"
    meta = json.loads((target / "trace_metadata.json").read_text())
    assert meta["partial"] is True and meta["partial_reason"] == "ERR_DISK_FULL"


def test_enospc_at_the_first_byte_of_a_full_disk(small_tmpfs: Path) -> None:
    filler = small_tmpfs / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        with pytest.raises(OSError):
            while True:  # fill the file system with a file of someone else's
                os.write(fd, b"\0" * 4096)
    finally:
        os.close(fd)
    layer = OutputLayer(small_tmpfs / "out")
    layer.begin()  # a directory needs no data block on tmpfs
    handle_out = layer.create("trace.json")
    with pytest.raises(RecorderError) as info:
        handle_out.write(b"[" + b" " * CHUNK)
    assert info.value.code is ErrorCode.DISK_FULL
    assert handle_out.tell() == 0 and os.fstat(handle_out.fileno()).st_size == 0
    layer.abandon()
    assert sorted(os.listdir(small_tmpfs)) == ["filler"]


def test_enospc_when_no_inode_is_left_for_the_staging_directory(tmp_path: Path) -> None:
    _need_root()
    mnt = tmp_path / "noinodes"
    mnt.mkdir()
    _mount(["-t", "tmpfs", "-o", "size=64k,nr_inodes=1", "tmpfs", str(mnt)],
           "mount a tmpfs without free inodes")
    try:
        layer = OutputLayer(mnt / "out")
        with pytest.raises(RecorderError) as info:
            layer.begin()
        assert info.value.code is ErrorCode.DISK_FULL
        assert info.value.context["step"] == "mkdir" and info.value.context["errno"] == "ENOSPC"
        assert os.listdir(mnt) == []
    finally:
        _unmount(mnt)


NOBODY_CHILD = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, sys.argv[2])
    from output_support import TraceWriting
    from recorder.errors import RecorderError
    from recorder.output import OutputLayer
    layer = OutputLayer(sys.argv[1])
    try:
        layer.begin()
        w = TraceWriting(layer, "nobody")
        w.add_event()
        w.finish_and_publish()
        out = {"ok": True}
    except RecorderError as error:
        layer.abandon()
        out = {"ok": False, "code": error.code.value, "kind": error.kind.value,
               "context": error.context}
    sys.stdout.write(json.dumps(out))
""")


@pytest.fixture
def world_readable_dir() -> Iterator[Path]:
    """A root-owned 0755 directory that other users can reach (pytest's tmp dirs are 0700)."""
    path = Path(tempfile.mkdtemp(prefix="output-eacces-", dir="/tmp"))
    os.chmod(path, 0o755)
    try:
        yield path
    finally:
        shutil.rmtree(path)


def test_eacces_for_a_user_who_may_not_write_the_parent(world_readable_dir: Path) -> None:
    _need_root()
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv is not installed")
    parent = world_readable_dir
    record(parent / "out", "old")
    result = _run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                   sys.executable, "-c", NOBODY_CHILD, str(parent / "out"), SUPPORT_DIR])
    if result.returncode != 0 and not result.stdout:
        pytest.skip(f"cannot run as nobody here: {result.stderr.strip()[-300:]}")
    out = json.loads(result.stdout)
    assert out["ok"] is False
    assert out["code"] == "ERR_PERMISSION_DENIED" and out["kind"] == ErrorKind.ENVIRONMENT.value
    assert out["context"]["errno"] == "EACCES" and out["context"]["step"] == "mkdir"
    assert Path(out["context"]["path"]).name.startswith(".out.staging-")
    assert trace_tag(parent / "out") == "old"
    assert os.listdir(parent) == ["out"]


EFBIG_CHILD = textwrap.dedent("""
    import json, resource, signal, sys
    sys.path.insert(0, sys.argv[2])
    from output_support import TraceWriting
    from recorder.errors import RecorderError
    from recorder.output import OutputLayer
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))
    layer = OutputLayer(sys.argv[1])
    layer.begin()
    w = TraceWriting(layer, "big")
    w.add_event()
    pad = b"," + json.dumps({"pad": "x" * 7000}).encode()
    out = {}
    try:
        for _ in range(100):
            w.trace.write(pad)
    except RecorderError as error:
        import os
        out = {"code": error.code.value, "context": error.context,
               "consistent": os.fstat(w.trace.fileno()).st_size == w.trace.tell(),
               "state": w.trace.state.value}
    layer.abandon()
    sys.stdout.write(json.dumps(out))
""")


def test_efbig_with_rlimit_fsize(tmp_path: Path) -> None:
    target = tmp_path / "out"
    record(target, "old")
    result = _run([sys.executable, "-c", EFBIG_CHILD, str(target), SUPPORT_DIR])
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["code"] == "ERR_FILE_TOO_LARGE"
    assert out["context"]["errno"] == "EFBIG" and out["context"]["step"] == "write"
    assert out["consistent"] is True and out["state"] == "open"
    assert trace_tag(target) == "old"
    assert os.listdir(tmp_path) == ["out"]


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """A directory holding an old trace, bind-mounted read-only onto itself for the test."""
    _need_root()
    ro = tmp_path / "ro"
    ro.mkdir()
    record(ro / "out", "old")
    _mount(["--bind", str(ro), str(ro)], "bind-mount")
    try:
        result = _run(["mount", "-o", "remount,bind,ro", str(ro)])
        if result.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {result.stderr.strip()}")
        yield ro
    finally:
        _unmount(ro)


def test_erofs_on_a_read_only_bind_mount(read_only_dir: Path) -> None:
    target = read_only_dir / "out"
    layer = OutputLayer(target)
    with pytest.raises(RecorderError) as info:
        layer.begin()
    assert info.value.code is ErrorCode.READ_ONLY_FS
    assert info.value.context["errno"] == "EROFS" and info.value.context["step"] == "mkdir"
    assert layer.state is LayerState.FAILED
    assert trace_tag(target) == "old"
    assert os.listdir(read_only_dir) == ["out"]
    assert side_dirs(target) == []
