"""Each real-fault mechanism, exercised once for real (skipped, with the reason, when unavailable).

Where it is cheap, the mechanism is also turned on the recorder's command line end to end: the
real fault must end in the policy table's exit status, the right code, and no trace left.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from fault_injection.mechanisms import privileges, readonly, rlimit, sigint, strace, tmpfs
from fault_injection.mechanisms.common import shell_status
from fault_injection.plan import ENV_VAR
from fault_injection.scenarios import SCENARIOS

PROJECT = Path(__file__).resolve().parents[2]
WRITE = ("import sys\ntry:\n    open(sys.argv[1], 'wb').write(b'x' * 200_000)\n"
         "except OSError as e:\n    print(e.errno)\n")


def need(module: object) -> None:
    reason = module.unavailable_reason()  # type: ignore[attr-defined]
    if reason is not None:
        pytest.skip(f"{module.__name__.rsplit('.', 1)[-1]} unavailable: {reason}")  # type: ignore[attr-defined]


def bulk_script(tmp: Path) -> Path:
    script = tmp / "bulk.py"
    script.write_bytes(SCENARIOS["bulk"].read_bytes())
    return script


def recorder_cmd(python: str, trace_dir: Path, script: Path) -> list[str]:
    return [python, "-m", "recorder", "--trace-dir", str(trace_dir), "--json-errors", str(script)]


def trailer_code(stderr: bytes) -> str:
    last = stderr.decode().strip().splitlines()[-1]
    assert last.startswith("{"), last
    return str(__import__("json").loads(last)["error_code"])


def test_tmpfs_gives_real_enospc_and_the_recorder_exits_10(tmp_path: Path) -> None:
    need(tmpfs)
    with tmpfs.mounted_tmpfs("32k") as mnt:
        probe = subprocess.run([sys.executable, "-c", WRITE, str(mnt / "big")],
                               capture_output=True, text=True, check=True, timeout=60)
        assert probe.stdout.strip() == str(errno.ENOSPC)
        (mnt / "big").unlink()
        done = subprocess.run(recorder_cmd(sys.executable, mnt / "trace", bulk_script(tmp_path)),
                              capture_output=True, timeout=120, check=False)
        assert done.returncode == 10, done.stderr
        assert trailer_code(done.stderr) == "ERR_DISK_FULL"
        assert sorted(os.listdir(mnt)) == []  # no trace, no staging leftovers
    assert not os.path.ismount(mnt)


def test_dropped_privileges_give_real_eacces() -> None:
    need(privileges)
    python = privileges.python_for_nobody()
    if python is None:
        pytest.skip("privileges: no Python >= 3.11 that nobody can execute")
    # pytest's tmp_path is private to root (0700): nobody needs a readable place for the script.
    with tempfile.TemporaryDirectory(prefix="fi-priv-") as tmp:
        os.chmod(tmp, 0o755)
        check_eacces(python, Path(tmp))


def check_eacces(python: str, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o755)  # owned by root: nobody cannot create entries in it
    script = bulk_script(tmp_path)
    os.chmod(script, 0o644)
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    done = privileges.run_unprivileged(recorder_cmd(python, locked / "trace", script), env=env)
    assert done.returncode == 10, done.stderr
    assert trailer_code(done.stderr) == "ERR_PERMISSION_DENIED"
    assert list(locked.iterdir()) == []


def test_rlimit_fsize_gives_real_efbig(tmp_path: Path) -> None:
    need(rlimit)
    probe = rlimit.run_with_fsize_limit([sys.executable, "-c", WRITE, str(tmp_path / "big")],
                                        limit=4096)
    assert probe.stdout.decode().strip() == str(errno.EFBIG)
    done = rlimit.run_with_fsize_limit(
        recorder_cmd(sys.executable, tmp_path / "trace", bulk_script(tmp_path)), limit=8192)
    assert done.returncode == 10, done.stderr
    assert trailer_code(done.stderr) == "ERR_FILE_TOO_LARGE"
    assert not (tmp_path / "trace").exists()


def test_readonly_bind_mount_gives_real_erofs() -> None:
    need(readonly)
    with readonly.readonly_dir() as path:
        with pytest.raises(OSError) as info:
            (path / "f").write_bytes(b"x")  # even root cannot write here
        assert info.value.errno == errno.EROFS
    assert not path.exists()


def test_sigint_at_the_rename_interrupts_like_ctrl_c(tmp_path: Path) -> None:
    need(sigint)
    script = bulk_script(tmp_path)
    env = {**os.environ, ENV_VAR: str(sigint.plan_at("rename", 1))}
    done = subprocess.run([sys.executable, "-m", "fault_injection", "exec", "--trace-dir",
                           str(tmp_path / "trace"), str(script)],
                          capture_output=True, env=env, timeout=120, check=False)
    assert shell_status(done.returncode) == 130, done.stderr  # killed by SIGINT
    # The rename is in the critical section: the trace is published whole, then Ctrl-C lands.
    meta = (tmp_path / "trace" / "trace_metadata.json").read_text()
    assert '"partial": true' not in meta
    assert not [p for p in os.listdir(tmp_path) if ".staging-" in p]


def test_strace_injects_eio_into_fsync(tmp_path: Path) -> None:
    need(strace)
    cmd = strace.inject_command(recorder_cmd(sys.executable, tmp_path / "trace",
                                             bulk_script(tmp_path)),
                                syscall="fsync", error="EIO", when="1")
    done = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert done.returncode == 10, done.stderr
    assert trailer_code(done.stderr) in ("ERR_IO", "ERR_FSYNC_FAILED")
    assert not (tmp_path / "trace").exists()
    assert not [p for p in os.listdir(tmp_path) if ".staging-" in p]


def test_every_mechanism_reports_its_availability() -> None:
    done = subprocess.run([sys.executable, "-m", "fault_injection", "mechanisms"],
                          capture_output=True, text=True, check=True, timeout=60)
    for name in ("tmpfs", "privileges", "rlimit", "readonly", "sigint", "strace"):
        assert any(line.startswith(name) and ("available" in line) for line in
                   done.stdout.splitlines()), done.stdout


@pytest.mark.parametrize(("mechanism", "options", "expected"), [
    ("rlimit", ["--fsize", "4096"], errno.EFBIG),
    ("tmpfs", ["--size", "16k"], errno.ENOSPC),
    ("strace", ["--syscall", "write", "--error", "EIO", "--path", "{target}"], errno.EIO),
])
def test_mechanisms_from_the_command_line(tmp_path: Path, mechanism: str, options: list[str],
                                          expected: int) -> None:
    module = {"rlimit": rlimit, "tmpfs": tmpfs, "strace": strace}[mechanism]
    need(module)
    target = "{mnt}/big" if mechanism == "tmpfs" else str(tmp_path / "big")
    if mechanism == "strace":
        (tmp_path / "big").touch()  # strace -P needs the path to exist
    options = [option.replace("{target}", target) for option in options]
    done = subprocess.run([sys.executable, "-m", "fault_injection", mechanism, *options, "--",
                           sys.executable, "-c", WRITE, target],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(expected)
