"""Fixtures for recording real programs: a pinned sdist and a wheel install, once per session.

Everything comes from PyPI through pip, pinned, into ``.cache/realprograms`` at the repository
root (reused by later sessions): the toolz and pebble sdists whose test suites are run with
``-m pytest``, and
the wheels of the fresh virtual environment that installs this project from a wheel (``pip
install DIR``, not editable) with pytest and the ``test`` extra's tools.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / ".cache" / "realprograms"
TOOLZ = "toolz==1.0.0"
PEBBLE = "pebble==5.2.3"  # pure Python; its thread pools run its own code in worker threads
TOOLS = ["pygments==2.19.2", "docutils==0.21.2"]  # the `test` extra's pins (pyproject.toml)
PIP_QUIET = ["--quiet", "--disable-pip-version-check"]


def _pip(python: str, *args: str) -> None:
    subprocess.run([python, "-m", "pip", *args, *PIP_QUIET], check=True, capture_output=True,
                   timeout=600)


def _sdist_tree(pin: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The unpacked sdist of ``pin`` (``name==version``, its own tests included), fresh."""
    name, version = pin.split("==")
    sdists = CACHE / "sdists"
    archive_path = sdists / f"{name}-{version}.tar.gz"
    if not archive_path.exists():
        _pip(sys.executable, "download", "--no-binary", ":all:", "--no-deps", "-d", str(sdists),
             pin)
    target = tmp_path_factory.mktemp("sdist")
    with tarfile.open(archive_path) as archive:
        archive.extractall(target, filter="data")
    return target / f"{name}-{version}"


@pytest.fixture(scope="session")
def toolz_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """toolz 1.0.0's unpacked sdist (its own tests included), fresh for this session."""
    return _sdist_tree(TOOLZ, tmp_path_factory)


@pytest.fixture(scope="session")
def pebble_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pebble 5.2.3's unpacked sdist (its own tests included), fresh for this session."""
    return _sdist_tree(PEBBLE, tmp_path_factory)


@pytest.fixture(scope="session")
def wheel_python(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The interpreter of a fresh venv with this project installed from a wheel (not editable)."""
    import pytest as running_pytest

    root = tmp_path_factory.mktemp("wheelvenv")
    source = root / "src"  # a copy: building in the work tree would leave build/ behind
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name if source.exists() else _mkdir(source) / name)
    for package in ("recorder", "lint_rules", "fault_injection"):
        shutil.copytree(REPO / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    venv = root / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = str(venv / "bin" / "python")
    wheels = CACHE / f"wheels-py{sys.version_info[0]}{sys.version_info[1]}"
    requirements = [f"pytest=={running_pytest.__version__}", *TOOLS]
    if not wheels.exists():
        _pip(python, "download", "-d", str(wheels), *requirements)
    _pip(python, "install", "--find-links", str(wheels), str(source), *requirements)
    yield python


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
