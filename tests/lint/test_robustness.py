"""The analysis never crashes (arbitrary text in, findings, maybe REC000, out) and frees what
it allocates."""

from __future__ import annotations

import gc

from hypothesis import given, settings
from hypothesis import strategies as st
from lint_helpers import GOLDEN

from lint_rules.catalog import EXAMPLE_CONFIG, RULES, examples
from lint_rules.checker import check_source

SNIPPETS = [source for rule in RULES for source, _ in examples(rule.valid + rule.invalid)]
TOKENS = st.sampled_from(
    [
        "print",
        "raise",
        "assert",
        "try:",
        "except",
        "Exception",
        ":",
        "(",
        ")",
        "\n",
        "    ",
        "def f():",
        "class C:",
        "lambda:",
        "async",
        "await",
        "global print",
        "# noqa",
        "=",
        ",",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text(source: str) -> None:
    findings = check_source(source, "pkg/module.py", EXAMPLE_CONFIG)
    assert all(f.code.startswith("REC") for f in findings)


@settings(max_examples=150, deadline=None)
@given(st.lists(TOKENS, max_size=40).map(" ".join))
def test_python_looking_token_soup(source: str) -> None:
    findings = check_source(source, "pkg/module.py", EXAMPLE_CONFIG)
    codes = {f.code for f in findings}
    assert codes <= {rule.code for rule in RULES}
    assert "REC000" not in codes or len(findings) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(SNIPPETS), min_size=1, max_size=6))
def test_concatenated_examples_parse_and_are_checked(parts: list[str]) -> None:
    source = "\n".join(parts) + "\n"
    findings = check_source(source, "pkg/module.py", EXAMPLE_CONFIG)
    assert "REC000" not in {f.code for f in findings}
    assert findings == sorted(findings)


def test_check_frees_its_analysis_without_the_cycle_collector() -> None:
    """``check`` pauses the cyclic GC per file: the analysis must leave no reference cycle
    behind (else a long run would hold every file's tree), and the GC state is restored."""
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(GOLDEN.glob("*.py")))
    check_source(source, "pkg/module.py", EXAMPLE_CONFIG)  # warm caches outside the count
    gc.collect()
    gc.disable()
    try:
        gc.set_debug(gc.DEBUG_SAVEALL)
        check_source(source, "pkg/module.py", EXAMPLE_CONFIG)
        unreachable = gc.collect()
        left = list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert (unreachable, left) == (0, [])
    check_source("x = 1\n", "pkg/module.py", EXAMPLE_CONFIG)
    assert gc.isenabled()
