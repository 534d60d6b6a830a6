"""Reading one filter file: TOML in, a validated :class:`~recorder.filters.model.FilterFile` out.

The language is 0.3.0's (``[meta]``, ``[scope]`` with ``[[scope.rules]]`` and their
``[[scope.rules.value_patterns]]``, ``[io]``), with its leniencies kept so that its files load
unchanged: ``inherit`` for an exec/value action (keep what earlier filters set), ``deny`` as the
old spelling of ``redact``, duplicate labels collapsed. Everything else that is wrong is a
:class:`~recorder.errors.UsageError` with a code of its own, ``FILE:LINE`` (from ``tomllib`` for
syntax, from :mod:`recorder.filters.positions` otherwise), what is wrong and how to write it.
Unknown keys are errors, never ignored: a misspelt ``value_patern`` would otherwise leak a secret.
"""

from __future__ import annotations

import os
from typing import Any

from recorder.errors import ErrorCode, UsageError, usage
from recorder.filters.model import (
    EXEC_ACTIONS,
    VALUE_ACTIONS,
    FilterFile,
    IoSettings,
    Rule,
    ValuePattern,
)
from recorder.filters.positions import Locator, toml_error_line
from recorder.filters.selectors import SCOPE_DOMAINS, VALUE_DOMAINS, parse_selector
from recorder.hashing import sha256_hex

__all__ = ["load_file", "parse_text", "project_root_of"]

_KEYS: dict[str, frozenset[str]] = {
    "": frozenset({"meta", "scope", "io"}),
    "meta": frozenset({"name", "version", "description", "labels"}),
    "scope": frozenset({"default_exec", "default_value_action", "rules"}),
    "scope.rules": frozenset({"selector", "exec", "value_default", "reason", "value_patterns"}),
    "scope.rules.value_patterns": frozenset({"selector", "action", "reason"}),
    "io": frozenset({"capture", "streams", "modes"}),
}
_IO_STREAMS = ("stdout", "stderr", "stdin", "files")
_U32_MAX = 2**32 - 1
Path = tuple[str | int, ...]


def project_root_of(path: str) -> str:
    """The parent of the nearest enclosing ``.codetracer`` directory, else the file's directory."""
    directory = os.path.dirname(path)
    probe = directory
    while True:
        if os.path.basename(probe) == ".codetracer":
            return os.path.dirname(probe) or probe
        parent = os.path.dirname(probe)
        if parent == probe:
            return directory
        probe = parent


