"""The harness's only writer to stdout: tables and summaries of ``python -m fault_injection``.

Kept to one module so the project's lint rule against stdout writes (REC006) can allow exactly
this file (``output-modules`` in ``[tool.lint_rules]``).
"""

from __future__ import annotations

import sys


def out(text: str) -> None:
    """Write ``text`` and a newline to stdout."""
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def err(text: str) -> None:
    """Write ``text`` and a newline to stderr."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def status(text: str | None) -> None:
    """Rewrite the live status line on stderr with ``text``; None ends it (a newline)."""
    sys.stderr.write("\n" if text is None else "\r" + text + "\x1b[K")
    sys.stderr.flush()


def is_terminal() -> bool:
    """True when stderr is a terminal (the live progress line is for people, not logs)."""
    return sys.stderr.isatty()
