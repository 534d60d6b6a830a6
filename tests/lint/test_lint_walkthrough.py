"""docs/adopting-lint-rules.md section 7, run as written on a small legacy project.

The commands are read from the walkthrough's ``sh`` blocks (and its ``toml`` block becomes the
project's configuration), so the documentation cannot drift from what works.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

from lint_helpers import ROOT

DOC = ROOT / "docs" / "adopting-lint-rules.md"

LOADER = '''\
"""Loads settings: legacy code written before the error policy."""


def load(path):
    print("loading", path)
    assert path.endswith(".toml")
    if not path:
        raise ValueError("no path")
    return path
'''

REPORT = '''\
import sys


def show(rows):
    try:
        return "\\n".join(rows)
    except Exception:
        return None


def finish():
    sys.exit(3)
'''


def _walkthrough() -> tuple[list[str], list[list[str]]]:
    """The section's TOML blocks and its commands, block by block."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## 7. Walkthrough") : text.index("## 8.")]
    toml = re.findall(r"```toml\n(.*?)```", section, re.DOTALL)
    blocks = re.findall(r"```sh\n(.*?)```", section, re.DOTALL)
    commands = [[line for line in block.splitlines() if line.strip()] for block in blocks]
    return toml, commands


def _run(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "lint_rules"], command
    return subprocess.run(
        [sys.executable, *argv[1:]], cwd=project, capture_output=True, text=True, timeout=120
    )


def _entries(project: Path) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = json.loads(
        (project / ".rec-baseline.json").read_text(encoding="utf-8")
    )["entries"]
    return entries


def test_the_walkthrough_works_as_written(tmp_path: Path) -> None:
    toml, steps = _walkthrough()
    assert [len(step) for step in steps] == [1, 1, 2, 2, 1]
    project = tmp_path / "legacy-project"
    (project / "legacy").mkdir(parents=True)
    configure, name_the_baseline = toml
    pyproject = project / "pyproject.toml"
    pyproject.write_text(configure, encoding="utf-8")
    (project / "legacy" / "__init__.py").write_text("")
    (project / "legacy" / "loader.py").write_text(LOADER)
    (project / "legacy" / "report.py").write_text(REPORT)
    size, write, gate, fix, prune = steps

    # Step 2: the size of the job.
    result = _run(project, size[0])
    assert result.returncode == 1
    found = [line.split(": ")[1].split()[0] for line in result.stdout.splitlines()]
    assert sorted(found) == ["REC001", "REC002", "REC003", "REC005", "REC007"]

    # Step 3: the baseline records them all.
    result = _run(project, write[0])
    assert result.returncode == 0, result.stderr
    assert len(_entries(project)) == 5
    pyproject.write_text(configure + name_the_baseline, encoding="utf-8")

    # Step 4: the gate passes, in text and in the CI format, and fails on a new finding.
    for command in gate:
        result = _run(project, command)
        assert (result.returncode, result.stdout) == (0, ""), command + result.stderr
    new = project / "legacy" / "new.py"
    new.write_text("print('new code')\n")
    result = _run(project, gate[1])
    assert result.returncode == 1
    assert result.stdout.startswith("::error file=legacy/new.py,line=1,col=1,title=REC001::")
    new.unlink()

    # Step 5: fixing a file leaves its entries stale; check says so and adds nothing.
    before = (project / "legacy" / "loader.py").read_text()
    result = _run(project, fix[0])
    assert result.returncode == 0, result.stderr
    fixed = (project / "legacy" / "loader.py").read_text()
    assert fixed != before and "ensure_internal" in fixed and "logger.info" in fixed
    compile(fixed, "loader.py", "exec")
    result = _run(project, fix[1])
    assert (result.returncode, result.stdout) == (0, "")
    assert "3 baseline entries are stale" in result.stderr
    assert len(_entries(project)) == 5

    # Step 6: pruning removes exactly the stale entries.
    result = _run(project, prune[0])
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert "pruned 3 stale baseline entries" in result.stderr
    remaining = _entries(project)
    assert sorted(str(e["code"]) for e in remaining) == ["REC005", "REC007"]
    assert all(e["file"] == "legacy/report.py" for e in remaining)
