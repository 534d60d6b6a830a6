"""Which channels stand for fds 1 and 2, by where they point (one per open file description)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.iocapture.iocap_support import recorder_env, run

PROBE = """\
import json, os, sys
from recorder.tracing.fdchannel import open_channels
channels = open_channels()
found = [[list(c.targets), c.is_pty] for c in channels]
for c in channels:
    c.close_all()
with open(sys.argv[1], "w") as out:
    json.dump(found, out)
"""

# where fds 1/2 point -> [[targets, is a pty], ...]
EXPECTED = {
    "pty": [[[1, 2], True]],  # one terminal, one open file description
    "pty-split": [[[1], True], [[2], False]],
    "files": [[[1], False], [[2], False]],
    "2>&1": [[[1, 2], False]],
}


@pytest.mark.parametrize(("where", "expected"), list(EXPECTED.items()))
def test_channels(tmp_path: Path, where: str, expected: list[object]) -> None:
    result = tmp_path / "channels.json"
    done = run([sys.executable, "-c", PROBE, str(result)], tmp_path, recorder_env(), where)
    assert done.status == 0, done.stderr
    assert json.loads(result.read_text()) == expected


def test_a_closed_descriptor_is_left_alone(tmp_path: Path) -> None:
    result = tmp_path / "channels.json"
    code = "import os\nos.close(2)\n" + PROBE
    done = run([sys.executable, "-c", code, str(result)], tmp_path, recorder_env(), "files")
    assert done.status == 0
    assert json.loads(result.read_text()) == [[[1], False]]


REPOINTED = """\
import os
os.write(1, b"before\\n")
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
os.write(1, b"swallowed\\n")
"""


def test_a_descriptor_the_program_repointed_stays_repointed(tmp_path: Path) -> None:
    """The restore never undoes the program's own ``dup2`` (checked after the recording)."""
    (tmp_path / "prog.py").write_text(REPOINTED)
    api = ("import recorder, runpy\n"
           "with recorder.trace('out', io_capture='proxies+fd'):\n"
           "    runpy.run_path('prog.py')\n"
           "print('after the recording')\n")
    done = run([sys.executable, "-c", api], tmp_path, recorder_env(), "files")
    assert done.status == 0, done.stderr
    assert done.stdout == b"before\n"  # the print after the recording went to /dev/null too


MANY_FILES = """\
import os, resource, recorder
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
with recorder.trace("out", io_capture="proxies+fd"):
    for _ in range(4000):  # more than a pipe holds: the reader must be draining
        os.write(1, b"y" * 99 + b"\\n")
print("done")
"""


def test_channels_above_fd_setsize_are_read(tmp_path: Path) -> None:
    import resource

    if resource.getrlimit(resource.RLIMIT_NOFILE)[1] < 1200:
        pytest.skip("the hard limit on open files is below 1200")
    done = run([sys.executable, "-c", MANY_FILES], tmp_path, recorder_env(), "files", timeout=60)
    assert done.status == 0, done.stderr
    assert done.stdout == (b"y" * 99 + b"\n") * 4000 + b"done\n"
