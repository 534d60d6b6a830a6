"""The compiled filter chain: per code object a scope decision, per name a value action.

Precedence is 0.3.0's. The chain starts from the last ``[scope]`` defaults; for a code object
every matching rule applies in order: the last one that sets ``exec`` / ``value_default`` wins and
the last matching rule's ``value_patterns`` replace earlier ones (also when empty); within those
patterns the first one of the value's domain that matches wins, else the value default. As in
0.3.0, when the value default is ``drop``, patterns from files before the one that set it are
ignored (a later ``drop`` file is not undone by the built-in patterns).

One difference, on the side of safety: the built-in filter's redactions are a floor. A name that a
built-in pattern (source 0) redacts or drops keeps that action whenever the user's resolution
would ``allow`` it, unless a user pattern matched the name with ``allow`` explicitly.

:meth:`FilterChain.decide` is computed once per code object and cached; a
:class:`ValuePolicy` answers ``action(kind, name)`` from a dict after the first time.
"""

from __future__ import annotations

from collections.abc import Sequence

from recorder.filters.model import FilterFile, Rule, ValuePattern
from recorder.structs import field, struct

__all__ = ["KINDS", "FilterChain", "FilterStats", "ScopeContext", "ScopeDecision", "ValuePolicy"]

#: Value kinds: the selector domain and the label 0.3.0's metadata counters use.
KINDS = {"arg": "argument", "local": "local", "global": "global", "ret": "return",
         "attr": "attribute"}
_CACHE_MAX = 4096
_STRICTNESS = {"allow": 0, "redact": 1, "drop": 2}


@struct()
class FilterStats:
    """The counters of the metadata's ``trace_filter.stats``."""

    scopes_skipped: int = 0
    redactions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    drops: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def to_json(self) -> dict[str, object]:
        return {"scopes_skipped": self.scopes_skipped,
                "value_redactions": {KINDS[k]: n for k, n in self.redactions.items()},
                "value_drops": {KINDS[k]: n for k, n in self.drops.items()}}


@struct(frozen=True)
class ScopeContext:
    """What scope selectors match: ``pkg`` module, ``obj`` object and ``file`` path names.

    ``abspath`` (the normalised absolute path) is for the built-in filter's internal rules.
    """

    module: str | None
    object: str | None
    path: str | None
    abspath: str = ""


class ValuePolicy:
    """The value actions of one scope (shared by every code object that resolves the same way)."""

    __slots__ = ("_cache", "attr_action", "default", "floor", "module_prefixes", "patterns",
                 "prefixes", "stats")

    def __init__(self, default: str, patterns: Sequence[ValuePattern],
                 floor: Sequence[ValuePattern], stats: FilterStats) -> None:
        self.default = default
        self.patterns = tuple(patterns)
        self.floor = tuple(floor)
        self.stats = stats
        self._cache: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        #: The recorder's per-name ``Value`` event prefixes in this policy's scopes (function
        #: frames, module frames): "" marks a name that is not allowed (see recorder.tracing).
        self.prefixes: dict[str, str] = {}
        self.module_prefixes: dict[str, str] = {}
        #: :meth:`attr`, bound once: the recorder hands it to the encoder at every step.
        self.attr_action = self.attr

    def action(self, kind: str, name: str) -> str:
        """``"allow"``, ``"redact"`` or ``"drop"`` for the value ``name`` of domain ``kind``."""
        cache = self._cache[kind]
        found = cache.get(name)
        if found is None:
            if len(cache) >= _CACHE_MAX:
                cache.clear()  # bounded memory for names built from data (dict keys)
            found = cache[name] = self._decide(kind, name)
        return found

    def _decide(self, kind: str, name: str) -> str:
        chosen: ValuePattern | None = None
        for pattern in self.patterns:
            if pattern.selector.domain == kind and pattern.selector.matches(name):
                chosen = pattern
                break
        action = self.default if chosen is None else chosen.action
        if action != "allow" or (chosen is not None and chosen.source > 0):
            return action
        for pattern in self.floor:
            if pattern.selector.domain == kind and pattern.selector.matches(name):
                return pattern.action
        return action

    def variable(self, name: str, module: bool) -> tuple[str, str]:
        """``(kind, action)`` of a frame's variable; a module's are locals and globals both.

        0.3.0 records a module's variables as locals, and a ``global`` pattern means them too:
        the stricter action wins (drop over redact over allow), so neither kind of pattern leaks.
        """
        action = self.action("local", name)
        if module:
            other = self.action("global", name)
            if _STRICTNESS[other] > _STRICTNESS[action]:
                return "global", other
        return "local", action

    def attr(self, name: str) -> str:
        """The action for an object field ``name``, counted (the encoder's ``attr_action``)."""
        action = self.action("attr", name)
        if action != "allow":
            self.count("attr", action)
        return action

    def count(self, kind: str, action: str) -> None:
        """Count one redacted or dropped value of ``kind`` in the stats."""
        counters = self.stats.redactions if action == "redact" else self.stats.drops
        counters[kind] += 1

    @property
    def allows_everything(self) -> bool:
        """True when no name of any kind can be redacted or dropped (the hot path skips lookups)."""
        return self.default == "allow" and not any(
            p.action != "allow" for p in self.patterns + self.floor)


