"""``files/``: which files are copied, when, within which limits, and into which traces."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from recorder.sources import SourceCopier, copy_path
from tests.iocapture.iocap_support import recorder_env, traced


class _Sink:
    """An output layer's ``create_at``, in memory."""

    def __init__(self) -> None:
        self.files: dict[str, bytearray] = {}

    def create_at(self, relpath: str) -> _File:
        assert relpath not in self.files
        self.files[relpath] = bytearray()
        return _File(self.files[relpath])


class _File:
    def __init__(self, data: bytearray) -> None:
        self.data = data

    def write(self, data: bytes) -> None:
        self.data += data

    def close(self) -> None:
        pass


# (sizes of the files seen, in order; per-file limit; total limit; copied names; skipped names)
LIMITS = [
    ("all fit", [10, 20], 100, 1000, ["a", "b"], {}),
    ("one too large", [10, 200], 100, 1000, ["a"], {"b": "too-large"}),
    ("total reached", [60, 60, 30], 100, 100, ["a", "c"], {"b": "total-limit"}),
    ("exactly the limits", [100], 100, 100, ["a"], {}),
]


@pytest.mark.parametrize(("sizes", "per_file", "total", "copied", "skipped"),
                         [case[1:] for case in LIMITS], ids=[case[0] for case in LIMITS])
def test_limits(tmp_path: Path, sizes: list[int], per_file: int, total: int,
                copied: list[str], skipped: dict[str, str]) -> None:
    sink = _Sink()
    copier = SourceCopier(sink, max_file_bytes=per_file, max_total_bytes=total)
    for name, size in zip("abc", sizes, strict=False):
        (tmp_path / name).write_bytes(b"x" * size)
        copier.see(str(tmp_path / name))
    copier.write_pending()
    assert sorted(sink.files) == [copy_path(str(tmp_path / name)) for name in copied]
    meta = copier.to_json()
    assert meta["skipped"] == {str(tmp_path / name): why for name, why in skipped.items()}
    assert (meta["max_file_bytes"], meta["max_total_bytes"]) == (per_file, total)
    assert meta["copied"] == len(copied)


@pytest.mark.parametrize(("path", "target"), [
    ("/home/me/app/main.py", "files/home/me/app/main.py"),
    ("/a//b/./c.py", "files/a/b/c.py"),
    ("<string>", None), ("<frozen importlib._bootstrap>", None), ("relative.py", None),
])
def test_copy_paths_mirror_the_absolute_path(path: str, target: str | None) -> None:
    assert copy_path(path) == target


def test_not_a_file_is_not_listed_and_unreadable_is(tmp_path: Path) -> None:
    sink = _Sink()
    copier = SourceCopier(sink)
    copier.see("<string>")
    copier.see(str(tmp_path))  # a directory: names no source file
    secret = tmp_path / "secret.py"
    secret.write_text("x = 1\n")
    secret.chmod(0)
    copier.see(str(secret))
    copier.write_pending()
    expected = {} if _can_read(secret) else {str(secret): "unreadable"}  # root reads it anyway
    assert copier.to_json()["skipped"] == expected


def _can_read(path: Path) -> bool:
    try:
        path.read_bytes()
    except OSError:
        return False
    return True


EDITING = """\
from pathlib import Path
import helper
helper.hello()
Path(helper.__file__).write_text("def hello():\\n    print('edited')\\n")
"""


def _run(tmp_path: Path, program: str, *options: str,
         prelude: str | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(traced(program, tmp_path / "trace", *options, prelude=prelude),
                          cwd=tmp_path, env=recorder_env(), capture_output=True, timeout=120)


def test_a_file_edited_during_the_run_is_kept_as_it_ran(tmp_path: Path) -> None:
    (tmp_path / "helper.py").write_text("def hello():\n    print('original')\n")
    (tmp_path / "prog.py").write_text(EDITING)
    done = _run(tmp_path, "prog.py")
    assert done.returncode == 0, done.stderr
    copy = tmp_path / "trace" / "files" / str(tmp_path / "helper.py").lstrip("/")
    assert copy.read_text() == "def hello():\n    print('original')\n"
    assert (tmp_path / "helper.py").read_text().endswith("print('edited')\n")


def test_a_partial_trace_has_its_files(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text("total = 0\nfor i in range(50):\n    total += i\n")
    crash = "from fault_injection.injector import install\ninstall('crash@line#20')\n"
    done = _run(tmp_path, "prog.py", "--keep-partial-trace", "--on-recorder-error", "disable",
                prelude=crash)
    assert done.returncode == 0, done.stderr
    meta = json.loads((tmp_path / "trace" / "trace_metadata.json").read_text())
    assert meta["partial"] is True
    copy = tmp_path / "trace" / "files" / str(tmp_path / "prog.py").lstrip("/")
    assert copy.read_bytes() == (tmp_path / "prog.py").read_bytes()


def test_a_cut_is_recorded_in_the_metadata(tmp_path: Path) -> None:
    big = tmp_path / "big.py"
    big.write_text("# " + "x" * (9 * 1024 * 1024) + "\nVALUE = 1\n")
    (tmp_path / "prog.py").write_text("import big\nprint(big.VALUE)\n")
    done = _run(tmp_path, "prog.py")
    assert done.returncode == 0, done.stderr
    meta = json.loads((tmp_path / "trace" / "trace_metadata.json").read_text())
    assert meta["files"]["skipped"] == {str(big): "too-large"}
    assert not (tmp_path / "trace" / "files" / str(big).lstrip("/")).exists()
    assert meta["files"]["copied"] == 1
