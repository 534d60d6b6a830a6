"""Line numbers for errors in filter files (``tomllib`` reports none for TOML that parses).

A filter file that is valid TOML but not a valid filter still deserves ``file:line`` in its error.
:class:`Locator` finds the line from the source text: the Nth ``[[scope.rules]]`` header, the Mth
``[[scope.rules.value_patterns]]`` after it, then the ``key =`` line inside that table. A table
written inline (``rules = [{...}]``) has no header: the first line holding the offending value
is used, else the enclosing section, else line 1. Positions are for humans, never parsed back.
"""

from __future__ import annotations

import re

__all__ = ["Locator", "toml_error_line"]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def toml_error_line(exc: Exception) -> int | None:
    """The line a ``tomllib.TOMLDecodeError`` points at (an attribute from 3.14, else its text)."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int):
        return line
    found = _TOML_POSITION.search(str(exc))
    return int(found.group(1)) if found else None


def _table_name(raw: str) -> str:
    return ".".join(part.strip().strip("\"'") for part in raw.split("."))


class Locator:
    """Finds the 1-based line of a key path (``("scope", "rules", 2, "selector")``) in a file."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, str]] = []
        for index, line in enumerate(self.lines):
            found = _HEADER.match(line)
            if found:
                self.headers.append((index, _table_name(found.group(2))))

    def _nth_header(self, name: str, nth: int, start: int, stop: int) -> int | None:
        seen = 0
        for index, header in self.headers:
            if start <= index < stop and header == name:
                if seen == nth:
                    return index
                seen += 1
        return None

    def _end_of(self, index: int, name: str) -> int:
        """Where the table headed at ``index`` ends: the next header not inside ``name``."""
        for other, header in self.headers:
            if other > index and not header.startswith(name + "."):
                return other
        return len(self.lines)

    def _first_header_after(self, index: int) -> int:
        return next((other for other, _ in self.headers if other >= index), len(self.lines))

    def _key_line(self, key: str, start: int) -> int | None:
        pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
        for index in range(start, self._first_header_after(start)):
            if pattern.match(self.lines[index]):
                return index
        return None

    def _value_line(self, value: object) -> int | None:
        if not isinstance(value, str) or not value:
            return None
        return next((i for i, line in enumerate(self.lines) if value in line), None)

    def line(self, path: tuple[str | int, ...], value: object = None) -> int:
        """The 1-based line of ``path`` (tables and array indexes, then maybe a key)."""
        start, stop, table = 0, len(self.lines), ""
        found: int | None = None
        i = 0
        while i < len(path):
            part = path[i]
            nth = path[i + 1] if i + 1 < len(path) else None
            if not isinstance(part, str):
                i += 1
                continue
            name = f"{table}.{part}" if table else part
            index = self._nth_header(name, nth if isinstance(nth, int) else 0, start, stop)
            if index is None:
                key = self._key_line(part, start) if nth is None else None
                found = key if key is not None else (self._value_line(value) or found)
                break
            table, found, start = name, index, index + 1
            stop = self._end_of(index, name)
            i += 2 if isinstance(nth, int) else 1
        return 1 if found is None else found + 1
