"""Baselines: recorded findings survive unrelated edits, new ones are reported, stale ones are
counted and pruned, through the CLI, the flake8 plugin and the pre-commit hook."""

from __future__ import annotations

import ast
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from lint_helpers import example_pyproject, parse_flake8, run_flake8
from programs import programs
from test_precommit import _pre_commit, consumer_repo  # noqa: F401 - the fixture

from lint_rules.baseline import FORMAT_VERSION, fingerprints, keys, source_lines
from lint_rules.catalog import EXAMPLE_CONFIG
from lint_rules.checker import check_source, decide_anchored, findings_from_hits
from lint_rules.cli import main
from lint_rules.findings import Finding

LEGACY = """\
import sys


def load(path):
    print("loading", path)
    try:
        data = open(path).read()
    except Exception:
        data = None
    assert data is not None
    return data


def main():
    print("loading", "twice")
    sys.exit(3)
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), out, err)
    return status, out.getvalue(), err.getvalue()


def codes(out: str) -> list[tuple[int, str]]:
    rows = []
    for line in out.splitlines():
        _path, number, _col, rest = line.split(":", 3)
        rows.append((int(number), rest.split()[0]))
    return rows


@pytest.fixture
def legacy(example_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (example_project / "app").mkdir()
    (example_project / "app" / "legacy.py").write_text(LEGACY)
    monkeypatch.chdir(example_project)
    return example_project


def _write(legacy: Path, baseline: str = ".rec-baseline.json") -> Path:
    status, out, err = run("check", "--no-cache", "--write-baseline", baseline, "app")
    assert (status, out) == (0, "")
    assert "wrote 5 baseline entries" in err
    return legacy / baseline


def test_a_written_baseline_silences_todays_findings(legacy: Path) -> None:
    assert codes(run("check", "--no-cache", "app")[1]) == [
        (5, "REC001"), (8, "REC005"), (10, "REC002"), (15, "REC001"), (16, "REC007")
    ]
    path = _write(legacy)
    assert run("check", "--no-cache", "--baseline", str(path), "app") == (0, "", "")


def test_the_file_is_stable_sorted_versioned_json(legacy: Path) -> None:
    path = _write(legacy)
    first = path.read_text()
    data = json.loads(first)
    assert data["version"] == FORMAT_VERSION and data["tool"] == "lint_rules"
    assert data["entries"] == sorted(data["entries"], key=lambda e: tuple(e.values()))
    assert {e["file"] for e in data["entries"]} == {"app/legacy.py"}
    assert "line" not in first
    _write(legacy)
    assert path.read_text() == first


def test_entries_survive_moves_and_edits_elsewhere(legacy: Path) -> None:
    path = _write(legacy)
    edited = LEGACY.replace("import sys\n", "import sys\nimport os\n\nVERSION = 2\n")
    edited = edited.replace("    return data\n", "    return data.strip()  # edited\n")
    # Inside the handler, a new first statement: the except clause and the last one stay.
    edited = edited.replace("    except Exception:\n", "    except Exception:\n        log()\n")
    edited = edited.replace('print("loading", path)', "print( 'loading',path )  # spacing, quotes")
    split = "    sys.exit(  # split, with a comment\n        3)\n"
    edited = edited.replace("    sys.exit(3)\n", split)
    (legacy / "app" / "legacy.py").write_text(edited)
    assert run("check", "--no-cache", "--baseline", str(path), "app") == (0, "", "")


def test_a_copied_offending_line_is_a_new_finding(legacy: Path) -> None:
    path = _write(legacy)
    copied = LEGACY + '\n\ndef again():\n    print("loading", "twice")\n'
    (legacy / "app" / "legacy.py").write_text(copied)
    status, out, _err = run("check", "--no-cache", "--baseline", str(path), "app")
    assert (status, codes(out)) == (1, [(20, "REC001")])


def test_changing_the_swallowing_statement_is_a_new_finding(legacy: Path) -> None:
    path = _write(legacy)
    changed = LEGACY.replace("        data = None\n", "        data = ''\n")
    (legacy / "app" / "legacy.py").write_text(changed)
    status, out, _err = run("check", "--no-cache", "--baseline", str(path), "app")
    assert (status, codes(out)) == (1, [(8, "REC005")])


def test_fixed_findings_leave_stale_entries_that_only_prune_removes(legacy: Path) -> None:
    path = _write(legacy)
    before = path.read_text()
    fixed = LEGACY.replace("    assert data is not None\n", "").replace(
        "    sys.exit(3)\n", "    sys.exit(3)\n    print('new')\n"
    )
    (legacy / "app" / "legacy.py").write_text(fixed)
    status, out, err = run("check", "--no-cache", "--baseline", str(path), "app")
    assert (status, codes(out)) == (1, [(16, "REC001")])
    assert "1 baseline entries are stale" in err
    assert path.read_text() == before  # check never adds (nor removes)
    prune = ("--baseline", str(path), "--prune-baseline")
    status, out, err = run("check", "--no-cache", *prune, "app")
    assert (status, codes(out)) == (1, [(16, "REC001")])
    assert "pruned 1 stale baseline entries" in err
    after = json.loads(path.read_text())["entries"]
    assert len(after) == 4 and all(e["code"] != "REC002" for e in after)
    # Checking part of the tree does not call the other files' entries stale.
    (legacy / "app" / "other.py").write_text("x = 1\n")
    assert run("check", "--no-cache", "--baseline", str(path), "app/other.py") == (0, "", "")


def test_the_configured_baseline_is_used_and_prune_needs_one(legacy: Path) -> None:
    _write(legacy)
    status, _out, err = run("check", "--no-cache", "--prune-baseline", "app")
    assert status == 2 and "--prune-baseline needs a baseline" in err
    pyproject = legacy / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + 'baseline = ".rec-baseline.json"\n')
    assert run("check", "--no-cache", "app") == (0, "", "")


@pytest.mark.parametrize(
    "content",
    ["not json", '{"version": 99, "entries": []}', "[]", '{"version": 1, "entries": [{}]}'],
)
def test_an_unreadable_baseline_is_a_usage_error(legacy: Path, content: str) -> None:
    (legacy / "bad.json").write_text(content)
    status, out, err = run("check", "--no-cache", "--baseline", "bad.json", "app")
    assert (status, out) == (2, "")
    assert err.startswith("lint_rules: error: [BASELINE_INVALID] ") and err.count("\n") == 1
    status, _out, err = run("check", "--no-cache", "--baseline", "missing.json", "app")
    assert status == 2 and "[BASELINE_INVALID]" in err


def test_flake8_filters_with_the_same_baseline(legacy: Path) -> None:
    _write(legacy)
    # flake8 names the file ./app/legacy.py; the CLI wrote app/legacy.py: the same file.
    assert parse_flake8(run_flake8(legacy, "--select", "REC", ".").stdout) != set()
    result = run_flake8(legacy, "--select", "REC", "--rec-baseline", ".rec-baseline.json", ".")
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    pyproject = legacy / "pyproject.toml"
    pyproject.write_text(example_pyproject() + 'baseline = ".rec-baseline.json"\n')
    source = legacy / "app" / "legacy.py"
    source.write_text(LEGACY + '\n\ndef again():\n    print("loading", "twice")\n')
    result = run_flake8(legacy, "--select", "REC", ".")
    assert parse_flake8(result.stdout) == {("app/legacy.py", 20, "REC001")}


def test_the_pre_commit_hook_uses_the_baseline(
    consumer_repo: Path,  # noqa: F811 - the fixture imported above
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pyproject = consumer_repo / "pyproject.toml"
    monkeypatch.chdir(consumer_repo)
    assert run("check", "--no-cache", "--write-baseline", "base.json", "app")[0] == 0
    pyproject.write_text(pyproject.read_text() + 'baseline = "base.json"\n')
    result = _pre_commit(consumer_repo, "run", "rec-lint", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_unparsable_file_is_baselined_by_its_line(legacy: Path) -> None:
    broken = legacy / "app" / "broken.py"
    broken.write_text("x = 1\ny = )\n")
    status, out, _err = run("check", "--no-cache", "--write-baseline", "b.json", "app")
    assert status == 0
    assert run("check", "--no-cache", "--baseline", "b.json", "app") == (0, "", "")
    broken.write_text("x = 1\n\ny = )\n")
    status, out, _err = run("check", "--no-cache", "--baseline", "b.json", "app")
    assert (status, codes(out)) == (1, [(3, "REC000")])


# Written by the format 1 code (fingerprints of ast.unparse) for LEGACY as app/legacy.py.
V1_BASELINE = Path(__file__).parent / "legacy" / "legacy-v1.rec-baseline.json"


def test_a_version_1_baseline_still_silences_and_prunes_in_its_version(legacy: Path) -> None:
    path = legacy / "v1.json"
    path.write_text(V1_BASELINE.read_text())
    assert run("check", "--no-cache", "--baseline", str(path), "app") == (0, "", "")
    edited = LEGACY.replace("import sys\n", "import sys\n\nVERSION = 2\n").replace(
        "    assert data is not None\n", ""
    )
    (legacy / "app" / "legacy.py").write_text(edited)
    prune = ("--baseline", str(path), "--prune-baseline")
    status, out, err = run("check", "--no-cache", *prune, "app")
    assert (status, out) == (0, "")
    assert "pruned 1 stale baseline entries" in err
    data = json.loads(path.read_text())
    assert data["version"] == 1 and len(data["entries"]) == 4
    assert run("check", "--no-cache", "--write-baseline", str(path), "app")[0] == 0
    assert json.loads(path.read_text())["version"] == FORMAT_VERSION


@pytest.mark.parametrize(
    ("before", "after", "same"),
    [
        ("print('x')", 'print("x")', True),
        ("print(\n    'x',  # why\n    1)", "print('x', 1)", True),
        ("print('#x')", "print('#y')", False),
        ("print('é', 1)", "print('é',1)", True),
        ("print('é', 1)", "print('è', 1)", False),
        ("print('x')", "print('x', 2)", False),
        ("if print(1):\n    a = 1", "if print(1):\n    a = 2", True),
        ("a = 1; print('x')", "b = 2; print('x')", True),
        (
            "match v:\n    case 1:\n        print('x')",
            "match w:\n    case 2:\n        print('x')",
            True,
        ),
        ("try:\n    pass\nexcept E:\n    print(1)", "try:\n    x()\nexcept E:\n    print(1)", True),
    ],
)
def test_fingerprints_ignore_layout_not_content(before: str, after: str, same: bool) -> None:
    def prints(source: str) -> list[str]:
        found = check_source(source, "pkg/module.py", EXAMPLE_CONFIG, fingerprint=FORMAT_VERSION)
        return [f.fingerprint or "" for f in found]

    assert (prints(before) == prints(after)) is same
    assert all(prints(before))


def _both_ways(source: str, version: int) -> tuple[list[str], list[str]]:
    """A program's fingerprints found by searching the tree, and from the hits' anchors."""
    tree = ast.parse(source)
    decided, anchors = decide_anchored(tree, "pkg/module.py", EXAMPLE_CONFIG, source)
    lines = source_lines(source)
    found = findings_from_hits(decided, "pkg/module.py", lines, EXAMPLE_CONFIG)
    searched = fingerprints(tree, found, lines, version)
    return searched, fingerprints(tree, found, lines, version, anchors)


# A finding that is itself a statement or an ``except`` clause is its own anchor; these put
# other statements on its line, around it and inside it.
ANCHOR_CORNERS = [
    "a = 1; raise ValueError('x')",
    "raise ValueError('x'); a = 1",
    "if x: raise ValueError('x')",
    "if x: assert y\nelse: assert z",
    "try: f()\nexcept: pass",
    "try:\n    f()\nexcept Exception: log(); x = 1",
    "try:\n    f()\nexcept Exception as e:  # why\n"
    "    try:\n        g()\n    except:\n        e = 1",
    "def f():\n    try:\n        g()\n    except Exception:\n        raise",
    "match v:\n    case 1: raise ValueError('x')\n    case _:\n        assert v, 'm'",
    "for i in x: assert i\nelse: print(1)",
    "with f() as g: raise ValueError(\n    'two', 'lines')",
    "@d\ndef f(): raise ValueError('x')",
]


@pytest.mark.parametrize("source", ANCHOR_CORNERS)
@pytest.mark.parametrize("version", [1, FORMAT_VERSION])
def test_anchored_fingerprints_are_the_searched_ones(source: str, version: int) -> None:
    searched, anchored = _both_ways(source, version)
    assert searched and anchored == searched


@settings(max_examples=150, deadline=None)
@given(programs)
def test_anchored_fingerprints_are_the_searched_ones_in_any_program(source: str) -> None:
    searched, anchored = _both_ways(source, FORMAT_VERSION)
    assert anchored == searched


def test_occurrences_count_identical_statements_in_line_order_whatever_the_input_order() -> None:
    def finding(path: str, line: int, col: int, fingerprint: str) -> Finding:
        return Finding(path, line, col, "REC001", "m", None, fingerprint)

    # ./a.py and a.py are one file; b.py counts on its own; "other" is another statement.
    found = [
        finding("a.py", 9, 0, "same"),
        finding("b.py", 1, 0, "same"),
        finding("./a.py", 3, 4, "same"),
        finding("a.py", 5, 0, "other"),
        finding("a.py", 3, 0, "same"),
    ]
    assert keys(found, Path(".")) == [
        ("a.py", "REC001", "same", 2),
        ("b.py", "REC001", "same", 0),
        ("a.py", "REC001", "same", 1),
        ("a.py", "REC001", "other", 0),
        ("a.py", "REC001", "same", 0),
    ]
