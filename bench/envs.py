"""Interpreters and the benchmark's private virtual environments.

The peers run in venvs of their own under ``bench/`` (created on demand, reused when their
marker says they hold the requested packages), so they never touch the project's ``.venv``:

* ``.venv-rust-312``: ``codetracer-python-recorder`` 0.3.0 on Python 3.12 (it has no 3.11 wheel);
* ``.venv-flake8``: flake8 alone, the same version as ``.venv``'s, for a baseline without our
  plugin (flake8 runs every installed plugin whatever ``--select`` says).

Anything that cannot be found or installed raises :class:`~bench.errors.Unavailable` with a
reason the report prints.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from bench.errors import Unavailable

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent

RUST_RECORDER = "codetracer-python-recorder==0.3.0"
_MARKER = ".bench-ready"


def _run(argv: list[str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def pyenv_python(series: str) -> Path | None:
    """The newest pyenv-installed CPython of ``series`` (e.g. ``"3.12"``), or None."""
    if shutil.which("pyenv") is None:
        return None
    listed = _run(["pyenv", "versions", "--bare"])
    candidates = [
        v.strip()
        for v in listed.stdout.splitlines()
        if v.strip().startswith(series + ".") and v.strip()[len(series) + 1 :].isdigit()
    ]
    candidates.sort(key=lambda v: int(v.rsplit(".", 1)[1]))
    for version in reversed(candidates):
        prefix = _run(["pyenv", "prefix", version]).stdout.strip()
        exe = Path(prefix) / "bin" / "python"
        if prefix and exe.is_file():
            return exe
    return None


def find_python(series: str) -> Path:
    """A Python ``series`` interpreter: ``$BENCH_PYTHON<series>``, this one, pyenv, or PATH."""
    override = os.environ.get("BENCH_PYTHON" + series.replace(".", ""))
    if override:
        return Path(override)
    if f"{sys.version_info.major}.{sys.version_info.minor}" == series:
        return Path(sys.executable)
    found = pyenv_python(series)
    if found is not None:
        return found
    on_path = shutil.which("python" + series)
    if on_path is not None:
        return Path(on_path)
    raise Unavailable(
        f"no Python {series} found (install it with pyenv or set "
        f"BENCH_PYTHON{series.replace('.', '')}=/path/to/python{series})"
    )


def base_python(python: Path) -> Path:
    """The interpreter a venv's python was made from (what its ``sys._base_executable`` says)."""
    done = _run([str(python), "-c", "import sys; print(sys._base_executable)"])
    text = done.stdout.strip()
    return Path(text) if done.returncode == 0 and text else python


def ensure_venv(name: str, python: Path, requirements: list[str]) -> Path:
    """The python of venv ``bench/<name>`` made from ``python`` with ``requirements`` installed.

    Reused as is when its marker lists the same requirements; rebuilt otherwise.
    """
    venv = BENCH_DIR / name
    exe = venv / "bin" / "python"
    marker = venv / _MARKER
    wanted = "\n".join([str(python), *requirements])
    if exe.is_file() and marker.is_file() and marker.read_text(encoding="utf-8") == wanted:
        return exe
    shutil.rmtree(venv, ignore_errors=True)
    made = _run([str(python), "-m", "venv", str(venv)])
    if made.returncode != 0:
        raise Unavailable(f"cannot create {venv} with {python}: {_last_line(made.stderr)}")
    installed = _run([str(exe), "-m", "pip", "install", "--quiet", *requirements])
    if installed.returncode != 0:
        raise Unavailable(
            f"pip install {' '.join(requirements)} failed in {venv}: {_last_line(installed.stderr)}"
        )
    marker.write_text(wanted, encoding="utf-8")
    return exe


def rust_recorder_python(python312: Path) -> Path:
    """The python of the venv holding the Rust recorder."""
    return ensure_venv(".venv-rust-312", python312, [RUST_RECORDER])


def flake8_baseline_python(python311: Path) -> Path:
    """The python of a venv with flake8 only (same version as ours), for the plugin baseline."""
    try:
        version = metadata.version("flake8")
    except metadata.PackageNotFoundError as exc:
        raise Unavailable("flake8 is not installed in the benchmark's environment") from exc
    return ensure_venv(".venv-flake8", python311, [f"flake8=={version}"])


def python_version(python: Path) -> str:
    """``3.12.1`` for ``python``; raises Unavailable when it does not run."""
    done = _run([str(python), "-c", "import platform; print(platform.python_version())"])
    if done.returncode != 0:
        raise Unavailable(f"{python} does not run: {_last_line(done.stderr)}")
    return done.stdout.strip()


def package_version(python: Path, dist: str) -> str:
    """Version of distribution ``dist`` as installed for ``python``, or ``not installed``."""
    code = f"from importlib.metadata import version; print(version({dist!r}))"
    done = _run([str(python), "-c", code])
    return done.stdout.strip() if done.returncode == 0 else "not installed"


def repo_env() -> dict[str, str]:
    """Environment additions that make the project importable from any interpreter.

    The recorder is stdlib-only, so a bare 3.12 interpreter runs it from the source tree.
    """
    return {"PYTHONPATH": str(REPO)}


def recorder_at(commit: str, target: Path) -> Path:
    """The recorder package as it was at ``commit``, extracted (once) into ``target``.

    ``target`` is returned; put it first on ``PYTHONPATH`` to run that recorder. Raises
    :class:`~bench.errors.Unavailable` when git cannot produce it.
    """
    if (target / "recorder").is_dir():
        return target
    archive = subprocess.run(["git", "-C", str(REPO), "archive", commit, "recorder"],
                             capture_output=True, timeout=120, check=False)
    if archive.returncode != 0:
        raise Unavailable(f"git archive {commit} failed: "
                          f"{archive.stderr.decode(errors='replace').strip()}")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True,
                   timeout=120)
    return target