@struct(frozen=True)
class ScopeDecision:
    """Whether a code object is traced, and the value actions inside it."""

    traced: bool
    values: ValuePolicy
    object: str | None
    #: False for code no filter can trace (the recorder's own, no source file): not counted.
    filtered: bool = True


class FilterChain:
    """The filter files in loading order (0: the built-in filter), compiled."""

    def __init__(self, files: Sequence[FilterFile]) -> None:
        self.files = tuple(files)
        self.stats = FilterStats()
        self.default_exec = "trace"
        self.default_value = "allow"
        self.default_source = 0
        for index, item in enumerate(self.files):
            if item.default_exec is not None:
                self.default_exec = item.default_exec
            if item.default_value_action is not None:
                self.default_value, self.default_source = item.default_value_action, index
        self.rules: tuple[Rule, ...] = tuple(r for item in self.files for r in item.rules)
        self.roots = tuple(item.project_root for item in self.files[1:])
        self._policies: dict[tuple[object, ...], ValuePolicy] = {}

    def resolve(self, context: ScopeContext) -> ScopeDecision:
        """The decision for a scope described by ``context`` (uncached: see the backends)."""
        exec_, value, value_source = self.default_exec, self.default_value, self.default_source
        patterns: tuple[ValuePattern, ...] = ()
        floor: list[ValuePattern] = []
        for rule in self.rules:
            if not _matches(rule, context):
                continue
            if rule.exec is not None:
                exec_ = rule.exec
            if rule.value_default is not None:
                value, value_source = rule.value_default, rule.source
            patterns = rule.patterns
            if rule.source == 0:
                floor.extend(p for p in rule.patterns if p.action != "allow")
        if value == "drop":
            patterns = tuple(p for p in patterns if p.source >= value_source)
        key = (value, patterns, tuple(floor))
        policy = self._policies.get(key)
        if policy is None:
            policy = self._policies[key] = ValuePolicy(value, patterns, floor, self.stats)
        return ScopeDecision(exec_ == "trace", policy, context.object)

    def summary(self) -> dict[str, object]:
        """The metadata's ``trace_filter`` object (0.3.0's keys)."""
        return {"filters": [item.summary() for item in self.files],
                "stats": self.stats.to_json()}


def _matches(rule: Rule, context: ScopeContext) -> bool:
    domain = rule.selector.domain
    if domain == "any":  # the built-in filter's rules that hold for every scope
        return True
    if domain == "abspath":
        return rule.selector.matches(context.abspath)
    candidate = (context.module if domain == "pkg" else context.object if domain == "obj"
                 else context.path)
    return candidate is not None and rule.selector.matches(candidate)
