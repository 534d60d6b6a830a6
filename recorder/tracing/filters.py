"""Which code objects are traced.

By default the recorder traces the program's own code only: not the standard library, not installed
packages (site-packages, dist-packages, the user site), not the recorder itself (nor the
``fault_injection`` harness installed next to it, whose hooks run inside the recorder), and not code
without a real source file (frozen modules, ``<string>``, ``<stdin>``: any filename in ``<...>``).

``include``/``exclude`` globs (``fnmatch`` syntax, matched against the absolute, normalised source
path) override the defaults: a path matching an ``exclude`` glob is never traced; otherwise a path
matching an ``include`` glob is traced even inside the standard library or site-packages. The
recorder's own packages are never traced, whatever the globs say (tracing the tracer would recurse).

Decisions are cached per file name; backends cache them per code object on top of that.
"""

from __future__ import annotations

import contextlib
import os
import site
import sys
import sysconfig
from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase
from types import CodeType

from recorder.about import PACKAGE_ROOT

__all__ = ["CodeFilter", "default_excluded_roots"]

_RECORDER_ROOT = PACKAGE_ROOT
#: Never traced: the recorder, and the harness shipped next to it, whose fault hooks run inside
#: the recorder's seams (tracing them would re-enter the hook). Found by path, not imported.
_TOOL_ROOTS = (
    _RECORDER_ROOT,
    os.path.join(os.path.dirname(_RECORDER_ROOT), "fault_injection"),
)


def _norm(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


def default_excluded_roots() -> tuple[str, ...]:
    """Directories whose code is not traced by default (each ends with a separator)."""
    roots: set[str] = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(path)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        roots.add(sysconfig.get_path("stdlib", vars={"base": prefix, "installed_base": prefix}))
    # Some embedded/virtualenv site modules lack getsitepackages.
    with contextlib.suppress(AttributeError):
        roots.update(site.getsitepackages())
    user_site = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    if isinstance(user_site, str):
        roots.add(user_site)
    return tuple(sorted({_norm(root).rstrip(os.sep) + os.sep for root in roots if root}))


class CodeFilter:
    """Decides whether a code object is traced (see the module docstring for the rules)."""

    def __init__(
        self,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        *,
        excluded_roots: Iterable[str] | None = None,
    ) -> None:
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        roots = default_excluded_roots() if excluded_roots is None else tuple(excluded_roots)
        self._roots = tuple(_norm(r).rstrip(os.sep) + os.sep for r in roots)
        self._tool_roots = tuple(_norm(root).rstrip(os.sep) + os.sep for root in _TOOL_ROOTS)
        self._cache: dict[str, bool] = {}

    def accepts(self, code: CodeType) -> bool:
        """True when frames of ``code`` are recorded."""
        return self.accepts_file(code.co_filename)

    def accepts_file(self, filename: str) -> bool:
        decision = self._cache.get(filename)
        if decision is None:
            decision = self._cache[filename] = self._decide(filename)
        return decision

    def _decide(self, filename: str) -> bool:
        if not filename or (filename.startswith("<") and filename.endswith(">")):
            return False
        path = _norm(filename)
        if path.startswith(self._tool_roots):
            return False
        if any(fnmatchcase(path, pattern) for pattern in self.exclude):
            return False
        if any(fnmatchcase(path, pattern) for pattern in self.include):
            return True
        if not os.path.isabs(filename) and not os.path.exists(filename):
            return False
        return not path.startswith(self._roots)
