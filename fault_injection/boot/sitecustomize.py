"""Loads the fault seams into this process, then runs the ``sitecustomize`` this one shadows.

Python's ``site`` imports ``sitecustomize`` at start-up from the first directory of ``sys.path``
that has one; :mod:`fault_injection.bootenv` puts this file's directory first on ``PYTHONPATH``.
Only the first Python process of the command is instrumented: the activation variable is
removed, and ``PYTHONPATH`` restored, before the program runs, so child processes (and the
program's view of its environment) are as without the bootstrap. This directory is also taken
off ``sys.path`` again. ``-I``, ``-E`` and ``-S`` keep this file from loading; the parent refuses
them. Standard library only.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

ENV_ACTIVE = "FAULT_SEAMS_ACTIVE"
ENV_PYTHONPATH = "FAULT_SEAMS_PYTHONPATH"  # the PYTHONPATH to give back (unset: there was none)
_HERE = os.path.dirname(os.path.abspath(__file__))
_PRIVATE = "_fault_injection_boot_"


def _load(name: str) -> object:
    spec = importlib.util.spec_from_file_location(_PRIVATE + name,
                                                  os.path.join(_HERE, name + ".py"))
    if spec is None or spec.loader is None:
        return None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _activate() -> None:
    if os.environ.pop(ENV_ACTIVE, None) != "1":
        return
    saved = os.environ.pop(ENV_PYTHONPATH, None)
    if saved is None:
        os.environ.pop("PYTHONPATH", None)
    else:
        os.environ["PYTHONPATH"] = saved
    core: object = _load("fs_seams")
    parts = [_load("open_seam"), _load("os_seams")]
    seams = core.from_environment(os.environ)  # type: ignore[attr-defined]
    for name in [key for key in os.environ if key.startswith("FAULT_SEAMS_")]:
        del os.environ[name]
    core.install(seams, parts)  # type: ignore[attr-defined]


def _chain() -> None:
    """Run the ``sitecustomize`` that this one shadows, as ``site`` would have."""
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", sys.path)
    if spec is None or spec.loader is None:
        return  # ours stays in sys.modules: removing it mid-import would break ``site``
    module = importlib.util.module_from_spec(spec)
    sys.modules["sitecustomize"] = module
    spec.loader.exec_module(module)


try:
    _chain()
finally:
    _activate()
