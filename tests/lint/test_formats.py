"""The CI output formats, golden style: findings in, exact text out (with escaping)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import pytest

from lint_rules import report
from lint_rules.cli import main
from lint_rules.findings import Finding

# A path and a message that need escaping in GitHub workflow commands.
AWKWARD = Finding("src/a,b:c.py", 3, 4, "REC003", "100% broken\r\nsecond line", fingerprint="fp1")
PLAIN = Finding(
    "./pkg/m.py", 1, 0, "REC001", "print() outside the output modules", fingerprint="fp2"
)


def test_github_workflow_commands() -> None:
    assert report.github([AWKWARD, PLAIN]) == (
        "::error file=src/a%2Cb%3Ac.py,line=3,col=5,title=REC003::100%25 broken%0D%0Asecond line\n"
        "::error file=pkg/m.py,line=1,col=1,title=REC001::print() outside the output modules\n"
    )


def test_gitlab_code_quality(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)

    def digest(*key: object) -> str:
        return hashlib.sha256("\0".join(map(str, key)).encode()).hexdigest()

    assert json.loads(report.gitlab([AWKWARD, PLAIN])) == [
        {
            "description": "REC003 100% broken\r\nsecond line",
            "check_name": "REC003",
            "fingerprint": digest("src/a,b:c.py", "REC003", "fp1", 0),
            "severity": "major",
            "location": {"path": "src/a,b:c.py", "lines": {"begin": 3}},
        },
        {
            "description": "REC001 print() outside the output modules",
            "check_name": "REC001",
            "fingerprint": digest("pkg/m.py", "REC001", "fp2", 0),
            "severity": "major",
            "location": {"path": "pkg/m.py", "lines": {"begin": 1}},
        },
    ]


def test_gitlab_fingerprints_are_the_baseline_keys(
    example_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example_project / "m.py").write_text("print(1)\nprint(1)\n\nprint(2)\n")
    monkeypatch.chdir(example_project)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--no-cache", "--format", "gitlab", "m.py"], out, err) == 1
    rows = json.loads(out.getvalue())
    assert [r["location"]["lines"]["begin"] for r in rows] == [1, 2, 4]
    # Identical statements differ by occurrence only; moving them keeps every fingerprint.
    assert len({r["fingerprint"] for r in rows}) == 3
    (example_project / "m.py").write_text("x = 0\n\nprint(1)\nprint(1)\nprint(2)\n")
    moved = io.StringIO()
    main(["check", "--no-cache", "--format", "gitlab", "m.py"], moved, err)
    assert [r["fingerprint"] for r in json.loads(moved.getvalue())] == [
        r["fingerprint"] for r in rows
    ]


def test_the_cli_offers_both_formats(
    example_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (example_project / "m.py").write_text("print('50%')\n")
    monkeypatch.chdir(example_project)
    out, err = io.StringIO(), io.StringIO()
    assert main(["check", "--no-cache", "--format", "github", "m.py"], out, err) == 1
    assert out.getvalue().startswith("::error file=m.py,line=1,col=1,title=REC001::print()")
