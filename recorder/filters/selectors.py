"""Selectors: ``domain:match:pattern`` strings parsed into a domain and a compiled matcher.

Scope domains (``pkg``, ``file``, ``obj``) pick code objects; value domains (``local``,
``global``, ``arg``, ``ret``, ``attr``) pick names inside a scope. The match type is ``glob`` (the
default, :mod:`recorder.filters.globs`), ``regex`` (an unanchored search,
:mod:`recorder.filters.regexes`) or ``literal`` (equality). As in 0.3.0 the string is split at
the first two colons: ``local:x:y`` is a local named by the ``x`` match type, so a pattern with a
colon must spell its match type (``obj:literal:a:b``).

Parsing raises a usage error with the code the loader reports (it adds the file and line) and a
message that says what is wrong and how to write it instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from recorder.errors import ErrorCode, usage
from recorder.filters.globs import compile_glob
from recorder.filters.regexes import compile_regex
from recorder.structs import field, struct

__all__ = [
    "MATCH_TYPES",
    "SCOPE_DOMAINS",
    "VALUE_DOMAINS",
    "Selector",
        "parse_selector",
]

SCOPE_DOMAINS = ("pkg", "file", "obj")
VALUE_DOMAINS = ("local", "global", "arg", "ret", "attr")
MATCH_TYPES = ("glob", "regex", "literal")


@struct(frozen=True)
class Selector:
    """One parsed selector; :attr:`matches` is the compiled test of a candidate name."""

    raw: str
    domain: str
    match: str
    pattern: str
    matches: Callable[[str], bool] = field(compare=False, repr=False)


def _matcher(match: str, pattern: str) -> Callable[[str], bool]:
    if match == "literal":
        return pattern.__eq__
    if match == "glob":
        compiled: re.Pattern[str] = compile_glob(pattern)
        match_whole = compiled.match
        return lambda name: match_whole(name) is not None
    compiled = compile_regex(pattern)
    search = compiled.search
    return lambda name: search(name) is not None


def split_selector(raw: str, domains: tuple[str, ...]) -> tuple[str, str, str]:
    """``(domain, match, pattern)`` of ``raw`` without compiling it (see the module docstring)."""
    where = "a scope rule" if domains == SCOPE_DOMAINS else "a value pattern"
    if not raw:
        raise usage(ErrorCode.TRACE_FILTER_BAD_SELECTOR,
                    "the selector is empty: write DOMAIN:PATTERN, e.g. 'pkg:my_app.*'")
    parts = raw.split(":", 2)
    if len(parts) == 1:
        raise usage(ErrorCode.TRACE_FILTER_BAD_SELECTOR,
                    f"selector {raw!r} has no pattern: write DOMAIN:PATTERN, e.g. "
                    f"'{domains[0]}:{raw}'")
    domain = parts[0]
    if domain not in SCOPE_DOMAINS + VALUE_DOMAINS:
        raise usage(ErrorCode.TRACE_FILTER_UNKNOWN_DOMAIN,
                    f"unknown selector domain {domain!r} in {raw!r}: {where} takes "
                    f"{', '.join(domains)}")
    if domain not in domains:
        raise usage(ErrorCode.TRACE_FILTER_UNKNOWN_DOMAIN,
                    f"domain {domain!r} cannot be used in {where} ({raw!r}): it takes "
                    f"{', '.join(domains)}")
    if len(parts) == 3:
        match, pattern = parts[1], parts[2]
        if match not in MATCH_TYPES:
            raise usage(ErrorCode.TRACE_FILTER_BAD_SELECTOR,
                        f"unknown match type {match!r} in {raw!r}: use glob, regex or "
                        f"literal (a pattern with ':' must name its match type)")
    else:
        match, pattern = "glob", parts[1]
    if not pattern:
        raise usage(ErrorCode.TRACE_FILTER_BAD_SELECTOR,
                    f"selector {raw!r} has an empty pattern")
    return domain, match, pattern


def parse_selector(raw: str, domains: tuple[str, ...], pattern: str | None = None) -> Selector:
    """``raw`` parsed and compiled; ``pattern`` replaces its pattern (normalised file paths)."""
    domain, match, own = split_selector(raw, domains)
    text = own if pattern is None else pattern
    return Selector(raw, domain, match, text, _matcher(match, text))
