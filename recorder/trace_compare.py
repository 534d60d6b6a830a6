"""Traces in a form two runs of one program can be compared in: what varies between runs masked.

Used by the golden tests (a run against the committed golden) and by the benchmark's content
parity check (a run of this recorder against a run of an older commit). What is masked:

* the directory the program ran from (``root``, replaced by a placeholder);
* object addresses (``0x...`` in reprs) and a thread's state and ident in its repr;
* the fields of objects another thread moves on under the recorder's feet (:data:`RACY_TYPES`:
  their ``Struct`` values keep only the type);
* with thread events, the interleaving: :func:`deinterleave` gives each thread's events on its
  own, ids replaced by what they declare (ids are numbered in order of first use, which depends
  on the interleaving), the thread number and frame id of output events masked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import ClassVar

__all__ = ["RACY_TYPES", "deinterleave", "mask_text", "normalise"]

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
# A thread's repr shows its state and ident; the state at a given step is a race with the thread.
_THREAD = re.compile(r"<Thread\(([^,]+), [^)]*\)>")
#: Objects whose fields change under the recorder's feet (another thread moves them on).
RACY_TYPES = frozenset({"threading.Thread", "threading._MainThread",
                        "concurrent.futures.thread.ThreadPoolExecutor"})
_THREAD_EVENTS = ("ThreadStart", "ThreadSwitch", "ThreadExit")


def mask_text(text: str, root: str, placeholder: str = "<ROOT>") -> str:
    """``text`` with ``root``, addresses and thread states masked."""
    text = text.replace(root, placeholder) if root else text
    text = _ADDRESS.sub("0xADDR", text)
    return _THREAD.sub(r"<Thread(\1, STATE)>", text)


def normalise(
    events: Sequence[dict[str, object]], root: str, placeholder: str = "<ROOT>",
) -> list[str]:
    """One masked line per event; per thread (:func:`deinterleave`) when there are threads."""
    if any(name in event for event in events for name in _THREAD_EVENTS):
        return [mask_text(line, root, placeholder) for line in deinterleave(events)]
    lines: list[str] = []
    types = 0
    racy: set[int] = set()
    for event in events:
        body = event.get("Type")
        if isinstance(body, dict):
            if body.get("lang_type") in RACY_TYPES:
                racy.add(types)
            types += 1
        masked = _mask_racy(event, racy) if racy else event
        lines.append(mask_text(json.dumps(masked, ensure_ascii=False), root, placeholder))
    return lines


def _mask_racy(record: object, racy: set[int]) -> object:
    if isinstance(record, dict):
        if record.get("kind") == "Struct" and record.get("type_id") in racy:
            return {"kind": "Struct", "field_values": "<racy>", "type_id": record["type_id"]}
        return {k: _mask_racy(v, racy) for k, v in record.items()}
    if isinstance(record, list):
        return [_mask_racy(v, racy) for v in record]
    return record


class _Names:
    """The declarations seen so far, to replace ids (interleaving-dependent) by names."""

    _KEYS: ClassVar[dict[str, str]] = {
        "type_id": "Type", "variable_id": "VariableName", "function_id": "Function",
        "path_id": "Path",
    }

    def __init__(self) -> None:
        self.table: dict[str, list[str]] = {name: [] for name in self._KEYS.values()}

    def declare(self, name: str, body: object) -> bool:
        if name not in self.table:
            return False
        if name == "Function" and isinstance(body, dict):
            where = self.table["Path"][int(body["path_id"])]
            self.table[name].append(f"{body['name']}@{where}:{body['line']}")
        elif name == "Type" and isinstance(body, dict):
            self.table[name].append(str(body["lang_type"]))
        else:
            self.table[name].append(str(body))
        return True

    def resolve(self, value: object) -> object:
        if isinstance(value, dict):
            out: dict[str, object] = {}
            for key, item in value.items():
                if key in self._KEYS:  # path_id is null in fd-captured output (no path known)
                    declared = self.table[self._KEYS[key]]
                    out[key[: -len("_id")]] = declared[item] if isinstance(item, int) else None
                else:
                    out[key] = self.resolve(item)
            if out.get("kind") == "Struct" and out.get("type") in RACY_TYPES:
                out["field_values"] = "<racy>"
            return out
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value


def deinterleave(events: Sequence[dict[str, object]]) -> list[str]:
    """Each thread's events on its own, ids replaced by what they declare.

    Thread 1 (the one that started tracing) comes first; the other threads follow sorted by
    their content (which worker ran which task is a race). An output event's thread number and
    frame id (both in order of first events) are masked, and two events of one write sequence
    that another thread's event split are joined again.
    """
    names = _Names()
    threads: dict[int, list[str]] = {1: []}
    pending: dict[int, dict[str, object]] = {}  # each thread's last event, when an output Event
    current = 1
    for event in events:
        ((name, body),) = event.items()
        if names.declare(name, body):
            continue
        if name in ("ThreadStart", "ThreadSwitch") and isinstance(body, int):
            current = body
            threads.setdefault(current, [])
            continue
        if name == "ThreadExit":
            threads[current].append("ThreadExit")
            continue
        if name == "Event" and isinstance(body, dict):
            meta = json.loads(str(body["metadata"]))
            meta["thread"], meta["frame_id"] = "ThreadId(N)", "N"
            body = {**body, "metadata": meta}
            last = pending.get(current)
            if last is not None and last["kind"] == body["kind"]:
                body = {**body, "content": str(last["content"]) + str(body["content"])}
                threads[current].pop()
            pending[current] = body
        else:
            pending.pop(current, None)
        threads[current].append(json.dumps(names.resolve({name: body}), ensure_ascii=False))
    others = sorted("\n".join(lines) for number, lines in threads.items() if number != 1)
    out = ["== thread 1 ==", *threads[1]]
    for text in others:
        out += ["== thread ==", *text.splitlines()]
    return out
