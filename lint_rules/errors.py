"""The exceptions ``lint_rules`` raises: one small base so callers catch one thing.

The CLI turns :class:`LintUsageError` into exit status 2 with a one-line message; nothing else in
the package is expected to escape to the user.
"""

from __future__ import annotations


class LintError(Exception):
    """Base of every exception this package raises on purpose."""


class LintUsageError(LintError):
    """Bad command line, bad configuration or a missing optional component (exit status 2)."""


class ConfigError(LintUsageError):
    """``[tool.lint_rules]`` or a flake8 option has a value of the wrong shape."""
