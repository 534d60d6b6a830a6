"""Error kinds and the process exit codes they map to (ADR 0004, principle 2).

The four kinds partition every failure the recorder can report. Each kind has one fixed exit
code, so a shell script can tell "you called me wrong" (2) from "the machine let us down" (10),
"your program failed" (20) and "we have a bug" (70) without parsing any text.
"""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit statuses of the recorder's command line."""

    OK = 0
    USAGE = 2
    ENVIRONMENT = 10
    TARGET = 20
    INTERNAL = 70


class ErrorKind(enum.Enum):
    """The classification of a failure. The value is the name used in JSON trailers."""

    USAGE = "Usage"
    ENVIRONMENT = "Environment"
    TARGET = "Target"
    INTERNAL = "Internal"

    @property
    def exit_code(self) -> ExitCode:
        """The fixed process exit code for this kind."""
        return _EXIT_CODES[self]


_EXIT_CODES: dict[ErrorKind, ExitCode] = {
    ErrorKind.USAGE: ExitCode.USAGE,
    ErrorKind.ENVIRONMENT: ExitCode.ENVIRONMENT,
    ErrorKind.TARGET: ExitCode.TARGET,
    ErrorKind.INTERNAL: ExitCode.INTERNAL,
}
