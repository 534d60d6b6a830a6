"""Which commands the bootstrap can enter: Python's flags, shebang lines, missing programs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from fault_injection.bootenv import check_command
from fault_injection.errors import SweepUsageError

PY = sys.executable


@pytest.mark.parametrize(("command", "code"), [
    ([PY, "prog.py"], None),
    ([PY, "-u", "-X", "dev", "-W", "ignore", "prog.py", "-I"], None),  # -I is the program's
    ([PY, "-m", "tool", "-E"], None),
    ([PY, "-c", "pass", "-S"], None),
    ([PY, "-I", "prog.py"], "ERR_BOOTSTRAP_BYPASSED"),
    ([PY, "-bE", "prog.py"], "ERR_BOOTSTRAP_BYPASSED"),
    ([PY, "-X", "dev", "-S", "-m", "tool"], "ERR_BOOTSTRAP_BYPASSED"),
    (["./tool-isolated"], "ERR_BOOTSTRAP_BYPASSED"),
    (["./tool-env-isolated"], "ERR_BOOTSTRAP_BYPASSED"),
    (["./tool-plain"], None),
    (["./no-such-tool"], "ERR_COMMAND_NOT_FOUND"),
    (["no-such-program-anywhere"], "ERR_COMMAND_NOT_FOUND"),
    ([], "ERR_COMMAND_MISSING"),
])
def test_commands_the_bootstrap_cannot_enter_are_refused(
        tmp_path: Path, command: list[str], code: str | None) -> None:
    for name, shebang in (("tool-isolated", f"#!{PY} -I"),
                          ("tool-env-isolated", "#!/usr/bin/env -S python3 -s -E"),
                          ("tool-plain", "#!/usr/bin/env python3")):
        (tmp_path / name).write_text(f"{shebang}\nprint('hi')\n")
    if code is None:
        check_command(command, tmp_path)
        return
    with pytest.raises(SweepUsageError) as info:
        check_command(command, tmp_path)
    assert info.value.code == code
