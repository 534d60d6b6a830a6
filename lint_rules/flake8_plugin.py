"""The flake8 plugin ``REC``: runs the one analysis on the tree flake8 already parsed.

Registered as ``REC = "lint_rules.flake8_plugin:RecPlugin"`` (``flake8.extension``).  It never
imports libcst.  Settings come from flake8's own option system (``--rec-facade-modules`` and
friends, also readable from ``setup.cfg``/``tox.ini``/``.flake8``); an option left unset falls
back to ``[tool.lint_rules]`` in the ``pyproject.toml`` nearest to the checked file, so a
project keeps its settings in one place.
flake8 itself applies ``# noqa``, ``--select``/``--extend-select`` and ``per-file-ignores`` to
what the plugin yields, so the plugin reports everything it decides, except the findings recorded
in a baseline (``--rec-baseline`` or ``[tool.lint_rules] baseline``; see
:mod:`lint_rules.baseline`).  The plugin only filters: flake8 has no end-of-run hook in which to
count or prune stale entries (``python -m lint_rules check`` does that).
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, ClassVar

from lint_rules.baseline import Baseline, source_lines
from lint_rules.catalog import BY_CODE, VERSION
from lint_rules.checker import Anchors, decide, decide_anchored, with_fingerprints
from lint_rules.config import ConfigResolver, LintConfig, baseline_path
from lint_rules.findings import Finding
from lint_rules.noqa import suppressed

# flake8 option -> LintConfig field
_OPTIONS = {
    "--rec-facade-modules": "facade_modules",
    "--rec-output-modules": "output_modules",
    "--rec-entry-modules": "entry_modules",
    "--rec-test-paths": "test_paths",
    "--rec-guard-functions": "guard_functions",
}

_HELP = {
    "facade_modules": "modules of the error façade (raising their errors is typed)",
    "output_modules": "modules allowed to print and write to stdout (REC001, REC006)",
    "entry_modules": "entry-point modules allowed to call sys.exit and friends (REC007)",
    "test_paths": "path globs where assert is allowed (REC002)",
    "guard_functions": "qualified functions allowed to swallow errors (REC005)",
}


class RecPlugin:
    """flake8 ``ast`` plugin yielding ``(line, col, "RECnnn message", type)`` tuples."""

    name = "lint-rules"
    version = VERSION
    overrides: ClassVar[dict[str, tuple[str, ...]]] = {}
    baseline_option: ClassVar[str | None] = None
    resolver: ClassVar[ConfigResolver] = ConfigResolver()
    baselines: ClassVar[dict[Path, Baseline]] = {}

    def __init__(
        self, tree: ast.AST, filename: str = "stdin", lines: list[str] | None = None
    ) -> None:
        self.tree = tree
        self.filename = filename
        # flake8 parsed exactly these lines joined; the pre-filter and fingerprints read them.
        self.source = "".join(lines) if lines is not None else None

    @classmethod
    def add_options(cls, parser: Any) -> None:
        for flag, field_name in _OPTIONS.items():
            parser.add_option(
                flag,
                default=None,
                parse_from_config=True,
                comma_separated_list=True,
                help=f"{_HELP[field_name]} (default: [tool.lint_rules] in pyproject.toml)",
            )
        parser.add_option(
            "--rec-baseline",
            default=None,
            parse_from_config=True,
            help="baseline file whose findings are not reported "
            "(default: [tool.lint_rules] baseline)",
        )

    @classmethod
    def parse_options(cls, options: argparse.Namespace) -> None:
        overrides: dict[str, tuple[str, ...]] = {}
        for flag, field_name in _OPTIONS.items():
            value = getattr(options, flag[2:].replace("-", "_"), None)
            if value is not None:
                overrides[field_name] = tuple(v for v in value if v)
        cls.overrides = overrides
        cls.baseline_option = getattr(options, "rec_baseline", None)
        cls.resolver = ConfigResolver()
        cls.baselines = {}

    def _config(self) -> LintConfig:
        """The file's pyproject settings with the flake8 options on top."""
        base = self.resolver.for_path(self.filename)
        # flake8 owns code selection; the plugin must report every code.
        return replace(base, select=(), ignore=(), **self.overrides)  # type: ignore[arg-type]

    def _baseline(self, config: LintConfig) -> Baseline | None:
        path = Path(self.baseline_option) if self.baseline_option else baseline_path(config)
        if path is None:
            return None
        key = path.resolve()
        if key not in self.baselines:
            self.baselines[key] = Baseline.read(path)
        return self.baselines[key]

    def run(self) -> Iterator[tuple[int, int, str, type[RecPlugin]]]:
        if not isinstance(self.tree, ast.Module):
            return
        config = self._config()
        recorded = self._baseline(config)
        if recorded is not None:
            decided, anchors = decide_anchored(self.tree, self.filename, config, self.source)
            decided = self._not_in(recorded, self.tree, decided, anchors)
        else:
            decided = decide(self.tree, self.filename, config, self.source)
        seen: set[tuple[int, int, str]] = set()
        for line, col, code, detail in decided:
            if (line, col, code) in seen:
                continue
            seen.add((line, col, code))
            yield line, col, f"{code} {BY_CODE[code].format(detail)}", type(self)

    def _not_in(
        self,
        recorded: Baseline,
        tree: ast.Module,
        decided: list[tuple[int, int, str, str]],
        anchors: Anchors,
    ) -> list[tuple[int, int, str, str]]:
        """The hits the baseline does not hold, keyed as ``check`` keys them (after noqa)."""
        lines = source_lines(self.source) if self.source is not None else self._lines()
        findings = sorted(
            {
                Finding(self.filename, line, col, code, detail)
                for line, col, code, detail in decided
                if not suppressed(lines, line, code)
            }
        )
        new, _matched = recorded.split(
            with_fingerprints(tree, findings, lines, recorded.version, anchors)
        )
        kept = {(f.line, f.col, f.code) for f in new}
        return [row for row in decided if row[:3] in kept]

    def _lines(self) -> list[str]:
        try:
            return source_lines(Path(self.filename).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            return []
