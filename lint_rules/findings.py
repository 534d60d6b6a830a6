"""The one record both engines produce: a rule violation at a place in a file.

Kept deliberately tiny and ordered so that engines, the CLI, the cache and the report formats can
sort, compare and serialise findings without knowing which engine made them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """One violation.  ``line`` is 1-based, ``col`` is 0-based like :mod:`ast` (flake8 adds 1)."""

    path: str
    line: int
    col: int
    code: str
    message: str

    def flake8_text(self) -> str:
        """The message as flake8 shows it: ``REC001 message``."""
        return f"{self.code} {self.message}"

    def to_dict(self) -> dict[str, str | int]:
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "code": self.code,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str | int]) -> Finding:
        return cls(
            path=str(data["path"]),
            line=int(data["line"]),
            col=int(data["col"]),
            code=str(data["code"]),
            message=str(data["message"]),
        )
