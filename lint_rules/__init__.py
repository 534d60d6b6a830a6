"""Lint rules that enforce an error-handling policy (ADR 0004): REC001-REC007.

One catalog (:mod:`lint_rules.catalog`), two engines (pure ``ast`` for speed: the flake8 plugin
and ``python -m lint_rules check``; libcst for ``fix`` and ``check --engine cst``).  The package
imports nothing from the project it checks: where the façade lives comes from configuration.
"""

from __future__ import annotations

from lint_rules.catalog import VERSION as __version__

__all__ = ["__version__"]
