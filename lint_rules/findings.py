"""The one record the analysis produces: a rule violation at a place in a file.

Kept deliberately tiny and ordered so that the CLI, the cache and the report formats can sort,
compare and serialise findings.  A finding the fixer can rewrite also carries a :class:`Fix`:
the facts the analysis decided (which constructor, which logger, which imports), so that the
libcst side only applies them and decides nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fix:
    """How to rewrite one finding's node; made by :mod:`lint_rules.fixfacts`, applied by
    :mod:`lint_rules.fixers`.  Positions are libcst's: 1-based lines, *character* columns."""

    # The libcst node to rewrite: "Call" (print), "Assert" or "Raise", starting/ending here.
    node: str
    start: tuple[int, int]
    end: tuple[int, int]
    # print: the logger method ("info"/"warning"); raise: the façade constructor ("usage"...).
    call: str = ""
    # print: the "%s %s" format argument put first (None: the one argument is the message).
    fmt: str | None = None
    # The literal message to add: an assert without one, ``raise X`` without arguments, print().
    message: str | None = None
    # The message argument is not certainly a str: wrap it in ``str()``.
    wrap: bool = False
    # ``(module, name)`` imports the rewrite needs (name None: ``import module``).
    imports: tuple[tuple[str, str | None], ...] = ()
    # print: the logger to call, and the module-level line that creates it if it must be added.
    logger: str = ""
    logger_line: str | None = None


@dataclass(frozen=True, order=True)
class Finding:
    """One violation.  ``line`` is 1-based, ``col`` is 0-based like :mod:`ast` (flake8 adds 1)."""

    path: str
    line: int
    col: int
    code: str
    message: str
    fix: Fix | None = field(default=None, compare=False, repr=False)
    # The offending statement's fingerprint, when a baseline or the gitlab format asks for it.
    fingerprint: str | None = field(default=None, compare=False, repr=False)

    def flake8_text(self) -> str:
        """The message as flake8 shows it: ``REC001 message``."""
        return f"{self.code} {self.message}"

    def to_dict(self) -> dict[str, str | int]:
        data: dict[str, str | int] = {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
        }
        if self.fingerprint is not None:
            data["fingerprint"] = self.fingerprint
        return data

    @classmethod
    def from_dict(cls, data: dict[str, str | int]) -> Finding:
        fingerprint = data.get("fingerprint")
        return cls(
            path=str(data["path"]),
            line=int(data["line"]),
            col=int(data["col"]),
            code=str(data["code"]),
            message=str(data["message"]),
            fingerprint=None if fingerprint is None else str(fingerprint),
        )
