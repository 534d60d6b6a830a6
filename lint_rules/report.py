"""Output formats for findings: flake8-style text, JSON, and SARIF 2.1.0 for code scanning.

Every function returns text; writing it is the caller's business (the CLI writes to the stream
it was given), which keeps this module free of I/O.  Columns are 1-based in every format, as
editors and flake8 show them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from lint_rules.catalog import RULES, VERSION
from lint_rules.findings import Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def text(findings: Sequence[Finding]) -> str:
    return "".join(f"{f.path}:{f.line}:{f.col + 1}: {f.code} {f.message}\n" for f in findings)


def as_json(findings: Sequence[Finding]) -> str:
    rows = [
        {"path": f.path, "line": f.line, "column": f.col + 1, "code": f.code, "message": f.message}
        for f in findings
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def _uri(path: str) -> str:
    uri = path.replace("\\", "/")
    while uri.startswith("./"):
        uri = uri[2:]
    return uri


def sarif(findings: Sequence[Finding]) -> str:
    """One SARIF run; every catalog rule is listed so ``ruleIndex`` is stable across runs."""
    index = {rule.code: position for position, rule in enumerate(RULES)}
    rules = [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.format(rule.name)},
            "fullDescription": {"text": rule.rationale},
            "help": {"text": rule.rationale},
            "defaultConfiguration": {"level": "error"},
        }
        for rule in RULES
    ]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error",
            "message": {"text": f.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": _uri(f.path)},
                        "region": {"startLine": f.line, "startColumn": f.col + 1},
                    }
                }
            ],
        }
        for f in findings
    ]
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lint_rules",
                        "version": VERSION,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "text": text,
    "json": as_json,
    "sarif": sarif,
}
