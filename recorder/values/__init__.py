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
subclass of a builtin type     recorded like its base, read with the base's C methods, under the
                               subclass's name: ``Sequence`` (0, "collections.OrderedDict"),
                               ``Tuple`` (27, "pkg.Point") for a namedtuple, ``Int``/``String``
``enum.Enum`` member           ``Raw`` (16, "pkg.Colour"): ``"pkg.Colour.RED"``
object of a Python class       ``Struct`` (6, "pkg.Class") of its ``__dict__``/``__slots__`` fields
                               (the Struct type lists the field names; one type per field list)
other objects (C types)        ``Raw`` (16, type name): ``<function f at 0x..>``, ``<class 'x.C'>``,
                               ``<module 'm'>``, else ``<pkg.Type object at 0x..>``
``--value-repr repr`` mode     objects above by ``repr(value)``: ``Raw`` (16, "Object") cut to
                               ``max_text``; ``Error`` ``"<repr failed: ValueError>"`` if it raised
secret name or dict key        ``Error`` (24, "Error") ``"<redacted>"``
============================== ====================================================================

No program code runs to record a value in the default ``safe`` mode
(:mod:`recorder.values.structural`): subclasses are read with their base type's own C methods
(never their ``__len__``/``__iter__``/``items`` overrides), objects through the ``__dict__`` and
slot descriptors CPython installs (never a property, ``__getattr__`` or ``__getattribute__``), and
``repr``/``__eq__``/``__hash__`` of program objects are never called. ``__class__`` is never
consulted: types come from ``type()``. A struct field counts against the same depth, element and
node budgets as a container element; a secret-looking field name is redacted like a variable.

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
