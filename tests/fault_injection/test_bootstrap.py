"""The bootstrap changes nothing a program can see in a clean run, on 3.11, 3.12 and 3.13.

Each interpreter runs the save-settings fixture as a script, with ``-m`` and as a console script
of a virtual environment, once without the bootstrap and once with it (no plan, counting under
the working directory): stdout, stderr, exit status and the files left must be the same, and the
journal must show that the seams were loaded and counted the program's calls.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fault_injection.bootenv import seams_env
from fault_injection.oracle import snapshot
from fault_injection.plan import FaultPlan

FIXTURE = Path(__file__).parent / "fixtures" / "save_settings" / "inplace"
VERSIONS = ("3.11", "3.12", "3.13")


def find_python(version: str) -> str | None:
    """An interpreter of ``version``: this one, a pyenv installation, or one on PATH."""
    if f"{sys.version_info.major}.{sys.version_info.minor}" == version:
        return sys.executable
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = sorted(root.glob(f"{version}.*/bin/python")) if root.is_dir() else []
    if found:
        return str(found[-1])
    on_path = shutil.which(f"python{version}")
    if on_path is None:
        return None
    done = subprocess.run([on_path, "-c", ""], capture_output=True, check=False, timeout=30)
    return on_path if done.returncode == 0 else None


@pytest.fixture(scope="module", params=VERSIONS)
def python(request: pytest.FixtureRequest) -> str:
    found = find_python(request.param)
    if found is None:
        pytest.skip(f"no Python {request.param} here (pyenv or PATH)")
    return found


def console_script(python: str, where: Path) -> str:
    """A console script in a fresh venv of ``python``, as pip would write it."""
    venv = where / "venv"
    subprocess.run([python, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    lib = where / "lib"
    lib.mkdir()
    shutil.copy(FIXTURE / "save_settings.py", lib)
    site = next(venv.glob("lib/python3.*/site-packages"))
    (site / "save_settings.pth").write_text(str(lib) + "\n")
    script = venv / "bin" / "save-settings"
    script.write_text(f"#!{venv / 'bin' / 'python'}\nimport sys\nfrom save_settings import main\n"
                      "if __name__ == '__main__':\n    sys.exit(main())\n")
    script.chmod(0o755)
    return str(script)


def launch(python: str, how: str, where: Path) -> list[str]:
    args = ["theme=dark", "size=12"]
    if how == "script":
        return [python, "save_settings.py", *args]
    if how == "module":
        return [python, "-m", "save_settings", *args]
    return [console_script(python, where), *args]


def run_in_copy(command: list[str], directory: Path, env: dict[str, str]) -> tuple[
        int, bytes, bytes, object]:
    shutil.copytree(FIXTURE, directory)
    done = subprocess.run(command, cwd=directory, env=env, capture_output=True, timeout=120,
                          check=False)
    return done.returncode, done.stdout, done.stderr, snapshot(directory, ".")


@pytest.mark.parametrize("how", ["script", "module", "console"])
def test_a_clean_run_is_the_same_with_the_bootstrap(python: str, how: str,
                                                    tmp_path: Path) -> None:
    command = launch(python, how, tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONHASHSEED"] = "0"
    plain = run_in_copy(command, tmp_path / "plain", env)
    journal = tmp_path / "journal.jsonl"
    seamed = run_in_copy(command, tmp_path / "seamed",
                         seams_env(env, FaultPlan(), (".",), journal, log_ops=True))
    assert plain[0] == 0, plain[2]
    assert seamed == plain
    lines = [json.loads(line) for line in journal.read_text().splitlines()]
    loaded = [line for line in lines if line["event"] == "loaded"]
    assert len(loaded) == 1 and loaded[0]["python"].startswith(
        Path(python).name.removeprefix("python") if how != "console" else "3.")
    counts = [line["hits"] for line in lines if line["event"] == "counts"]
    assert counts == [{"os.open": 2, "os.write": 1}]  # read, then rewrite settings.json


PROBE = """
import os, subprocess, sys
print(os.environ.get("PYTHONPATH"))
print(sorted(k for k in os.environ if k.startswith("FAULT_SEAMS")))
print(sys.path[1:])
print(getattr(sys.modules.get("sitecustomize"), "MARK", None))
child = "import sys; print(any(m.startswith('_fault_injection_boot') for m in sys.modules))"
sys.stdout.flush()
subprocess.run([sys.executable, "-c", child], check=True)
"""


def test_children_and_the_environment_see_no_bootstrap(python: str, tmp_path: Path) -> None:
    chained = tmp_path / "site"
    chained.mkdir()
    (chained / "sitecustomize.py").write_text("import sys\nMARK = 'theirs'\n"
                                              "sys.stderr.write('their sitecustomize ran\\n')\n")
    (tmp_path / "probe.py").write_text(PROBE)
    env = {**os.environ, "PYTHONPATH": str(chained), "PYTHONHASHSEED": "0"}
    plain = subprocess.run([python, "probe.py"], cwd=tmp_path, env=env, capture_output=True,
                           text=True, timeout=60, check=False)
    journal = tmp_path / "j.jsonl"
    seamed = subprocess.run([python, "probe.py"], cwd=tmp_path, capture_output=True, text=True,
                            env=seams_env(env, FaultPlan(), (".",), journal), timeout=60,
                            check=False)
    assert plain.stdout.splitlines()[-2:] == ["theirs", "False"]
    assert (seamed.stdout, seamed.stderr) == (plain.stdout, plain.stderr)
    # Theirs ran in the program and in its child, with the bootstrap as without.
    assert seamed.stderr == "their sitecustomize ran\n" * 2
    assert '"event": "loaded"' in journal.read_text()
