"""``proxies+fd`` leaves the program's output byte for byte as it is untraced.

Every exit path the recorder controls (normal end, ``sys.exit``, uncaught exception, Ctrl-C, a
policy abort) times every destination of fds 1 and 2 (one terminal for both, a terminal and a
pipe, two files, ``2>&1``): stdout and stderr of the recorded run equal the untraced run's.
Under a policy abort the recorder's own report follows the program's output (the program's part
must be complete). A child process that outlives the program and keeps the channel open must
not hold the recorder beyond the drain bound.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path

import pytest

from recorder.tracing.fdcapture import DRAIN_SECONDS
from tests.iocapture.iocap_support import WHERE, recorder_env, run, traced

PROGRAMS = Path(__file__).resolve().parent / "programs"
MIXED = str(PROGRAMS / "mixed_output.py")
ENDINGS = {"normal": 0, "exit": 3, "exception": 20, "ctrl-c": -signal.SIGINT}
ABORT = "from fault_injection.injector import install\ninstall('crash@stop#1')\n"


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("ending", list(ENDINGS))
def test_output_is_byte_identical(tmp_path: Path, where: str, ending: str) -> None:
    env = recorder_env()
    plain = run([sys.executable, MIXED, ending], tmp_path, env, where)
    recorded = run([*traced(MIXED, tmp_path / "trace", "--io-capture", "proxies+fd"), ending],
                   tmp_path, env, where)
    assert recorded.stdout == plain.stdout
    assert recorded.stderr == plain.stderr
    expected = ENDINGS[ending]
    assert plain.status == (1 if ending == "exception" else expected)
    assert recorded.status == expected
    assert (tmp_path / "trace" / "trace.json").is_file()


@pytest.mark.parametrize("where", WHERE)
def test_policy_abort_loses_no_byte(tmp_path: Path, where: str) -> None:
    env = recorder_env()
    plain = run([sys.executable, MIXED], tmp_path, env, where)
    recorded = run(traced(MIXED, tmp_path / "trace", "--io-capture", "proxies+fd",
                          prelude=ABORT), tmp_path, env, where)
    assert recorded.status == 70
    if where in ("pty", "2>&1"):  # one destination: the report comes after all of the program's
        assert recorded.stdout.startswith(plain.stdout)
        assert b"ERR_CALLBACK_FAILED" in recorded.stdout[len(plain.stdout):]
    else:
        assert recorded.stdout == plain.stdout
        assert recorded.stderr.startswith(plain.stderr)
        assert b"ERR_CALLBACK_FAILED" in recorded.stderr[len(plain.stderr):]


LINGERING = """\
import subprocess, sys
subprocess.Popen([sys.executable, "-c",
                  "import sys, time; time.sleep(30); print('too late')"])
print("parent done", flush=True)
"""


@pytest.mark.parametrize("where", ["pty", "files"])
def test_a_child_holding_the_channel_cannot_hang_the_recorder(tmp_path: Path,
                                                              where: str) -> None:
    (tmp_path / "linger.py").write_text(LINGERING, encoding="utf-8")
    started = time.monotonic()
    recorded = run(traced("linger.py", tmp_path / "trace", "--io-capture", "proxies+fd"),
                   tmp_path, recorder_env(), where, timeout=25)
    took = time.monotonic() - started
    assert recorded.status == 0
    assert recorded.stdout.startswith(b"parent done")
    # The recorder itself needs well under the child's 30 s: the drain bound plus start-up.
    assert took < 20, took
    assert (tmp_path / "trace" / "trace.json").is_file()
    assert DRAIN_SECONDS < 5


FORKING = """\
import os
pid = os.fork()
if pid == 0:
    os._exit(0)
os.waitpid(pid, 0)
print("forked")
"""


def test_the_fork_warning_stays_out_of_the_programs_stderr(tmp_path: Path) -> None:
    (tmp_path / "forking.py").write_text(FORKING, encoding="utf-8")
    recorded = run(traced("forking.py", tmp_path / "trace", "--io-capture", "proxies+fd"),
                   tmp_path, recorder_env(), "files")
    assert recorded.status == 0
    assert recorded.stdout == b"forked\n"
    assert recorded.stderr == b""
