"""Module names from file paths (``--no-module-name-from-globals``, the existing recorder's legacy).

With the default, a module frame is named from its globals' ``__name__`` (``<__main__>`` for the
script, ``<pkg.mod>`` for an imported module). With ``--no-module-name-from-globals`` it is named
from where its file sits on ``sys.path``: the dotted path relative to the deepest ``sys.path``
entry that contains the file (``pkg/mod.py`` -> ``pkg.mod``, ``pkg/__init__.py`` -> ``pkg``), or
the file's stem when no entry contains it. So the script itself is named after its file, not
``__main__``. ``sys.path`` is read when the name is first needed (once per code object).
"""

from __future__ import annotations

import os
import sys

__all__ = ["module_name_from_path"]


def module_name_from_path(filename: str) -> str:
    """The dotted module name of ``filename`` relative to ``sys.path`` (see the docstring)."""
    path = os.path.realpath(os.path.abspath(filename))
    stem, _ = os.path.splitext(path)
    best = ""
    for entry in sys.path:
        if not isinstance(entry, str):
            continue
        root = os.path.realpath(os.path.abspath(entry or os.curdir)).rstrip(os.sep) + os.sep
        if stem.startswith(root) and len(root) > len(best):
            best = root
    relative = stem[len(best):] if best else os.path.basename(stem)
    parts = [part for part in relative.split(os.sep) if part]
    if len(parts) > 1 and parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts) or os.path.basename(stem)
