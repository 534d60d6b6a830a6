"""Our built-in filter: what is traced and redacted when no filter file says otherwise.

It is filter 0 of every chain, recorded in the metadata as 0.3.0 records its own
(``builtin-default``, path ``<inline:builtin-default>``). Its rules, in order:

1. skip the standard library and installed packages (site-packages, dist-packages, the user
   site): the program's own code is what a trace is for. 0.3.0 traces site-packages (2.1 GB for
   a 5-test pytest run); ours does not unless a rule says ``exec = "trace"`` (first documented
   difference);
2. ``--include GLOB``: trace files whose absolute path matches (``fnmatch``, as before);
3. ``--exclude GLOB``: skip files whose absolute path matches (after includes: exclude wins);
4. redact secret-looking names in every value domain, by name *parts*
   (:mod:`recorder.values.redaction`): ``api_key`` and ``userPassword`` are secrets, ``tokenizer``
   and ``author`` are not (0.3.0's substring regex redacts both). These redactions are a floor
   (:mod:`recorder.filters.chain`): only a user pattern that allows the name explicitly lifts
   them (second documented difference).

Rules 1-3 match the absolute path (domain ``abspath``) and rule 4 every scope (domain ``any``):
internal domains that filter files cannot spell. The recorder's own code and code without a
source file are never traced, whatever any filter says (:mod:`recorder.filters.scopes`).
"""

from __future__ import annotations

import contextlib
import os
import site
import sys
import sysconfig
from collections.abc import Callable, Iterable, Sequence
from fnmatch import fnmatchcase

from recorder.filters.model import BUILTIN_PATH, FilterFile, Rule, ValuePattern
from recorder.filters.selectors import VALUE_DOMAINS, Selector
from recorder.hashing import sha256_hex
from recorder.values.redaction import is_secret_name

__all__ = ["builtin_filter", "default_excluded_roots", "normalise"]


def normalise(path: str) -> str:
    """The absolute, real, case-normalised form of ``path`` that built-in rules match."""
    return os.path.normcase(os.path.realpath(path))


def default_excluded_roots() -> tuple[str, ...]:
    """Directories whose code is skipped by default (each ends with a separator)."""
    roots: set[str] = set()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(path)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        roots.add(sysconfig.get_path("stdlib", vars={"base": prefix, "installed_base": prefix}))
    # Some embedded/virtualenv site modules lack getsitepackages.
    with contextlib.suppress(AttributeError):
        roots.update(site.getsitepackages())
    user_site = site.getusersitepackages() if site.ENABLE_USER_SITE else None
    if isinstance(user_site, str):
        roots.add(user_site)
    return tuple(sorted({normalise(root).rstrip(os.sep) + os.sep for root in roots if root}))


def _internal(domain: str, raw: str, matches: Callable[[str], bool]) -> Selector:
    return Selector(raw, domain, "internal", raw, matches)


def _glob_rule(pattern: str, exec_: str, reason: str) -> Rule:
    selector = _internal("abspath", f"abspath:fnmatch:{pattern}",
                         lambda path: fnmatchcase(path, pattern))
    return Rule(selector, exec_, reason=reason)


def builtin_filter(
    include: Sequence[str] = (), exclude: Sequence[str] = (), *,
    excluded_roots: Iterable[str] | None = None, redact_secrets: bool = True,
) -> FilterFile:
    """The built-in filter for these ``--include``/``--exclude`` globs (see the docstring)."""
    roots = default_excluded_roots() if excluded_roots is None else tuple(
        normalise(root).rstrip(os.sep) + os.sep for root in excluded_roots)
    rules = [Rule(_internal("abspath", "abspath:library-roots", lambda p: p.startswith(roots)),
                  "skip", reason="the standard library and installed packages")]
    rules += [_glob_rule(g, "trace", "--include") for g in include]
    rules += [_glob_rule(g, "skip", "--exclude") for g in exclude]
    if redact_secrets:
        patterns = tuple(
            ValuePattern(_internal(domain, f"{domain}:name-parts:secret", is_secret_name),
                         "redact", "secret-looking name")
            for domain in VALUE_DOMAINS)
        rules.append(Rule(_internal("any", "any:*", lambda _: True), patterns=patterns,
                          reason="redact secret-looking names"))
    # The digest identifies the configuration (as 0.3.0's digests its built-in file's text).
    # Library roots are left out: they differ between machines, the configuration does not.
    text = repr(("builtin-default", 1, tuple(include), tuple(exclude), redact_secrets))
    return FilterFile(BUILTIN_PATH, "builtin-default", 1,
                      sha256_hex(text.encode()), "", "trace", "allow",
                      tuple(rules), None, "ours: skip libraries, --include/--exclude, secrets",
                      ("builtin", "default"))
