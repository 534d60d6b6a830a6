"""The README's walkthrough ("Sweeping your own program"), run command by command.

The commands are read from the README between the ``walkthrough`` markers and run in one shell in
a temporary directory, each followed by its exit status; a ``# exit N`` comment is the status the
README promises (0 otherwise). ``python`` is this interpreter and ``$TOOLKIT`` this checkout.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MARK = "::status "


def walkthrough() -> list[tuple[str, int]]:
    """The walkthrough's commands with the exit status each must have."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- walkthrough:start -->")[1].split("<!-- walkthrough:end -->")[0]
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("```")]
    commands = []
    for line in lines:
        status = re.search(r"#\s*exit (\d+)\s*$", line)
        commands.append((line, int(status[1]) if status else 0))
    return commands


def test_the_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    commands = walkthrough()
    assert len(commands) >= 8
    shims = tmp_path / "bin"
    shims.mkdir()
    (shims / "python").write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    (shims / "python").chmod(0o755)
    script = "".join(f"{command}\necho \"{MARK}$?\"\n" for command, _ in commands)
    env = {**os.environ, "TOOLKIT": str(ROOT), "PATH": f"{shims}{os.pathsep}{os.environ['PATH']}",
           "TMPDIR": str(tmp_path)}
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    statuses = [int(line[len(MARK):]) for line in done.stdout.splitlines()
                if line.startswith(MARK)]
    assert statuses == [status for _, status in commands], (done.stdout, done.stderr)
    # What the README says the reader sees.
    assert "settings.json is torn: 0 bytes" in done.stdout
    assert "reproduce: d=$(mktemp -d)" in done.stdout
    assert f"0 settings.json\n{MARK}0" in done.stdout  # wc -c after the replayed full disk
    assert "0 failed" in done.stdout.split("FAILED")[-1]  # the careful version's sweep
