"""Helpers for the real-program tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def clean_env(python: str, editable: bool) -> dict[str, str]:
    """The environment of a run: no recorder variables; the editable run imports this tree."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CODETRACER_", "RECORDER_", "PYTEST_", "PYTHON"))}
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if editable:
        env["PYTHONPATH"] = str(REPO)
    env["PATH"] = f"{Path(python).parent}{os.pathsep}{env.get('PATH', '')}"
    return env
