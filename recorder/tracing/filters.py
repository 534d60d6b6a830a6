"""Which code objects are traced, and how their values are filtered: the trace filter chain.

This is the tracing side of :mod:`recorder.filters`, the one mechanism that decides what is
recorded. The chain is our built-in filter (the standard library and installed packages skipped,
``--include``/``--exclude`` globs, secret-looking names redacted) followed by the user's filter
files in loading order. The recorder's own packages and code without a real source file are never
traced, whatever the filters say (tracing the tracer would recurse).

``include``/``exclude`` globs (``fnmatch`` syntax, matched against the absolute, normalised source
path) keep their meaning: a path matching an ``exclude`` glob is not traced; otherwise a path
matching an ``include`` glob is traced even inside the standard library or site-packages. User
filter files come after them and may override both.

Decisions are made once per code object (the backends cache them with the rest of the code's
bookkeeping); the part that depends on the file only, once per file name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from types import CodeType, FrameType

from recorder.filters import FilterChain, FilterFile, ScopeDecision, ScopeFilter, builtin_filter
from recorder.filters.builtin import default_excluded_roots

__all__ = ["CodeFilter", "default_excluded_roots"]


class CodeFilter:
    """The trace filter chain as the backends use it (see the module docstring)."""

    def __init__(
        self,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
        *,
        excluded_roots: Iterable[str] | None = None,
        files: Sequence[FilterFile] = (),
        redact_secrets: bool = True,
        module_names_from_globals: bool = True,
    ) -> None:
        self.include = tuple(include)
        self.exclude = tuple(exclude)
        builtin = builtin_filter(self.include, self.exclude, excluded_roots=excluded_roots,
                                 redact_secrets=redact_secrets)
        self.chain = FilterChain([builtin, *files])
        self.scopes = ScopeFilter(self.chain, module_names_from_globals=module_names_from_globals)

    @property
    def module_names_from_globals(self) -> bool:
        return self.scopes.module_names_from_globals

    @module_names_from_globals.setter
    def module_names_from_globals(self, value: bool) -> None:
        self.scopes.module_names_from_globals = value

    def decide(self, code: CodeType, frame: FrameType | None = None) -> ScopeDecision:
        """Whether ``code`` is traced and its value policy (``frame``: for ``pkg`` names)."""
        return self.scopes.decide(code, frame)

    def accepts(self, code: CodeType, frame: FrameType | None = None) -> bool:
        """True when frames of ``code`` are recorded."""
        return self.scopes.decide(code, frame).traced

    def accepts_file(self, filename: str) -> bool:
        """True when code of ``filename`` is traced, as far as the file alone decides."""
        return self.scopes.accepts_file(filename)

    def summary(self) -> dict[str, object]:
        """The metadata's ``trace_filter`` object."""
        return self.chain.summary()
