"""Precedence, property-tested: for random rule chains, the compiled chain's decisions equal a
direct, slow reading of the rules (the issue's text), and no chain crashes the compiler.

The slow reading, for a scope and a value name: the last ``[scope]`` defaults; then over every
matching rule in order, the last that sets ``exec`` / ``value_default`` wins and the last matching
rule's patterns are the patterns; when the value default is ``drop``, patterns of files before the
one that set it are ignored; the first pattern of the value's domain that matches decides, else the
value default. The built-in secret rule is off here (its floor has its own tests).
"""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.errors import UsageError
from recorder.filters import FilterChain, builtin_filter, parse_text
from recorder.filters.chain import ScopeContext
from recorder.filters.model import FilterFile

MODULES = ["app", "app.core", "app.core.db", "lib.util", "__main__"]
NAMES = ["x", "token", "tmp_1", "user", "debug_payload", "<return>"]
SCOPE_SELECTORS = ["pkg:app", "pkg:app.*", "pkg:glob:app.**", "pkg:literal:lib.util",
                   "pkg:regex:^app\\.core", "obj:app.core.*", "obj:regex:\\.f$",
                   "file:app/*.py", "file:**/db.py", "pkg:{app,lib}.*", "pkg:*"]
VALUE_SELECTORS = [f"{d}:{p}" for d in ("local", "arg", "ret", "global", "attr")
                   for p in ("x", "tmp_*", "regex:^t", "literal:user", "*", "{x,user}")]
EXEC = st.sampled_from([None, "trace", "skip", "inherit"])
VALUE = st.sampled_from([None, "allow", "redact", "drop", "inherit", "deny"])


def _toml(value: str) -> str:
    return "'" + value + "'"


@st.composite
def filter_text(draw: st.DrawFn) -> str:
    lines = ["[meta]", "name = 'f'", "version = 1", "[scope]",
             f"default_exec = {_toml(draw(st.sampled_from(['trace', 'skip', 'inherit'])))}",
             "default_value_action = "
             + _toml(draw(st.sampled_from(["allow", "redact", "drop", "inherit"])))]
    for _ in range(draw(st.integers(0, 5))):
        lines += ["[[scope.rules]]", f"selector = {_toml(draw(st.sampled_from(SCOPE_SELECTORS)))}"]
        exec_, value = draw(EXEC), draw(VALUE)
        if exec_:
            lines.append(f"exec = {_toml(exec_)}")
        if value:
            lines.append(f"value_default = {_toml(value)}")
        for _ in range(draw(st.integers(0, 3))):
            lines += ["[[scope.rules.value_patterns]]",
                      f"selector = {_toml(draw(st.sampled_from(VALUE_SELECTORS)))}",
                      f"action = {_toml(draw(st.sampled_from(['allow', 'redact', 'drop'])))}"]
    return "\n".join(lines) + "\n"


def _chain(texts: list[str]) -> tuple[FilterChain, list[FilterFile]]:
    files = [parse_text(text, f"/p/f{i}.toml", source=i) for i, text in enumerate(texts, 1)]
    return FilterChain([builtin_filter(excluded_roots=[], redact_secrets=False), *files]), files


def _slow(files: list[FilterFile], context: ScopeContext, kind: str, name: str,
          ) -> tuple[bool, str]:
    exec_, value, value_source = "trace", "allow", 0
    for index, item in enumerate(files, 1):
        exec_ = item.default_exec or exec_
        if item.default_value_action:
            value, value_source = item.default_value_action, index
    rules = [rule for item in files for rule in item.rules]
    candidates = {"pkg": context.module, "obj": context.object, "file": context.path}
    matching = [r for r in rules if candidates[r.selector.domain] is not None
                and r.selector.matches(candidates[r.selector.domain] or "")]
    setting_exec = [r for r in matching if r.exec is not None]
    if setting_exec:
        exec_ = setting_exec[-1].exec or exec_
    setting_value = [r for r in matching if r.value_default is not None]
    if setting_value:
        value, value_source = setting_value[-1].value_default or value, setting_value[-1].source
    patterns = matching[-1].patterns if matching else ()
    if value == "drop":
        patterns = tuple(p for p in patterns if p.source >= value_source)
    for pattern in patterns:
        if pattern.selector.domain == kind and pattern.selector.matches(name):
            return exec_ == "trace", pattern.action
    return exec_ == "trace", value


@settings(max_examples=300, deadline=None)
@given(st.lists(filter_text(), min_size=1, max_size=3), st.sampled_from(MODULES),
       st.sampled_from(["f", "C.f", "g"]), st.sampled_from(["local", "arg", "ret", "global",
                                                             "attr"]),
       st.sampled_from(NAMES))
def test_chain_equals_the_slow_reading(texts: list[str], module: str, qualname: str, kind: str,
                                       name: str) -> None:
    chain, files = _chain(texts)
    context = ScopeContext(module, f"{module}.{qualname}", module.replace(".", "/") + ".py")
    decision = chain.resolve(context)
    traced, action = _slow(files, context, kind, name)
    assert decision.traced is traced
    assert decision.values.action(kind, name) == action
    assert decision.values.action(kind, name) == action  # the cached answer is the same


ALPHABET = string.ascii_letters + string.digits + ":*?[]{}!^\\.,/()|+$-_ '\"=#\n"


@settings(max_examples=400, deadline=None)
@given(st.text(ALPHABET, max_size=30), st.text(ALPHABET, max_size=30),
       st.sampled_from(["trace", "skip", "x", "allow"]))
def test_random_selectors_never_crash_the_compiler(scope: str, value: str, action: str) -> None:
    text = ("[meta]\nname='r'\nversion=1\n[scope]\ndefault_exec='trace'\n"
            "default_value_action='allow'\n[[scope.rules]]\nselector=" + repr(scope) + "\n"
            "exec='" + action + "'\n[[scope.rules.value_patterns]]\nselector=" + repr(value)
            + "\naction='drop'\n")
    try:
        files = [parse_text(text, "/p/r.toml")]
    except UsageError as err:
        assert err.code.value.startswith("ERR_TRACE_FILTER_")
        assert err.message.startswith("trace filter /p/r.toml:")
        return
    chain = FilterChain([builtin_filter(excluded_roots=[]), *files])
    decision = chain.resolve(ScopeContext(scope, scope, scope))
    assert decision.values.action("local", value) in {"allow", "redact", "drop"}


def test_builtin_redaction_is_a_floor_only_an_explicit_allow_lifts() -> None:
    user = parse_text(
        "[meta]\nname='u'\nversion=1\n[scope]\ndefault_exec='trace'\n"
        "default_value_action='allow'\n[[scope.rules]]\nselector='pkg:*'\n"
        "[[scope.rules.value_patterns]]\nselector='local:literal:api_token'\naction='allow'\n"
        "[[scope.rules.value_patterns]]\nselector='local:tmp'\naction='redact'\n",
        "/p/u.toml")
    chain = FilterChain([builtin_filter(excluded_roots=[]), user])
    values = chain.resolve(ScopeContext("app", "app.f", "app.py")).values
    assert values.action("local", "password") == "redact"  # user patterns replaced builtin's
    assert values.action("local", "api_token") == "allow"  # named with allow explicitly
    assert values.action("local", "tmp") == "redact"
    assert values.action("local", "tokenizer") == "allow"  # name parts: not a secret
    assert values.action("arg", "author") == "allow"
