"""From a code object to the names scope selectors match, and the chain's decision for it.

0.3.0's naming, with our module names:

- ``pkg``: the module's dotted name: the frame's ``__name__`` (``--module-name-from-globals``, the
  default; ``__main__`` for the script) or, with ``--no-...``, the name from the file's place on
  ``sys.path`` (:mod:`recorder.filters.modnames`); a name that is not a dotted identifier is none;
- ``obj``: ``module.qualname`` (``app.service.Client.send``), or the bare qualname without a
  module;
- ``file``: the path relative to the project root of a user filter that contains the file (the
  shortest such path, as 0.3.0 picks it), else the absolute path without its leading ``/``,
  always with ``/`` separators.

The recorder's own packages and code without a real source file (``<string>``, frozen modules)
are never traced: no filter can turn that on (tracing the tracer would recurse). Decisions are made
once per code object (the backends cache them with the rest of the code's bookkeeping); the
per-file part once per file name.
"""

from __future__ import annotations

import os
import re
from types import CodeType, FrameType

from recorder.about import PACKAGE_ROOT
from recorder.filters.builtin import normalise
from recorder.filters.chain import FilterChain, ScopeContext, ScopeDecision, ValuePolicy
from recorder.filters.modnames import module_name_from_path

__all__ = ["ScopeFilter"]

#: Never traced: the recorder, and the harness shipped next to it, whose fault hooks run inside
#: the recorder's seams (tracing them would re-enter the hook). Found by path, not imported.
_TOOL_ROOTS = tuple(normalise(root).rstrip(os.sep) + os.sep for root in (
    PACKAGE_ROOT, os.path.join(os.path.dirname(PACKAGE_ROOT), "fault_injection")))
_MODULE_NAME = re.compile(r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*\Z")


class _File:
    """The per-file part of a scope context (``None`` abspath: never traced)."""

    __slots__ = ("abspath", "module", "path")

    def __init__(self, abspath: str | None, path: str | None, module: str | None) -> None:
        self.abspath, self.path, self.module = abspath, path, module


class ScopeFilter:
    """Decides, for each code object, whether it is traced and its value policy."""

    def __init__(self, chain: FilterChain, *, module_names_from_globals: bool = True) -> None:
        self.chain = chain
        self.module_names_from_globals = module_names_from_globals
        self._roots = tuple(root.rstrip("/") + "/" for root in chain.roots if root)
        self._files: dict[str, _File] = {}
        self._untraced = ScopeDecision(False, ValuePolicy("allow", (), (), chain.stats), None,
                                       filtered=False)

    def _file(self, filename: str) -> _File:
        found = self._files.get(filename)
        if found is None:
            found = self._files[filename] = self._describe(filename)
        return found

    def _describe(self, filename: str) -> _File:
        if not filename or (filename.startswith("<") and filename.endswith(">")):
            return _File(None, None, None)
        normal = normalise(filename)
        if normal.startswith(_TOOL_ROOTS):
            return _File(None, None, None)
        if not os.path.isabs(filename) and not os.path.exists(filename):
            return _File(None, None, None)
        posix = os.path.abspath(filename).replace(os.sep, "/")
        relative = None
        for root in self._roots:
            if posix.startswith(root):
                candidate = posix[len(root):]
                if relative is None or candidate.count("/") < relative.count("/"):
                    relative = candidate
        module = None if self.module_names_from_globals else module_name_from_path(filename)
        return _File(normal, relative or posix.lstrip("/"), module)

    def decide(self, code: CodeType, frame: FrameType | None = None) -> ScopeDecision:
        """The decision for ``code`` (``frame``: one of its frames, for its ``__name__``)."""
        described = self._file(code.co_filename)
        if described.abspath is None:
            return self._untraced
        module = described.module
        if self.module_names_from_globals and frame is not None:
            name = frame.f_globals.get("__name__")
            module = name if type(name) is str else None
        if module is not None and not _MODULE_NAME.match(module):
            module = None
        qualname = code.co_qualname
        obj = f"{module}.{qualname}" if module else qualname
        return self.chain.resolve(ScopeContext(module, obj, described.path, described.abspath))

    def accepts_file(self, filename: str) -> bool:
        """True when code of ``filename`` is traced by the path rules alone (no module rules)."""
        described = self._file(filename)
        if described.abspath is None:
            return False
        context = ScopeContext(described.module, None, described.path, described.abspath)
        return self.chain.resolve(context).traced