class _Reader:
    """Validates one parsed document; every error names the file and the line."""

    def __init__(self, path: str, text: str, source: int, project_root: str) -> None:
        self.path, self.source, self.root = path, source, project_root
        self.locator = Locator(text)

    def fail(self, code: ErrorCode, where: Path, what: str, value: object = None) -> UsageError:
        line = self.locator.line(where, value)
        return usage(code, f"trace filter {self.path}:{line}: {what}")

    def table(self, raw: object, where: Path, kind: str) -> dict[str, Any]:
        name = ".".join(str(p) for p in where if isinstance(p, str))
        if not isinstance(raw, dict):
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, where,
                            f"'{name or 'the file'}' must be a table ([{kind}])")
        for key in raw:
            if key not in _KEYS[kind]:
                allowed = ", ".join(sorted(_KEYS[kind]))
                raise self.fail(ErrorCode.TRACE_FILTER_UNKNOWN_KEY, (*where, key),
                                f"unknown key {key!r} in [{kind or 'top level'}]: the keys are "
                                f"{allowed}")
        return raw

    def required(self, table: dict[str, Any], key: str, where: Path, kind: str) -> Any:
        if key not in table:
            raise self.fail(ErrorCode.TRACE_FILTER_MISSING_KEY, where,
                            f"[{kind}] has no {key!r}: add {key} = ...")
        return table[key]

    def string(self, value: object, where: Path, example: str) -> str:
        if not isinstance(value, str):
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, where,
                            f"'{_dotted(where)}' must be a string (got {value!r}): write "
                            f"{where[-1]} = {example}")
        return value

    def optional_string(self, table: dict[str, Any], key: str, where: Path) -> str | None:
        return None if key not in table else self.string(table[key], (*where, key), '"..."')

    def action(
        self, value: object, where: Path, allowed: tuple[str, ...], inherit: bool,
    ) -> str | None:
        text = self.string(value, where, f'"{allowed[0]}"')
        if text == "deny" and allowed == VALUE_ACTIONS:
            return "redact"
        if text == "inherit" and inherit:
            return None
        if text not in allowed:
            raise self.fail(ErrorCode.TRACE_FILTER_UNKNOWN_ACTION, where,
                            f"unknown value {text!r} for '{where[-1]}': use "
                            f"{' or '.join(allowed)}", text)
        return text

    def meta(self, raw: object) -> tuple[str, int, str | None, tuple[str, ...]]:
        meta = self.table(raw, ("meta",), "meta")
        name = self.string(self.required(meta, "name", ("meta",), "meta"), ("meta", "name"),
                           '"my-filter"')
        if not name.strip():
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, ("meta", "name"),
                            "'meta.name' is empty: give the filter a name")
        version = self.required(meta, "version", ("meta",), "meta")
        if type(version) is not int or not 1 <= version <= _U32_MAX:
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, ("meta", "version"),
                            f"'meta.version' must be a positive integer (got {version!r}): "
                            "write version = 1")
        labels = meta.get("labels", [])
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, ("meta", "labels"),
                            "'meta.labels' must be a list of strings: write labels = [\"a\"]")
        return (name, version, self.optional_string(meta, "description", ("meta",)),
                tuple(dict.fromkeys(labels)))

    def selector_for(self, raw: object, where: Path, domains: tuple[str, ...]) -> Any:
        text = self.string(raw, where, f'"{domains[0]}:..."')
        try:
            pattern = self.file_pattern(text, where) if text.startswith("file:") else None
            return parse_selector(text, domains, pattern)
        except UsageError as exc:
            raise self.fail(exc.code, where, exc.message, text) from None

    def file_pattern(self, text: str, where: Path) -> str | None:
        """A ``file:`` pattern relative to the project root, as 0.3.0 normalises it."""
        parts = text.split(":", 2)
        pattern = parts[-1]
        if len(parts) < 2 or not pattern:
            return None  # the selector parser reports it
        if pattern.startswith("/"):
            root = self.root.rstrip("/") + "/"
            if not pattern.startswith(root):
                raise self.fail(ErrorCode.TRACE_FILTER_BAD_SELECTOR, where,
                                f"file selector {text!r} is outside the project root "
                                f"{self.root!r}: write a path relative to it", text)
            pattern = pattern[len(root):]
        kept: list[str] = []
        for part in pattern.split("/"):
            if part == "..":
                if not kept:
                    raise self.fail(ErrorCode.TRACE_FILTER_BAD_SELECTOR, where,
                                    f"file selector {text!r} escapes the project root: remove "
                                    "the '..'", text)
                kept.pop()
            elif part not in ("", "."):
                kept.append(part)
        return "/".join(kept) or None

    def rule(self, raw: object, index: int) -> Rule:
        where: Path = ("scope", "rules", index)
        rule = self.table(raw, where, "scope.rules")
        selector = self.selector_for(self.required(rule, "selector", where, "scope.rules"),
                                     (*where, "selector"), SCOPE_DOMAINS)
        exec_ = (self.action(rule["exec"], (*where, "exec"), EXEC_ACTIONS, True)
                 if "exec" in rule else None)
        value_default = (self.action(rule["value_default"], (*where, "value_default"),
                                     VALUE_ACTIONS, True) if "value_default" in rule else None)
        raw_patterns = rule.get("value_patterns", [])
        if not isinstance(raw_patterns, list):
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, (*where, "value_patterns"),
                            "'value_patterns' must be an array of tables "
                            "([[scope.rules.value_patterns]])")
        patterns = tuple(self.pattern(p, (*where, "value_patterns", j))
                         for j, p in enumerate(raw_patterns))
        return Rule(selector, exec_, value_default, self.optional_string(rule, "reason", where),
                    patterns, self.source, self.locator.line(where))

    def pattern(self, raw: object, where: Path) -> ValuePattern:
        kind = "scope.rules.value_patterns"
        table = self.table(raw, where, kind)
        selector = self.selector_for(self.required(table, "selector", where, kind),
                                     (*where, "selector"), VALUE_DOMAINS)
        action = self.action(self.required(table, "action", where, kind), (*where, "action"),
                             VALUE_ACTIONS, False)
        return ValuePattern(selector, action or "redact",
                            self.optional_string(table, "reason", where), self.source,
                            self.locator.line(where))

    def io(self, raw: object) -> IoSettings:
        table = self.table(raw, ("io",), "io")
        capture = table.get("capture", False)
        if not isinstance(capture, bool):
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, ("io", "capture"),
                            f"'io.capture' must be true or false (got {capture!r})")
        streams = table.get("streams", [])
        if not isinstance(streams, list) or any(s not in _IO_STREAMS for s in streams):
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, ("io", "streams"),
                            f"'io.streams' must list some of {', '.join(_IO_STREAMS)} "
                            f"(got {streams!r})")
        if capture and not streams:
            raise self.fail(ErrorCode.TRACE_FILTER_MISSING_KEY, ("io", "capture"),
                            "'io.capture = true' needs 'io.streams': add streams = "
                            "[\"stdout\", \"stderr\"]")
        if table.get("modes", []) != []:
            raise self.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, ("io", "modes"),
                            "'io.modes' is reserved and must be empty: remove it")
        return IoSettings(capture, tuple(dict.fromkeys(streams)))


