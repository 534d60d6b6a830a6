"""Filter files in, a parsed filter or the exact usage error out: every form, valid and invalid.

Each invalid case names its ``ERR_*`` code, a fragment of the message (what is wrong / the fix)
and the line the error must point at. Valid cases say what the parse must contain.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from recorder.errors import UsageError
from recorder.filters import parse_text

HEAD = ('[meta]\nname = "t"\nversion = 1\n\n'
        '[scope]\ndefault_exec = "trace"\ndefault_value_action = "allow"\n')


def rule(selector: str, extra: str = "") -> str:
    return HEAD + f"\n[[scope.rules]]\nselector = '{selector}'\n{extra}"


def pattern(selector: str, action: str = "redact") -> str:
    return rule("pkg:app.*", f"[[scope.rules.value_patterns]]\nselector = '{selector}'\n"
                             f"action = \"{action}\"\n")


# (id, text, code, message fragment, line)
INVALID = [
    ("toml-syntax", HEAD + "oops = \n", "SYNTAX", "not valid TOML", 8),
    ("toml-duplicate-key", HEAD + 'default_exec = "skip"\n', "SYNTAX", "not valid TOML", 8),
    ("no-meta", '[scope]\ndefault_exec = "trace"\n', "MISSING_KEY", "no [meta] section", 1),
    ("no-scope", '[meta]\nname = "t"\nversion = 1\n', "MISSING_KEY", "no [scope] section", 1),
    ("no-name", '[meta]\nversion = 1\n', "MISSING_KEY", "[meta] has no 'name'", 1),
    ("no-version", '[meta]\nname = "t"\n', "MISSING_KEY", "[meta] has no 'version'", 1),
    ("version-string", HEAD.replace("version = 1", 'version = "1"'), "BAD_VALUE",
     "must be a positive integer", 3),
    ("version-float", HEAD.replace("version = 1", "version = 1.5"), "BAD_VALUE",
     "must be a positive integer", 3),
    ("version-zero", HEAD.replace("version = 1", "version = 0"), "BAD_VALUE",
     "must be a positive integer", 3),
    ("version-bool", HEAD.replace("version = 1", "version = true"), "BAD_VALUE",
     "must be a positive integer", 3),
    ("empty-name", HEAD.replace('name = "t"', 'name = "  "'), "BAD_VALUE", "is empty", 2),
    ("name-not-string", HEAD.replace('name = "t"', "name = 3"), "BAD_VALUE",
     "must be a string", 2),
    ("labels-not-list", HEAD.replace("version = 1", 'version = 1\nlabels = "a"'), "BAD_VALUE",
     "list of strings", 4),
    ("unknown-top-key", HEAD + "\n[extra]\nx = 1\n", "UNKNOWN_KEY", "unknown key 'extra'", 9),
    ("unknown-meta-key", HEAD.replace("version = 1", "version = 1\nauthor = 'me'"),
     "UNKNOWN_KEY", "unknown key 'author' in [meta]", 4),
    ("unknown-scope-key", HEAD + "defaults = 1\n", "UNKNOWN_KEY", "unknown key 'defaults'", 8),
    ("unknown-rule-key", rule("pkg:a", "action = 'skip'\n"), "UNKNOWN_KEY",
     "unknown key 'action' in [scope.rules]", 11),
    ("unknown-pattern-key", pattern("local:x") + "exec = 'skip'\n", "UNKNOWN_KEY",
     "unknown key 'exec' in [scope.rules.value_patterns]", 14),
    ("misspelt-value-patterns", rule("pkg:a", "[[scope.rules.value_patern]]\nselector='local:x'\n"
                                              "action='drop'\n"),
     "UNKNOWN_KEY", "unknown key 'value_patern'", 11),
    ("no-default-exec", HEAD.replace('default_exec = "trace"\n', ""), "MISSING_KEY",
     "[scope] has no 'default_exec'", 5),
    ("no-default-value", HEAD.replace('default_value_action = "allow"\n', ""), "MISSING_KEY",
     "[scope] has no 'default_value_action'", 5),
    ("bad-default-exec", HEAD.replace('"trace"', '"run"'), "UNKNOWN_ACTION",
     "unknown value 'run' for 'default_exec': use trace or skip", 6),
    ("bad-default-value", HEAD.replace('"allow"', '"hide"'), "UNKNOWN_ACTION",
     "use allow or redact or drop", 7),
    ("bad-exec", rule("pkg:a", "exec = 'off'\n"), "UNKNOWN_ACTION", "'off' for 'exec'", 11),
    ("bad-value-default", rule("pkg:a", "value_default = 'mask'\n"), "UNKNOWN_ACTION",
     "'mask' for 'value_default'", 11),
    ("bad-action", pattern("local:x", "mask"), "UNKNOWN_ACTION", "'mask' for 'action'", 13),
    ("inherit-action", pattern("local:x", "inherit"), "UNKNOWN_ACTION", "'inherit'", 13),
    ("rule-without-selector", HEAD + "\n[[scope.rules]]\nexec = 'skip'\n", "MISSING_KEY",
     "[scope.rules] has no 'selector'", 9),
    ("pattern-without-action", rule("pkg:a", "[[scope.rules.value_patterns]]\n"
                                             "selector = 'local:x'\n"), "MISSING_KEY",
     "has no 'action'", 11),
    ("unknown-domain", rule("module:a"), "UNKNOWN_DOMAIN", "unknown selector domain 'module'",
     10),
    ("value-domain-in-rule", rule("local:a"), "UNKNOWN_DOMAIN",
     "'local' cannot be used in a scope rule", 10),
    ("scope-domain-in-pattern", pattern("pkg:x"), "UNKNOWN_DOMAIN",
     "'pkg' cannot be used in a value pattern", 12),
    ("no-pattern", rule("pkg"), "BAD_SELECTOR", "has no pattern", 10),
    ("empty-pattern", rule("pkg:"), "BAD_SELECTOR", "empty pattern", 10),
    ("empty-selector", rule(""), "BAD_SELECTOR", "the selector is empty", 10),
    ("unknown-match", rule("pkg:fuzzy:a"), "BAD_SELECTOR", "unknown match type 'fuzzy'", 10),
    ("empty-match", rule("pkg::a"), "BAD_SELECTOR", "unknown match type ''", 10),
    ("glob-unclosed-class", rule("file:src/[ab.py"), "BAD_SELECTOR", "unclosed character class",
     10),
    ("glob-unclosed-alt", rule("pkg:{a,b"), "BAD_SELECTOR", "unclosed alternate group", 10),
    ("glob-nested-alt", rule("pkg:{a,{b,c}}"), "BAD_SELECTOR", "nested alternate", 10),
    ("glob-bad-range", rule("pkg:[z-a]"), "BAD_SELECTOR", "invalid range z-a", 10),
    ("glob-dangling-escape", rule("pkg:a\\"), "BAD_SELECTOR", "dangling", 10),
    ("file-escapes-root", rule("file:../outside.py"), "BAD_SELECTOR", "escapes the project root",
     10),
    ("file-absolute-outside", rule("file:/elsewhere/x.py"), "BAD_SELECTOR",
     "outside the project root", 10),
    ("regex-lookahead", pattern("local:regex:^(?=a)"), "BAD_REGEX", "look-ahead", 12),
    ("regex-lookbehind", pattern("local:regex:(?<=a)b"), "BAD_REGEX", "look-behind", 12),
    ("regex-neg-lookbehind", rule("pkg:regex:(?<!a)b"), "BAD_REGEX", "negative look-behind", 10),
    ("regex-backref", rule("obj:regex:(a)\\1"), "BAD_REGEX", "backreference", 10),
    ("regex-named-backref", rule("obj:regex:(?P<x>a)(?P=x)"), "BAD_REGEX", "backreference", 10),
    ("regex-atomic", rule("obj:regex:(?>a)"), "BAD_REGEX", "atomic group", 10),
    ("regex-possessive", rule("obj:regex:a*+"), "BAD_REGEX", "possessive", 10),
    ("regex-big-z", rule("obj:regex:a\\Z"), "BAD_REGEX", "write '\\z'", 10),
    ("regex-unbalanced", rule("obj:regex:(a"), "BAD_REGEX", "not a valid regular expression", 10),
    ("regex-unicode-class", rule("obj:regex:\\pL"), "BAD_REGEX", "Rust-only syntax", 10),
    ("rules-not-array", HEAD + "rules = 3\n", "BAD_VALUE", "must be an array of tables", 8),
    ("patterns-not-array", rule("pkg:a", "value_patterns = 'x'\n"), "BAD_VALUE",
     "must be an array of tables", 11),
    ("io-bad-stream", HEAD + "\n[io]\ncapture = true\nstreams = ['stdout', 'socket']\n",
     "BAD_VALUE", "'io.streams' must list", 11),
    ("io-capture-not-bool", HEAD + "\n[io]\ncapture = 'yes'\n", "BAD_VALUE",
     "must be true or false", 10),
    ("io-capture-without-streams", HEAD + "\n[io]\ncapture = true\n", "MISSING_KEY",
     "needs 'io.streams'", 10),
    ("io-modes", HEAD + "\n[io]\nmodes = ['x']\n", "BAD_VALUE", "'io.modes' is reserved", 10),
    ("io-unknown-key", HEAD + "\n[io]\nfd = true\n", "UNKNOWN_KEY", "unknown key 'fd' in [io]",
     10),
    ("inline-rule-bad-domain", HEAD + "rules = [{selector = 'nope:x'}]\n", "UNKNOWN_DOMAIN",
     "unknown selector domain 'nope'", 8),
]


@pytest.mark.parametrize(("text", "code", "fragment", "line"),
                         [case[1:] for case in INVALID], ids=[case[0] for case in INVALID])
def test_invalid_filter_is_a_usage_error_with_code_line_and_fix(
    text: str, code: str, fragment: str, line: int,
) -> None:
    with pytest.raises(UsageError) as caught:
        parse_text(text, "/proj/f.toml")
    err = caught.value
    assert err.code.value == f"ERR_TRACE_FILTER_{code}", err
    assert err.message.startswith(f"trace filter /proj/f.toml:{line}: "), err.message
    assert fragment in err.message, err.message
    assert "\n" not in err.message


# (id, text, what the parse must show)
VALID = [
    ("minimal", HEAD, lambda f: f.rules == () and f.default_exec == "trace"),
    ("description-labels", HEAD.replace("version = 1",
                                        'version = 1\ndescription = "d"\nlabels = ["a", "a", "b"]'),
     lambda f: f.description == "d" and f.labels == ("a", "b")),
    ("inherit-defaults", HEAD.replace('"trace"', '"inherit"').replace('"allow"', '"inherit"'),
     lambda f: f.default_exec is None and f.default_value_action is None),
    ("deny-is-redact", pattern("local:x", "deny"),
     lambda f: f.rules[0].patterns[0].action == "redact"),
    ("exec-inherit", rule("pkg:a", "exec = 'inherit'\n"), lambda f: f.rules[0].exec is None),
    ("glob-default", rule("pkg:app.*"), lambda f: f.rules[0].selector.match == "glob"),
    ("every-scope-domain", rule("obj:literal:a.b:c"),
     lambda f: f.rules[0].selector.pattern == "a.b:c"),
    ("every-value-domain", rule("pkg:a", "".join(
        f"[[scope.rules.value_patterns]]\nselector = '{d}:x'\naction = 'drop'\n"
        for d in ("local", "global", "arg", "ret", "attr"))),
     lambda f: [p.selector.domain for p in f.rules[0].patterns]
     == ["local", "global", "arg", "ret", "attr"]),
    ("file-normalised", rule("file:./src//pkg/../app.py"),
     lambda f: f.rules[0].selector.pattern == "src/app.py"),
    ("file-absolute-inside", rule("file:/proj/src/app.py"),
     lambda f: f.rules[0].selector.pattern == "src/app.py"),
    ("regex-named-group", rule("obj:regex:(?<name>a)\\z"),
     lambda f: f.rules[0].selector.matches("xa")),
    ("io-proxies", HEAD + "\n[io]\ncapture = true\nstreams = ['stdout', 'stderr', 'stdout']\n",
     lambda f: f.io is not None and f.io.streams == ("stdout", "stderr")),
    ("inline-tables", HEAD + "rules = [{selector = 'pkg:a', exec = 'skip'}]\n",
     lambda f: f.rules[0].exec == "skip"),
    ("empty-value-patterns", rule("pkg:a", "value_patterns = []\n"),
     lambda f: f.rules[0].patterns == ()),
]


@pytest.mark.parametrize(("text", "check"), [case[1:] for case in VALID],
                         ids=[case[0] for case in VALID])
def test_valid_filter_parses(text: str, check: object) -> None:
    parsed = parse_text(text, "/proj/f.toml")
    assert callable(check) and check(parsed), parsed


FIXTURES = sorted((Path(__file__).parent / "fixtures" / "v030").glob("*.toml"))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_v030_filter_files_load_unchanged(path: Path) -> None:
    parsed = parse_text(path.read_text(encoding="utf-8"), str(path))
    document = textwrap.dedent(path.read_text(encoding="utf-8"))
    assert parsed.name and parsed.version >= 1
    assert len(parsed.rules) == document.count("[[scope.rules]]")
    assert sum(len(r.patterns) for r in parsed.rules) == document.count(
        "[[scope.rules.value_patterns]]")


def test_fixtures_are_present() -> None:
    assert len(FIXTURES) >= 8
