"""The text of every CodeTracer trace event, in one place (``docs/trace-format.md``).

Events are built with string templates, not ``json.dumps`` per event: every number is an ``int``
formatted by Python, every string goes through :func:`json_string` (``json``'s C escaper), and
value records arrive as already-valid JSON text (:mod:`recorder.tracing.valuejson`). The
templates (``STEP % (path_id, line)``) are what the hot paths use; the functions are for the rest.
Both the trace writer and the frame recorder format events only through this module.
"""

from __future__ import annotations

import json

from recorder.values.text import utf8_safe

__all__ = [
    "ARG_HEAD",
    "ARG_VALUE_HEAD",
    "CALL_HEAD",
    "CALL_TAIL",
    "NONE_VALUE",
    "RETURN_HEAD",
    "RETURN_TAIL",
    "STEP",
    "VALUE_PREFIX",
    "VALUE_SUFFIX",
    "call",
    "function",
    "io",
    "io_unattributed",
    "json_string",
    "path",
    "ret",
    "struct_type_decl",
    "thread_exit",
    "thread_start",
    "thread_switch",
    "type_decl",
    "value",
    "variable_name",
]

_escape = json.encoder.encode_basestring  # C-accelerated; keeps non-ASCII as is (UTF-8 file)

#: The ValueRecord of ``None``: type id 0 is always None (format rule 2).
NONE_VALUE = '{"kind":"None","type_id":0}'
#: ``STEP % (path_id, line)``
STEP = '{"Step":{"path_id":%d,"line":%d}}'
#: ``VALUE_PREFIX % variable_id + value_json + VALUE_SUFFIX`` is a ``Value`` event.
VALUE_PREFIX = '{"Value":{"variable_id":%d,"value":'
VALUE_SUFFIX = "}}"
#: ``ARG_HEAD % variable_id + value_json + "}"``: one argument of a ``Call``.
ARG_HEAD = '{"variable_id":%d,"value":'
#: ``ARG_VALUE_HEAD + arg + "}"``: the ``Value`` event that declares an argument before its
#: ``Call`` (the argument's object as it is).
ARG_VALUE_HEAD = '{"Value":'
#: ``CALL_HEAD % function_id + args_json + CALL_TAIL`` is a ``Call`` event.
CALL_HEAD = '{"Call":{"function_id":%d,"args":['
CALL_TAIL = "]}}"
#: ``RETURN_HEAD + value_json + RETURN_TAIL`` is a ``Return`` event.
RETURN_HEAD = '{"Return":{"return_value":'
RETURN_TAIL = "}}"


def json_string(text: str) -> str:
    """``text`` as a JSON string literal that encodes to valid UTF-8 (lone surrogates escaped)."""
    return _escape(utf8_safe(text))


def path(name: str) -> str:
    return '{"Path":' + json_string(name) + "}"


def function(path_id: int, line: int, name: str) -> str:
    return f'{{"Function":{{"path_id":{path_id},"line":{line},"name":{json_string(name)}}}}}'


def type_decl(kind: int, lang_type: str) -> str:
    return (f'{{"Type":{{"kind":{int(kind)},"lang_type":{json_string(lang_type)},'
            '"specific_info":{"kind":"None"}}}')


def struct_type_decl(lang_type: str, fields: list[tuple[str, int]]) -> str:
    """A ``Type`` of kind 6 (Struct) declaring its field names in order (and their types)."""
    listed = ",".join(f'{{"name":{json_string(name)},"type_id":{tid}}}' for name, tid in fields)
    return (f'{{"Type":{{"kind":6,"lang_type":{json_string(lang_type)},'
            f'"specific_info":{{"kind":"Struct","fields":[{listed}]}}}}}}')


def variable_name(name: str) -> str:
    return '{"VariableName":' + json_string(name) + "}"


def value(variable_id: int, value_json: str) -> str:
    return VALUE_PREFIX % variable_id + value_json + VALUE_SUFFIX


def call(function_id: int, args_json: str) -> str:
    """``args_json``: the comma-joined :data:`ARG` objects."""
    return CALL_HEAD % function_id + args_json + CALL_TAIL


def ret(value_json: str) -> str:
    return RETURN_HEAD + value_json + RETURN_TAIL


def io_unattributed(kind: int, stream: str, content: str) -> str:
    """An ``Event`` read from file descriptor 1 or 2: no thread, path, line or frame is known.

    ``flags`` holds ``"mirror"``, the label ``codetracer-python-recorder`` gives such output.
    """
    flags = '["newline","mirror"]' if content.endswith("\n") else '["mirror"]'
    metadata = (f'{{"stream":"{stream}","thread":null,"path_id":null,"line":null,'
                f'"frame_id":null,"flags":{flags}}}')
    return (f'{{"Event":{{"kind":{kind},"metadata":{_escape(metadata)},'
            f'"content":{json_string(content)}}}}}')


def io(
    kind: int, stream: str, content: str, path_id: int, line: int, frame_id: int, thread: int = 1,
) -> str:
    """An ``Event``: a write to stdout (kind 0) or stderr (kind 2), or a stdin read (kind 3).

    ``thread`` is the writing thread's trace number (the number of its ``ThreadStart``).
    """
    flags = '["newline"]' if content.endswith("\n") else "[]"
    metadata = (
        f'{{"stream":"{stream}","thread":"ThreadId({thread})","path_id":{path_id},'
        f'"line":{line},"frame_id":{frame_id},"flags":{flags}}}'
    )
    return (f'{{"Event":{{"kind":{kind},"metadata":{_escape(metadata)},'
            f'"content":{json_string(content)}}}}}')


# The thread events of runtime_tracing 0.15 (``ThreadId`` is a newtype: its JSON is the number).


def thread_start(number: int) -> str:
    return f'{{"ThreadStart":{number}}}'


def thread_switch(number: int) -> str:
    return f'{{"ThreadSwitch":{number}}}'


def thread_exit(number: int) -> str:
    return f'{{"ThreadExit":{number}}}'
