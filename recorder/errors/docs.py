"""Render ``docs/error-codes.md`` from the catalog (``make docs``; a test keeps them equal)."""

from __future__ import annotations

import sys

from recorder.errors.codes import CATALOG
from recorder.errors.kinds import ErrorKind

HEADER = """\
# Error codes

Generated from `recorder/errors/codes.py` by `make docs`; do not edit by hand.

Every error the recorder reports has a stable code (`ERR_*`), a kind and the kind's exit code.
Codes are added, never renamed or removed, within a minor version line.

| kind | exit code | meaning |
| --- | --- | --- |
"""


def render() -> str:
    """The whole markdown page."""
    lines = [HEADER.rstrip("\n")]
    lines += [f"| {k.value} | {int(k.exit_code)} | {_KIND_TEXT[k]} |" for k in ErrorKind]
    lines += ["", "| code | kind | exit | meaning | remedy |", "| --- | --- | --- | --- | --- |"]
    for code, entry in CATALOG.items():
        lines.append(
            f"| `{code.value}` | {entry.kind.value} | {int(entry.kind.exit_code)} "
            f"| {entry.meaning} | {entry.remedy} |"
        )
    return "\n".join(lines) + "\n"


_KIND_TEXT = {
    ErrorKind.USAGE: "the caller made a mistake (flags, values, conflicting sessions)",
    ErrorKind.ENVIRONMENT: "the machine let us down (I/O, permissions, resources)",
    ErrorKind.TARGET: "the traced program raised or was interrupted",
    ErrorKind.INTERNAL: "a bug in the recorder",
}

if __name__ == "__main__":
    sys.stdout.write(render())
