"""The catalog's VALID/INVALID examples become tests of the ``ast`` engine (Fixit's style)."""

from __future__ import annotations

import re

import pytest
from lint_helpers import ROOT, marked_lines

from lint_rules import docs
from lint_rules.catalog import BY_CODE, EXAMPLE_CONFIG, RULES, Rule, examples
from lint_rules.checker import check_source, file_role

VALID = [
    pytest.param(rule.code, source, path, id=f"{rule.code}-valid-{n}")
    for rule in RULES
    for n, (source, path) in enumerate(examples(rule.valid))
]
INVALID = [
    pytest.param(rule.code, source, path, id=f"{rule.code}-invalid-{n}")
    for rule in RULES
    for n, (source, path) in enumerate(examples(rule.invalid))
]


@pytest.mark.parametrize(("code", "source", "path"), VALID)
def test_valid_example_has_no_finding_of_its_rule(code: str, source: str, path: str) -> None:
    findings = check_source(source, path, EXAMPLE_CONFIG)
    assert [f for f in findings if f.code == code] == []
    assert [f for f in findings if f.code == "REC000"] == []


@pytest.mark.parametrize(("code", "source", "path"), INVALID)
def test_invalid_example_is_found_on_the_marked_line(code: str, source: str, path: str) -> None:
    lines = {f.line for f in check_source(source, path, EXAMPLE_CONFIG) if f.code == code}
    assert lines, f"{code} not found"
    marked = marked_lines(source)
    if marked:
        assert lines == marked


@pytest.mark.parametrize("rule", [r for r in RULES if r.code != "REC000"], ids=lambda r: r.code)
def test_every_rule_has_examples_both_ways(rule: Rule) -> None:
    assert rule.valid and rule.invalid


def test_codes_are_unique_well_formed_and_indexed() -> None:
    codes = [rule.code for rule in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"REC\d{3}", code) for code in codes)
    assert {rule.code: rule for rule in RULES} == BY_CODE
    assert len({rule.name for rule in RULES}) == len(RULES)


def test_messages_are_one_line_and_fill_their_detail() -> None:
    for rule in RULES:
        text = rule.format("DETAIL")
        assert "\n" not in text and "{" not in text
        assert ("DETAIL" in text) == ("{detail}" in rule.message)


def test_generated_docs_are_up_to_date() -> None:
    path = ROOT / "docs" / "lint-rules.md"
    assert path.read_text(encoding="utf-8") == docs.render(), (
        "run: python -m lint_rules docs --write docs/lint-rules.md"
    )


def test_docs_show_every_rule_and_example() -> None:
    text = docs.render()
    for rule in RULES:
        assert f"## {rule.code} `{rule.name}`" in text
        for source, _path in examples(rule.valid + rule.invalid):
            assert source in text


def test_default_example_path_is_a_plain_module() -> None:
    # Otherwise "no finding" in a VALID example could come from an exemption, not the rule.
    role, module, _package = file_role("pkg/module.py", EXAMPLE_CONFIG)
    assert module == "pkg.module"
    assert not (role.is_facade or role.is_output or role.is_entry or role.is_test)
