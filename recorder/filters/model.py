"""The parsed form of filter files: what the loader produces and the chain compiles.

Actions are small strings (``"trace"``/``"skip"``, ``"allow"``/``"redact"``/``"drop"``) rather
than enums: they come from user text, are compared on the hot path only after compilation, and
read well in test tables. ``None`` in an optional field means "inherit" (the rule does not set it).
"""

from __future__ import annotations

from recorder.filters.selectors import Selector
from recorder.structs import field, struct

__all__ = [
    "BUILTIN_PATH",
    "EXEC_ACTIONS",
    "VALUE_ACTIONS",
    "FilterFile",
    "IoSettings",
    "Rule",
    "ValuePattern",
]

EXEC_ACTIONS = ("trace", "skip")
VALUE_ACTIONS = ("allow", "redact", "drop")
#: The placeholder path 0.3.0 records for its built-in filter (ours is recorded the same way).
BUILTIN_PATH = "<inline:builtin-default>"


@struct(frozen=True)
class ValuePattern:
    """``[[scope.rules.value_patterns]]``: names of one value domain and what happens to them."""

    selector: Selector
    action: str
    reason: str | None = None
    #: Index of the filter file in the chain (0 is the built-in filter).
    source: int = 0
    line: int = 0


@struct(frozen=True)
class Rule:
    """``[[scope.rules]]``: a scope selector and what it sets for the code objects it matches."""

    selector: Selector
    exec: str | None = None
    value_default: str | None = None
    reason: str | None = None
    patterns: tuple[ValuePattern, ...] = ()
    source: int = 0
    line: int = 0


@struct(frozen=True)
class IoSettings:
    """``[io]``: whether the program's streams are captured, and which."""

    capture: bool = False
    streams: tuple[str, ...] = ()


@struct(frozen=True)
class FilterFile:
    """One loaded filter file (or the built-in filter, whose ``path`` is :data:`BUILTIN_PATH`)."""

    path: str
    name: str
    version: int
    sha256: str
    project_root: str
    default_exec: str | None
    default_value_action: str | None
    rules: tuple[Rule, ...] = ()
    io: IoSettings | None = None
    description: str | None = None
    labels: tuple[str, ...] = field(default=())

    def summary(self) -> dict[str, object]:
        """This file's entry in the metadata's ``trace_filter.filters`` (0.3.0's keys)."""
        return {"name": self.name, "version": self.version, "sha256": self.sha256,
                "path": self.path}
