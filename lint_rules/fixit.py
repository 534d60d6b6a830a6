"""The Fixit 2 plugin: ``[tool.fixit] enable = ["lint_rules.fixit"]``.

``fixit lint`` reports the REC findings and ``fixit fix`` applies our fixers.  The rule is thin:
it asks the one analysis (:func:`lint_rules.checker.analyse`) for the module's findings and turns
each into a Fixit report.  Needs the ``fixit`` extra (``pip install 'lint_rules[fixit]'``).

Two things Fixit does not hand a rule, settled as follows (see docs/architecture.md):

* **The file's path**, which the roles (façade, output, entry, test modules) and the settings
  (``[tool.lint_rules]`` in the nearest pyproject) depend on: libcst's public
  ``FilePathProvider`` gives it; Fixit computes such repository-level metadata for its rules.
* **Adding imports**: a node replacement cannot add ``from <façade> import ...`` or the logger
  line.  So the first fixable finding of a file carries the whole fixed module as the
  replacement of the ``Module`` node (exactly what ``python -m lint_rules fix`` writes), and
  the file's other findings are reported without a replacement of their own: applying one
  report's fix applies them all, which is what ``fixit fix --automatic`` does anyway.

Suppress findings with ``# noqa: RECnnn`` (honoured by the analysis); Fixit's own
``# lint-ignore`` comments apply to the node reported, which is the module.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import libcst as cst
from fixit import LintRule
from libcst.metadata import CodePosition, FilePathProvider, ProviderT

from lint_rules.checker import analyse
from lint_rules.config import ConfigResolver
from lint_rules.fixers import apply_fixes
from lint_rules.fixfacts import char_position


class ErrorPolicy(LintRule):
    """The REC rules (REC000-REC007) of the project's error policy."""

    METADATA_DEPENDENCIES: ClassVar[tuple[ProviderT, ...]] = (FilePathProvider,)
    # One resolver per process: it caches each directory's pyproject settings.
    resolver: ClassVar[ConfigResolver] = ConfigResolver()

    def visit_Module(self, node: cst.Module) -> None:
        path: Path = self.get_metadata(FilePathProvider, node)
        source = node.code
        findings = analyse(source, str(path), self.resolver.for_path(str(path)))
        fixes = [f.fix for f in findings if f.fix is not None]
        fixed = apply_fixes(node, fixes) if fixes else node
        replacement = None if fixed is node else fixed
        lines = source.splitlines()
        for finding in findings:
            line, column = char_position(lines, finding.line, finding.col)
            carries = finding.fix is not None and replacement is not None
            self.report(
                node,
                f"{finding.code} {finding.message}",
                position=CodePosition(line, column),
                replacement=replacement if carries else None,
            )
            if carries:
                replacement = None  # one report applies the whole module's fixes
