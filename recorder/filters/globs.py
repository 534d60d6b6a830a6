"""Glob patterns with the semantics of Rust's ``globset`` (as 0.3.0 uses it), compiled to ``re``.

0.3.0 compiles ``glob`` selectors with ``GlobBuilder::new(p).literal_separator(true)`` and matches
the whole candidate. ``fnmatch`` cannot stand in for it: there ``*`` crosses ``/`` and there is no
``**`` or ``{a,b}``. The rules reproduced here:

- ``*`` is any run of characters other than ``/``; ``?`` is one character other than ``/``;
- ``**`` as a whole path component crosses directories: ``**/x`` (also matches ``x``), ``a/**``
  (anything below ``a``), ``a/**/b`` (also ``a/b``); a lone ``**`` matches everything; anywhere
  else ``**`` is two ``*``;
- ``[abc]``, ``[a-z]``, ``[!x]`` / ``[^x]`` are classes (a ``]`` right after the opening bracket or
  the negation is literal; a negated class may match ``/``, as in globset);
- ``{a,b}`` is an alternation (not nested), ``\\`` escapes the next character.

Malformed patterns (an unclosed ``[`` or ``{``, nested ``{``, a reversed range, a trailing ``\\``)
raise the usage error ``ERR_TRACE_FILTER_BAD_SELECTOR``, whose message says what is wrong,
like globset's (the loader adds the file and line).
"""

from __future__ import annotations

import re

from recorder.errors import ErrorCode, UsageError, usage

__all__ = ["compile_glob", "glob_to_regex"]


def _bad(message: str) -> UsageError:
    return usage(ErrorCode.TRACE_FILTER_BAD_SELECTOR, message)


def _is_component_start(in_alt: bool, pattern: str, i: int) -> bool:
    prev = pattern[i - 1] if i > 0 else ""
    return i == 0 or prev == "/" or (in_alt and prev in "{,")


def _class(pattern: str, i: int) -> tuple[str, int]:
    """The regex class for the ``[`` at ``i`` and the index after its ``]``."""
    j = i + 1
    negated = j < len(pattern) and pattern[j] in "!^"
    if negated:
        j += 1
    items: list[str] = []
    first = True
    while True:
        if j >= len(pattern):
            raise _bad(f"unclosed character class at position {i}")
        char = pattern[j]
        if char == "]" and not first:
            break
        first = False
        if j + 2 < len(pattern) and pattern[j + 1] == "-" and pattern[j + 2] != "]":
            low, high = char, pattern[j + 2]
            if low > high:
                raise _bad(f"invalid range {low}-{high} in character class")
            items.append(f"{re.escape(low)}-{re.escape(high)}")
            j += 3
            continue
        items.append(re.escape(char))
        j += 1
    return ("[^" if negated else "[") + "".join(items) + "]", j + 1


def glob_to_regex(pattern: str) -> str:
    """The ``re`` source (anchored with ``\\Z`` by the caller) matching what ``pattern`` matches."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_alt = False
    while i < n:
        char = pattern[i]
        if char == "\\":
            if i + 1 >= n:
                raise _bad("dangling '\\' at the end of the pattern")
            out.append(re.escape(pattern[i + 1]))
            i += 2
        elif char == "*":
            if i + 1 < n and pattern[i + 1] == "*" and _is_component_start(in_alt, pattern, i):
                after = pattern[i + 2] if i + 2 < n else ""
                ends = after == "" or (in_alt and after in ",}")
                if after == "/":
                    # "**/": zero or more directories (a prefix or a middle component).
                    out.append("(?:.*/)?")
                    i += 3
                    continue
                if ends:
                    # "a/**" is anything below a; a lone "**" is anything at all.
                    if out and out[-1] == "/":
                        out[-1] = "/.*"
                    else:
                        out.append(".*")
                    i += 2
                    continue
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            text, i = _class(pattern, i)
            out.append(text)
        elif char == "{":
            if in_alt:
                raise _bad("nested alternate groups ('{' inside '{...}') are not allowed")
            in_alt = True
            out.append("(?:")
            i += 1
        elif char == "}" and in_alt:
            in_alt = False
            out.append(")")
            i += 1
        elif char == "," and in_alt:
            out.append("|")
            i += 1
        else:
            out.append("/" if char == "/" else re.escape(char))
            i += 1
    if in_alt:
        raise _bad("unclosed alternate group: a '{' without its '}'")
    return "".join(out)


def compile_glob(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled for whole-string matching (``.match`` on the result is anchored)."""
    return re.compile(r"(?s:" + glob_to_regex(pattern) + r")\Z")
