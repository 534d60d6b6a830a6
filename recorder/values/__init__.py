"""Value encoding for CodeTracer traces: Python objects -> ValueRecord dicts, bounded and safe.

Public interface (used by the trace writer and the tracing backends)::

    from recorder.values import ValueEncoder, EncodeLimits, TypeTable, is_secret_name
    enc = ValueEncoder(types, EncodeLimits(), redact_secrets=True, on_failure=None)
    enc.encode(value)                 # -> {"kind": ..., ..., "type_id": ...}; never raises
    enc.encode_variable(name, value)  # same, but secret-looking names give "<redacted>"
    enc.failures                      # values that could not be captured, for metrics

How each value is encoded (``(kind, lang_type)`` is the key passed to ``TypeTable.type_id``):

============================== ====================================================================
value (exact type)             record
============================== ====================================================================
``None``                       ``None`` with type id 0 (the writer declares it first)
``bool``                       ``Bool`` (12, "Bool"); checked before ``int``
``int`` in signed 64-bit       ``Int`` (7, "Int")
larger ``int``                 ``Raw`` (16, "BigInt"): exact decimal text if it fits ``max_text``,
                               else ``"123…789 <10000 digits>"`` (leading/trailing digits and exact
                               digit count); above 2**20 bits ``"<int of N bits>"``
``float``                      ``Float`` (8, "Float"), exact (JSON round-trips it, ``-0.0`` too);
                               NaN/inf as ``Raw`` (16, "SpecialFloat"): ``nan``, ``inf``, ``-inf``
``str`` and str subclasses     ``String`` (9, "String"); subclasses copied with ``str.__str__``
``list``                       ``Sequence`` (0, "List")
``tuple``                      ``Tuple`` (27, "Tuple")
``dict``                       ``Sequence`` (0, "Dict") of 2-element ``Tuple`` (key, value) records
``set`` / ``frozenset``        ``Sequence`` (0, "Set") / (0, "FrozenSet"); sorted when all elements
                               are exact ``str`` or exact numbers (stable across PYTHONHASHSEED)
``bytes`` / ``bytearray``      ``Raw`` (16, "Bytes"): ``repr`` of at most ``max_text`` bytes
anything else                  ``Raw`` (16, "Object"): ``repr(value)`` cut to ``max_text``
``repr`` raised                ``Error`` (24, "Error") ``"<repr failed: ValueError>"``
secret name or dict key        ``Error`` (24, "Error") ``"<redacted>"``
============================== ====================================================================

Subclasses of the containers (``OrderedDict``, ``defaultdict``, namedtuples, user lists) are *not*
expanded: they go through ``repr`` like any object, because expanding them would call their
possibly overridden ``__len__``/``__iter__``. Only the builtin types above are walked, and only with
C-level operations. ``__getattr__``/``__class__`` are never consulted: types come from ``type()``.

Markers (what was cut is always visible, and every marker is a schema-valid record):

* more elements than ``max_elements`` (or the ``max_nodes`` budget ran out): a trailing element
  ``Raw`` (16, "Truncated") ``"<… 936 more>"``;
* a container deeper than ``max_depth``: ``Raw`` (16, "Truncated") ``"<… list of 12>"``;
* a container that contains itself (directly or not): ``Raw`` (16, "Cycle") ``"<cycle: list>"``
  for the back-reference (a container shared twice but not cyclic is encoded both times);
* text longer than ``max_text`` characters: the first ``max_text`` characters then
  ``"… <+4000 chars>"`` (for bytes ``"… <5000 bytes>"``); the record kind is unchanged.

Lone surrogates in text are escaped (``\\ud800`` as text) so the trace stays valid UTF-8 JSON.

Failures (each counted in ``encoder.failures`` and, except the last, reported to ``on_failure``):
``"<repr failed: ValueError>"`` for the one element whose ``repr`` raised (the rest of its container
is kept); ``"<encoding failed: X>"`` when anything else went wrong for the value as a whole;
``"<no stack left to encode>"`` when the program sits at the recursion limit and the encoder has no
frames left (a ``None`` record if the ``Error`` type was never declared: declaring it needs a call).
Redactions and truncations are not failures. Errors of ``TypeTable.type_id`` propagate as
``RecorderError`` (they are writer failures); ``KeyboardInterrupt`` and ``SystemExit`` raised by a
user ``__repr__`` propagate too (they belong to the program).
"""

from recorder.values.encoder import ValueEncoder
from recorder.values.limits import MARKER_SLACK, EncodeLimits
from recorder.values.records import Record, TypeTable
from recorder.values.redaction import is_secret_name

__all__ = ["MARKER_SLACK", "EncodeLimits", "Record", "TypeTable", "ValueEncoder", "is_secret_name"]
