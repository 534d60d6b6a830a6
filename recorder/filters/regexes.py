"""``regex`` selectors: Rust ``regex`` crate syntax, checked and translated to Python's ``re``.

0.3.0 compiles regex selectors with Rust's ``regex`` crate and matches them unanchored
(``is_match``, i.e. ``re.search``). That crate has no backtracking features, so a filter that
0.3.0 rejects must be rejected here too instead of silently meaning something else: look-around
(``(?=``, ``(?!``, ``(?<=``, ``(?<!``), backreferences (``\\1``, ``(?P=name)``, ``\\g<...>``),
atomic groups and possessive quantifiers (``(?>``, ``a*+``), conditionals (``(?(1)a|b)``) and
``\\Z`` (Rust spells it ``\\z``). A few spellings that Rust accepts and ``re`` does not are
translated: ``\\z`` to ``\\Z``, ``(?<name>`` to ``(?P<name>``; the remaining Rust-only syntax
(``\\p{..}`` classes, ``[[:alpha:]]``, inline flags after the start) is a usage error
(``ERR_TRACE_FILTER_BAD_REGEX``) saying so: a filter meaning different things in the two
recorders would be worse.
"""

from __future__ import annotations

import re

from recorder.errors import ErrorCode, UsageError, usage

__all__ = ["compile_regex", "translate"]


def _bad(message: str) -> UsageError:
    return usage(ErrorCode.TRACE_FILTER_BAD_REGEX, message)


_REJECTED_GROUPS = (
    ("(?=", "look-ahead"), ("(?!", "negative look-ahead"), ("(?<=", "look-behind"),
    ("(?<!", "negative look-behind"), ("(?>", "an atomic group"), ("(?(", "a conditional"),
    ("(?P=", "a named backreference"), ("(?#", "a comment group"),
)


def _escape(pattern: str, i: int, in_class: bool) -> tuple[str, int]:
    """The translation of the escape at ``i`` (a backslash) and the index after it."""
    if i + 1 >= len(pattern):
        raise _bad("the pattern ends with a lone '\\'")
    char = pattern[i + 1]
    if char.isdigit() and char != "0" and not in_class:
        raise _bad(f"backreference '\\{char}' is not supported by Rust's regex")
    if char == "g":
        raise _bad("'\\g' (a backreference) is not supported by Rust's regex")
    if char == "Z":
        raise _bad("'\\Z' is not Rust regex syntax: write '\\z' for the end of the text")
    if char == "z":
        return r"\Z", i + 2
    if char in "pP":
        raise _bad(f"Unicode class '\\{char}' is Rust-only syntax this recorder does not "
                         "translate: use an explicit class")
    return pattern[i:i + 2], i + 2


def _group(pattern: str, i: int) -> tuple[str, int]:
    """The translation of the ``(`` at ``i`` and the index after what was consumed."""
    for prefix, what in _REJECTED_GROUPS:
        if pattern.startswith(prefix, i):
            raise _bad(f"{what} ({prefix}...) is not supported by Rust's regex")
    if pattern.startswith("(?<", i):
        return "(?P<", i + 3
    return "(", i + 1


def translate(pattern: str) -> str:
    """``pattern`` (Rust syntax) as ``re`` source; raises a usage error where they differ."""
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        char = pattern[i]
        if char == "\\":
            text, i = _escape(pattern, i, in_class)
        elif in_class:
            if pattern.startswith("[:", i):
                raise _bad("POSIX classes like '[[:alpha:]]' are Rust-only syntax this "
                                 "recorder does not translate: use an explicit class")
            text, i = char, i + 1
            in_class = char != "]"
        elif char == "[":
            # A ']' right after '[' or '[^' is literal, as in both engines.
            j = i + 1 + (pattern.startswith("^", i + 1))
            text = pattern[i:j]
            if pattern.startswith("]", j):
                text += "]"
                j += 1
            in_class, i = True, j
        elif char == "(":
            text, i = _group(pattern, i)
        elif char in "*+?}" and i + 1 < n and pattern[i + 1] == "+":
            raise _bad("possessive quantifiers ('*+', '++', '?+') are not supported by "
                             "Rust's regex")
        else:
            text, i = char, i + 1
        out.append(text)
    return "".join(out)


def compile_regex(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled for an unanchored search, or a usage error."""
    source = translate(pattern)
    try:
        return re.compile(source)
    except re.error as exc:
        raise _bad(f"not a valid regular expression: {exc}") from None
    except (OverflowError, RecursionError, MemoryError):
        raise _bad("the regular expression is too large to compile") from None
