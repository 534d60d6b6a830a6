"""The plainest recorder of our events written in Python: the work every one of them does.

The no-op floor (:mod:`bench.helpers.noop_monitoring`) is what receiving the events costs. A
recorder must also, per event, do a little in Python: at a start or a line, find the frame and
read its variables; then make one text per event (a ``Step``, a ``Value`` per variable, a
``Call``, a ``Return``) and keep it. This helper does exactly that and nothing else:

* no value is encoded: the text of a value is made once per object id, from its id alone;
* nothing is written out: the texts go to a list that is emptied now and then;
* no shadow stack, no thread check, no filter, no error handling.

So it makes as many texts as a real recorder writes events, with less work than a real one
does: what it costs per event is what a recorder in Python pays before it records anything well.
Usage: ``python -m bench.helpers.bare_monitoring SCRIPT [ARGS...]``.
"""

from __future__ import annotations

import sys
from typing import Any

from bench.helpers.launch import run_script

_TOOL = 5  # a free id, as the no-op floor's
_KEEP = 10_000  # texts kept before the list is emptied (bounded memory, no output)
_getframe = sys._getframe
_out: list[str] = []
_texts: dict[int, str] = {}  # value text per object id: made once, never from the value itself
_prefixes: dict[str, str] = {}  # the head of a Value event per variable name


def _text(value: object) -> str:
    key = id(value)
    text = _texts.get(key)
    if text is None:
        if len(_texts) >= 4096:
            _texts.clear()
        text = _texts[key] = f'{{"kind":"Raw","r":"{key}","type_id":0}}'
    return text


def _prefix(name: str) -> str:
    prefix = _prefixes[name] = f'{{"Value":{{"variable_id":{len(_prefixes)},"value":'
    return prefix


def _step_and_values(line: int) -> None:
    batch = [f'{{"Step":{{"path_id":0,"line":{line}}}}}']
    for name, value in _getframe(2).f_locals.items():
        prefix = _prefixes.get(name) or _prefix(name)
        batch.append(f"{prefix}{_texts.get(id(value)) or _text(value)}}}}}")
    _out.extend(batch)
    if len(_out) > _KEEP:
        _out.clear()


def _start(code: Any, offset: int, *_: Any) -> None:
    _step_and_values(code.co_firstlineno)
    _out.append('{"Call":{"function_id":0,"args":[]}}')


def _line(code: Any, line: int) -> None:
    _step_and_values(line)


def _leave(code: Any, offset: int, value: object) -> None:
    _out.append(f'{{"Return":{{"return_value":{_texts.get(id(value)) or _text(value)}}}}}')


def _callbacks(events: Any) -> tuple[tuple[int, Any], ...]:
    return (
        (events.PY_START, _start), (events.PY_RESUME, _start), (events.PY_THROW, _start),
        (events.LINE, _line), (events.PY_RETURN, _leave), (events.PY_YIELD, _leave),
        (events.PY_UNWIND, _leave),
    )


def install() -> None:
    mon: Any = getattr(sys, "monitoring")  # noqa: B009 - absent on 3.11; this helper is 3.12+
    mon.use_tool_id(_TOOL, "bench-bare")
    mask = 0
    for event, callback in _callbacks(mon.events):
        mon.register_callback(_TOOL, event, callback)
        mask |= event
    mon.set_events(_TOOL, mask)


def uninstall() -> None:
    mon: Any = getattr(sys, "monitoring")  # noqa: B009
    mon.set_events(_TOOL, 0)
    for event, _ in _callbacks(mon.events):
        mon.register_callback(_TOOL, event, None)
    mon.free_tool_id(_TOOL)


if __name__ == "__main__":
    install()
    run_script(sys.argv[1:])
