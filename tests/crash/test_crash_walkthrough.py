"""The README's crash-explorer walkthrough, run command by command.

The commands are read from the README between the ``crash-walkthrough`` markers and run in one
shell in a temporary directory, each followed by its exit status; a ``# exit N`` comment is the
status the README promises (0 otherwise). ``python`` is this interpreter and ``$TOOLKIT`` this
checkout.
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
    block = text.split("<!-- crash-walkthrough:start -->")[1].split(
        "<!-- crash-walkthrough:end -->")[0]
    lines = [line for line in block.splitlines() if line.strip() and not line.startswith("```")]
    commands = []
    for line in lines:
        status = re.search(r"#\s*exit (\d+)", line)
        commands.append((line, int(status[1]) if status else 0))
    return commands


def test_the_crash_walkthrough_runs_as_written(tmp_path: Path) -> None:
    commands = walkthrough()
    assert len(commands) >= 6
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
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cause = re.search(r"`(os\.replace\(settings\.json\.tmp -> settings\.json\) at\s+"
                      r"save_settings\.py:\d+ can persist before[^`]+)`", readme)
    assert cause is not None
    assert " ".join(cause[1].split()) in done.stdout
    assert "settings.json is torn: 0 bytes" in done.stdout
    assert "reproduce: " in done.stdout and "--state power-loss@4:i5=0" in done.stdout
    assert "vulnerabilities: 0" in done.stdout.split(MARK)[-2]  # the durable version
