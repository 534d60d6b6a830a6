"""Reading ``trace.json`` one event at a time: checking a trace of gigabytes takes little memory.

The writer's layout (:mod:`recorder.trace_writer`) is ``[`` on the first line, then one event per
line, each but the last followed by ``,``, then ``]``. :class:`TraceEvents` parses a file in that
layout line by line. At the first line that does not fit (another recorder's layout, a file
re-indented by a tool, or a torn one) it stops and says where; the caller then parses the whole
file as JSON, which either gives the events (a valid file in another layout) or the JSON error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["TraceEvents"]


class TraceEvents:
    """The events of ``path`` in the writer's layout, parsed one line at a time.

    Iterate once. Afterwards ``broken_at`` is the number of the first line that does not fit the
    layout (0: the whole file fitted, and every event was yielded).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.broken_at = 0

    def __iter__(self) -> Iterator[Any]:
        number = 1
        try:
            # Only "\n" ends a line: the writer's separators (a raw U+2028 may sit in a string).
            with self.path.open(encoding="utf-8", newline="\n") as lines:
                if lines.readline() != "[\n":
                    self.broken_at = 1
                    return
                ended = False
                comma = True  # the previous event line ended with "," (another must follow)
                for number, line in enumerate(lines, start=2):
                    if ended:
                        if line.strip():  # anything but blank lines after "]"
                            self.broken_at = number
                            return
                        continue
                    text = line.rstrip("\n")
                    if text == "]":
                        ended = True
                        if comma and number > 2:  # a trailing comma before "]"
                            self.broken_at = number
                            return
                        continue
                    if not comma:  # two events without a comma between them
                        self.broken_at = number
                        return
                    comma = text.endswith(",")
                    try:
                        event = json.loads(text[:-1] if comma else text)
                    except ValueError:
                        self.broken_at = number
                        return
                    yield event
                if not ended:
                    self.broken_at = number + 1
        except (OSError, UnicodeDecodeError):
            self.broken_at = self.broken_at or number