def _dotted(where: Path) -> str:
    return ".".join(str(part) if isinstance(part, str) else f"[{part}]" for part in where)


def parse_text(text: str, path: str, *, source: int = 1, raw: bytes | None = None,
               inherit: tuple[bool, bool] = (True, True)) -> FilterFile:
    """``text`` (the file at ``path``) validated; ``inherit``: may each default be ``inherit``."""
    import tomllib  # here, not at the top: most runs read no filter file (start-up time)

    reader = _Reader(path, text, source, project_root_of(path))
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = toml_error_line(exc) or 1
        reason = str(exc).split(" (at line")[0]
        raise usage(ErrorCode.TRACE_FILTER_SYNTAX,
                    f"trace filter {path}:{line}: not valid TOML: {reason}") from None
    reader.table(document, (), "")
    if "meta" not in document:
        raise reader.fail(ErrorCode.TRACE_FILTER_MISSING_KEY, (),
                          "no [meta] section: add [meta] with name = \"...\" and version = 1")
    name, version, description, labels = reader.meta(document["meta"])
    if "scope" not in document:
        raise reader.fail(ErrorCode.TRACE_FILTER_MISSING_KEY, (),
                          "no [scope] section: add [scope] with default_exec = \"trace\" and "
                          "default_value_action = \"allow\"")
    scope = reader.table(document["scope"], ("scope",), "scope")
    default_exec = reader.action(reader.required(scope, "default_exec", ("scope",), "scope"),
                                 ("scope", "default_exec"), EXEC_ACTIONS, inherit[0])
    default_value = reader.action(
        reader.required(scope, "default_value_action", ("scope",), "scope"),
        ("scope", "default_value_action"), VALUE_ACTIONS, inherit[1])
    raw_rules = scope.get("rules", [])
    if not isinstance(raw_rules, list):
        raise reader.fail(ErrorCode.TRACE_FILTER_BAD_VALUE, ("scope", "rules"),
                          "'scope.rules' must be an array of tables ([[scope.rules]])")
    rules = tuple(reader.rule(rule, index) for index, rule in enumerate(raw_rules))
    io = reader.io(document["io"]) if "io" in document else None
    digest = sha256_hex(text.encode() if raw is None else raw)
    return FilterFile(path, name, version, digest, reader.root, default_exec, default_value,
                      rules, io, description, labels)


def load_file(path: str, *, source: int = 1,
              inherit: tuple[bool, bool] = (True, True)) -> FilterFile:
    """The filter file at ``path`` (made absolute), or a usage error saying why it is unusable."""
    path = os.path.abspath(os.path.expanduser(path))
    if not os.path.exists(path):
        raise usage(ErrorCode.TRACE_FILTER_NOT_FOUND, f"trace filter {path} does not exist")
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise usage(ErrorCode.TRACE_FILTER_UNREADABLE,
                    f"trace filter {path} cannot be read: {reason}") from None
    return parse_text(text, path, source=source, raw=raw, inherit=inherit)
