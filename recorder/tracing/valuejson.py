"""Values as JSON text, fast: the bridge between the value encoder and the trace writer.

Every visible variable is encoded at every line step, so this is the hottest code of the recorder.
The common scalars (exact ``None``/``bool``/``int`` in i64 range/finite ``float``/short ASCII
``str``) are formatted straight to JSON text here, producing exactly the record
:class:`recorder.values.encoder.ValueEncoder` would produce (a test compares both); everything else
goes through the encoder (limits, cycles, redaction, ``repr`` containment) and one C-accelerated
``json`` serialisation of the record dict.
"""

from __future__ import annotations

import json
from typing import Any

from recorder.trace_writer import NONE_VALUE, TraceWriter
from recorder.values.encoder import ValueEncoder
from recorder.values.limits import EncodeLimits
from recorder.values.redaction import is_secret_name

__all__ = ["ValueJson"]

_I64_MIN, _I64_MAX = -(2**63), 2**63 - 1
_CACHE_SIZE = 4096
_escape = json.encoder.encode_basestring
# The encoder's records hold only JSON-ready data (NaN/inf are Raw text), so no checks are needed.
_dumps = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False
).encode


class ValueJson:
    """Encodes values (and variables, with redaction by name) to ValueRecord JSON text."""

    def __init__(
        self, writer: TraceWriter, limits: EncodeLimits | None = None, redact_secrets: bool = True
    ) -> None:
        self.limits = limits or EncodeLimits()
        self.encoder = ValueEncoder(writer, self.limits, redact_secrets)
        self._writer = writer
        self._redact = redact_secrets
        self._max_text = self.limits.max_text
        self._t_int = self._t_bool = self._t_float = self._t_str = -1
        self._secret: dict[str, bool] = {}
        #: JSON of recently seen exact ``int``/``str`` values (immutable, so safe to reuse). Only
        #: exact ints and strs are stored, and an int never equals a str, so one dict serves both.
        self.cache: dict[object, str] = {}

    def _remember(self, value: object, record: str) -> None:
        cache = self.cache
        if len(cache) >= _CACHE_SIZE:
            cache.clear()  # bounded memory: values vary without end in some programs
        cache[value] = record

    def is_secret(self, name: str) -> bool:
        """Whether the variable ``name`` is recorded redacted (cached per name)."""
        secret = self._secret.get(name)
        if secret is None:
            secret = self._secret[name] = self._redact and is_secret_name(name)
        return secret

    def variable(self, name: str, value: object) -> str:
        """The record of variable ``name`` holding ``value`` (redacted when the name is secret)."""
        if self._redact and self.is_secret(name):
            return _dumps(self.encoder.encode_variable(name, value))
        return self.value(value)

    def value(self, value: Any) -> str:
        """The record of ``value``; never raises for a value (only for an output failure)."""
        cls = type(value)
        if cls is int:
            if _I64_MIN <= value <= _I64_MAX:
                record = self.cache.get(value)
                if record is None:
                    tid = self._t_int
                    if tid < 0:
                        tid = self._t_int = self._writer.type_id(7, "Int")
                    record = f'{{"kind":"Int","i":{int.__repr__(value)},"type_id":{tid}}}'
                    self._remember(value, record)
                return record
        elif cls is str:
            if len(value) <= self._max_text and value.isascii():
                record = self.cache.get(value)
                if record is None:
                    tid = self._t_str
                    if tid < 0:
                        tid = self._t_str = self._writer.type_id(9, "String")
                    record = f'{{"kind":"String","text":{_escape(value)},"type_id":{tid}}}'
                    self._remember(value, record)
                return record
        elif value is None:
            return NONE_VALUE
        elif cls is bool:
            tid = self._t_bool
            if tid < 0:
                tid = self._t_bool = self._writer.type_id(12, "Bool")
            return f'{{"kind":"Bool","b":{"true" if value else "false"},"type_id":{tid}}}'
        elif cls is float and value - value == 0.0:
            tid = self._t_float
            if tid < 0:
                tid = self._t_float = self._writer.type_id(8, "Float")
            return f'{{"kind":"Float","f":{float.__repr__(value)},"type_id":{tid}}}'
        return _dumps(self.encoder.encode(value))
