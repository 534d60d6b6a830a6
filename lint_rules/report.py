"""Output formats for findings: flake8-style text, JSON, SARIF 2.1.0 for code scanning, GitHub
Actions workflow commands and GitLab Code Quality JSON.

Every function returns text; writing it is the caller's business (the CLI writes to the stream
it was given), which keeps this module free of I/O.  Columns are 1-based in every format, as
editors and flake8 show them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from pathlib import Path

from lint_rules.baseline import keys
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


def _escape_data(text: str) -> str:
    """GitHub workflow-command escaping of a message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """GitHub workflow-command escaping of a property value (``:`` and ``,`` too)."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    """One ``::error`` workflow command per finding (annotations on the pull request)."""
    return "".join(
        f"::error file={_escape_property(_uri(f.path))},line={f.line},col={f.col + 1},"
        f"title={_escape_property(f.code)}::{_escape_data(f.message)}\n"
        for f in findings
    )


def gitlab(findings: Sequence[Finding]) -> str:
    """GitLab Code Quality JSON; each fingerprint is the finding's baseline key, hashed (paths
    relative to the working directory, as the job runs at the repository root)."""
    rows = [
        {
            "description": f"{f.code} {f.message}",
            "check_name": f.code,
            "fingerprint": hashlib.sha256("\0".join(map(str, key)).encode()).hexdigest(),
            "severity": "major",
            "location": {"path": _uri(f.path), "lines": {"begin": f.line}},
        }
        for f, key in zip(findings, keys(findings, Path.cwd()), strict=True)
    ]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


FORMATS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "text": text,
    "json": as_json,
    "sarif": sarif,
    "github": github,
    "gitlab": gitlab,
}
# Formats that need each finding's baseline fingerprint.
FINGERPRINTED = frozenset({"gitlab"})
