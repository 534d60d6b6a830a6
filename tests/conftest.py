"""Shared fixtures: the backends to run on, and running the recorder's command line."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

BACKENDS = ["settrace", "monitoring"] if sys.version_info >= (3, 12) else ["settrace"]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each tracing backend this interpreter has (the suite runs once per backend)."""
    return str(request.param)


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without any CODETRACER_*/RECORDER_* settings of the caller."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CODETRACER_", "RECORDER_"))}
    env.update(extra)
    return env


@pytest.fixture
def make_env() -> Callable[..., dict[str, str]]:
    """``make_env(**extra)``: a clean environment (see :func:`clean_env`) plus ``extra``."""
    return clean_env


RunRecorder = Callable[..., subprocess.CompletedProcess[bytes]]


@pytest.fixture
def run_recorder(tmp_path: Path) -> RunRecorder:
    """Run ``python -m recorder ARGS`` in ``tmp_path``; returns the completed process."""

    def run(args: Sequence[str], *, env: dict[str, str] | None = None,
            prelude: str | None = None, timeout: float = 120) -> subprocess.CompletedProcess[bytes]:
        if prelude is None:
            command = [sys.executable, "-m", "recorder", *args]
        else:
            # Run the CLI in-process after `prelude` (e.g. installing a seams hook).
            code = textwrap.dedent(prelude) + (
                "\nimport sys\nfrom recorder.cli import console_main\n"
                "sys.argv = ['recorder', *sys.argv[1:]]\nsys.exit(console_main())\n")
            command = [sys.executable, "-c", code, *args]
        return subprocess.run(command, cwd=tmp_path, env=env or clean_env(),
                              capture_output=True, timeout=timeout)

    return run


@pytest.fixture
def script(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a script into ``tmp_path``; returns its path."""

    def write(source: str, name: str = "prog.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write


@pytest.fixture
def as_nobody() -> list[str]:
    """The command prefix that runs this interpreter as ``nobody`` (real EACCES for root).

    Skips with the reason when that is impossible: not root, no setpriv, or an interpreter that
    ``nobody`` cannot run (pyenv's shared libpython under a private /root, for instance).
    """
    import shutil

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("dropping privileges needs root and setpriv")
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import recorder"],
                           capture_output=True, timeout=60)
    if probe.returncode != 0:
        pytest.skip(f"nobody cannot run {sys.executable}: {probe.stderr.decode().strip()[:200]}")
    return prefix
