"""SHA-256 and BLAKE2s digests without loading OpenSSL at start-up.

Every run digests its policy and its built-in filter (SHA-256) and fingerprints its own process
for the staging directory (BLAKE2s). :mod:`hashlib` loads OpenSSL's ``_hashlib`` for that, about
3 ms of start-up on 3.12; CPython's own implementations (the modules ``hashlib`` falls back on)
give the same digests and load in microseconds. ``hashlib`` stays the fallback wherever they are
missing (3.11 names its SHA-256 module ``_sha256``; a build may leave them out).
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Callable
from typing import Any

__all__ = ["blake2s_hex", "sha256_hex"]


def _constructors() -> tuple[Callable[..., Any], Callable[..., Any]]:
    # By name: typeshed describes neither private module.
    for sha2 in ("_sha2", "_sha256"):  # 3.12+, 3.11
        with contextlib.suppress(ImportError):
            blake2s = importlib.import_module("_blake2").blake2s
            return importlib.import_module(sha2).sha256, blake2s
    import hashlib  # a build without them: hashlib decides (OpenSSL)

    return hashlib.sha256, hashlib.blake2s


_SHA256, _BLAKE2S = _constructors()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data``, as lowercase hex (as ``hashlib.sha256(data).hexdigest()``)."""
    return str(_SHA256(data).hexdigest())


def blake2s_hex(data: bytes, digest_size: int) -> str:
    """The BLAKE2s of ``data`` with ``digest_size`` bytes, as lowercase hex."""
    return str(_BLAKE2S(data, digest_size=digest_size).hexdigest())
