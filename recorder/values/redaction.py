"""Secret-looking names: which variables and dict keys are recorded as ``<redacted>``.

A trace must not leak credentials (issue 3, item 4), so values whose *name* looks like a secret are
replaced by an ``Error`` record before they are encoded. The rule works on name *parts*, not on
substrings, so ``user_password`` and ``apiToken`` are secrets while ``tokenizer``, ``author`` and
``keyboard`` are not:

1. The name is split into parts at underscores, hyphens, dots, spaces, digits and camelCase
   boundaries (``APIKey`` -> ``api``, ``key``), and lower-cased.
2. It is a secret when one part is a secret word (``password``, ``token``, ``secret``, ...) or two
   adjacent parts join into one (``api`` + ``key`` -> ``apikey``, ``session`` + ``id``).

Plural ``tokens`` is deliberately *not* a secret word: it almost always names a lexer's token
list, and hiding it would make parsers impossible to debug. ``key`` alone is not a secret either
(it is the usual loop variable over a dict). Results are cached: names repeat at every step.
"""

from __future__ import annotations

import re
from itertools import pairwise

__all__ = ["SECRET_PAIRS", "SECRET_WORDS", "is_secret_key", "is_secret_name", "name_parts"]

#: Parts that make a name secret on their own (compared lower-case, as whole parts).
SECRET_WORDS = frozenset({
    "password", "passwords", "passwd", "pwd", "passphrase", "secret", "secrets", "token",
    "apikey", "accesskey", "secretkey", "privatekey", "sessionkey", "sessionid", "authtoken",
    "accesstoken", "refreshtoken", "credential", "credentials", "creds", "auth", "authorization",
    "cookie", "cookies", "jwt", "bearer", "signature",
})

#: Adjacent part pairs, joined, that are secret although neither part is (``api_key``).
SECRET_PAIRS = frozenset({
    "apikey", "accesskey", "secretkey", "privatekey", "sessionkey", "sessionid", "signingkey",
    "encryptionkey", "clientkey", "masterkey",
})

# One part: an acronym before a capitalised word (the "API" of "APIKey"), a capitalised or
# lower-case word, an all-caps run. Digits and other characters separate parts.
_PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")

_CACHE: dict[str, bool] = {}
_CACHE_MAX = 8192


def name_parts(name: str) -> list[str]:
    """The lower-cased parts of ``name`` as the secret rule sees them."""
    return [part.lower() for part in _PART.findall(name)]


def _classify(name: str) -> bool:
    parts = name_parts(name)
    if any(part in SECRET_WORDS for part in parts):
        return True
    return any(a + b in SECRET_PAIRS for a, b in pairwise(parts))


def is_secret_name(name: str) -> bool:
    """True when a variable or dict key called ``name`` must not have its value recorded."""
    cached = _CACHE.get(name)
    if cached is not None:
        return cached
    result = _classify(name)
    if len(_CACHE) >= _CACHE_MAX:
        # Bounded memory for programs that build names dynamically (dict keys from data).
        _CACHE.clear()
    _CACHE[name] = result
    return result


def is_secret_key(key: object) -> bool:
    """True for a dict key that is a ``str`` (or str subclass) with a secret-looking name."""
    if type(key) is str:
        return is_secret_name(key)
    # issubclass on the real type, not isinstance: isinstance falls back to key.__class__. The
    # subclass is copied by str.__str__ so its own __hash__/__eq__ never run in the cache lookup.
    if issubclass(type(key), str):
        return is_secret_name(str.__str__(key))
    return False
