"""The benchmark's own exceptions: one base, so callers can tell ours from everything else.

A :class:`Unavailable` means a tool or environment could not be set up or run; the runner turns
it into an ``unavailable: <reason>`` cell instead of stopping the whole benchmark.
"""

from __future__ import annotations


class BenchError(Exception):
    """Base of every error the benchmark raises on purpose."""


class UsageError(BenchError):
    """Bad command-line arguments."""


class Unavailable(BenchError):
    """A tool, interpreter or environment cannot be used in this run; the message says why."""
