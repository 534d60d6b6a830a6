"""The baseline lookup of ``check`` (lint_rules.lookup): findings matched as they arrive, whole
files' at a time (from the cache, in-process or from the pool), give what one match of every
finding gives; the version is read from the file's head first, and a file of another shape is
read whole first."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from lint_rules import baseline, runner
from lint_rules.baseline import FORMAT_VERSION, Baseline
from lint_rules.cache import ResultCache
from lint_rules.catalog import EXAMPLE_CONFIG
from lint_rules.cli import main
from lint_rules.lookup import Lookup, peek_version
from lint_rules.runner import KEEP_BATCH, POOL_THRESHOLD, check_paths, discover

# Repeated statements (occurrence indexes), a REC005 handler, a file without findings.
FILES = {
    "a.py": "print('x')\nprint('x')\nassert x\n",
    "b.py": "try:\n    f()\nexcept Exception:\n    pass\nprint('x')\n",
    "c.py": "x = 1\n",
}


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def tree(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """FILES, then copies of them: enough files for the pool."""
    (example_project / "app").mkdir()
    for index in range(POOL_THRESHOLD):
        for name, text in FILES.items():
            (example_project / "app" / f"{index}{name}").write_text(text)
    monkeypatch.chdir(example_project)
    return example_project


def _write(tree: Path) -> Path:
    assert run("check", "--no-cache", "--write-baseline", "base.json", "app")[0] == 0
    return tree / "base.json"


def _forget_a_third(path: Path) -> None:
    """Drop every third entry (their findings are new again)."""
    data = json.loads(path.read_text())
    data["entries"] = [e for i, e in enumerate(data["entries"]) if i % 3]
    path.write_text(json.dumps(data, indent=2))


@pytest.mark.parametrize(("jobs", "batch"), [("1", 1), ("1", 5), ("2", 1), ("2", KEEP_BATCH)])
def test_matching_as_the_findings_arrive_is_matching_everything_at_once(
    tree: Path, monkeypatch: pytest.MonkeyPatch, jobs: str, batch: int
) -> None:
    monkeypatch.setattr(runner, "KEEP_BATCH", batch)  # a file's or a few files' findings
    path = _write(tree)
    _forget_a_third(path)
    files = discover(["app"])
    found, _stats = check_paths(files, lambda _p: EXAMPLE_CONFIG, ResultCache(None), 1, 2)
    expected, _matched = Baseline.read(path).split(found)
    assert expected
    status, out, _err = run("check", "--no-cache", "--jobs", jobs, "--baseline", str(path), "app")
    assert status == 1
    lines = [f"{f.path}:{f.line}:{f.col + 1}: {f.code} {f.message}" for f in expected]
    assert out.splitlines() == lines


def test_a_warm_run_keeps_what_the_cold_run_kept_without_fingerprinting(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tree)
    _forget_a_third(path)
    (tree / "app" / "0a.py").write_text("x = 2\n")  # its entries are stale now
    argv = ("check", "--cache-dir", str(tree / "cache"), "--baseline", str(path), "app")
    cold = run(*argv)
    assert cold[0] == 1 and "entries are stale" in cold[2]

    def unexpected(*_args: object) -> list[str]:
        raise pytest.fail.Exception("a cached finding was fingerprinted again")

    monkeypatch.setattr(baseline, "fingerprints_at", unexpected)
    assert run(*argv) == cold


def test_the_version_is_read_from_the_head_of_a_written_file(tree: Path) -> None:
    path = _write(tree)
    assert peek_version(path) == FORMAT_VERSION
    assert Lookup(path).version == FORMAT_VERSION
    assert peek_version(tree / "missing.json") is None


@pytest.mark.parametrize(
    "head",
    ['{"tool": "lint_rules", "version": 2, "entries": []}', '{"version": 99, "entries": []}', "[]"],
)
def test_a_file_of_another_shape_has_no_head_version(tree: Path, head: str) -> None:
    (tree / "other.json").write_text(head)
    assert peek_version(tree / "other.json") is None


def test_a_baseline_with_its_keys_in_another_order_is_read_whole_first(tree: Path) -> None:
    path = _write(tree)
    data = json.loads(path.read_text())
    path.write_text(json.dumps({"entries": data["entries"], "version": data["version"]}))
    assert peek_version(path) is None
    assert run("check", "--no-cache", "--baseline", str(path), "app") == (0, "", "")


def test_a_version_the_rest_of_the_file_contradicts_is_a_usage_error(tree: Path) -> None:
    path = tree / "two.json"
    path.write_text('{"version": 2, "entries": [], "version": 1}')
    status, out, err = run("check", "--no-cache", "--baseline", str(path), "app")
    assert (status, out) == (2, "")
    assert err.startswith("lint_rules: error: [BASELINE_INVALID] ") and err.count("\n") == 1
    assert "changed while it was read" in err
