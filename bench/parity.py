"""Content parity: two traces of one program compared after masking only run-dependent fields.

What differs between two runs of the same recorder on the same program, and is masked (the same
normalisation the recorder's golden tests apply, ``tests/recording/recording_support.py``):

* the absolute path of the directory the programs ran from (``<ROOT>``);
* object addresses in reprs (``0x7f...`` -> ``0xADDR``);
* a thread's state and ident in its repr (``<Thread(name, started 1403...)>``);
* the fields of thread and thread-pool objects (another thread moves them on while a step is
  recorded): their ``Struct`` values keep only their type;
* with several threads, how their events interleave: each thread's events are compared on their
  own with ids (paths, functions, types, variable names) replaced by what they name, threads other
  than the first sorted by content, and an I/O event's thread number and frame id masked.

Times, pids, run and trace ids only appear in ``trace_metadata.json``, which is not compared.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

MASKED_FIELDS: tuple[str, ...] = (
    "absolute path of the programs' directory",
    "object addresses in reprs (`0x...`)",
    "thread state and ident in thread reprs",
    "field values of `threading.Thread`, `threading._MainThread` and "
    "`ThreadPoolExecutor` objects (type kept)",
    "the interleaving of threads (each thread compared on its own, ids resolved to names), "
    "and the thread number and frame id of I/O events",
)

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
_THREAD = re.compile(r"<Thread\(([^,]+), [^)]*\)>")
_RACY_TYPES = frozenset(
    {"threading.Thread", "threading._MainThread", "concurrent.futures.thread.ThreadPoolExecutor"}
)
_THREAD_EVENTS = ("ThreadStart", "ThreadSwitch", "ThreadExit")
_DECLARATIONS = ("Path", "Function", "Type", "VariableName")


def mask_text(text: str, root: str) -> str:
    """``text`` with ``root``, addresses and thread states masked."""
    text = text.replace(root, "<ROOT>") if root else text
    text = _ADDRESS.sub("0xADDR", text)
    return _THREAD.sub(r"<Thread(\1, STATE)>", text)


def _mask_racy(record: object, racy: set[int]) -> object:
    if isinstance(record, dict):
        if record.get("kind") == "Struct" and record.get("type_id") in racy:
            return {"kind": "Struct", "field_values": "<racy>", "type_id": record["type_id"]}
        return {k: _mask_racy(v, racy) for k, v in record.items()}
    if isinstance(record, list):
        return [_mask_racy(v, racy) for v in record]
    return record


def normalise(events: Sequence[dict[str, object]], root: str) -> list[str]:
    """One masked line per event (per thread, de-interleaved, when the trace has threads)."""
    if any(name in event for event in events for name in _THREAD_EVENTS):
        return [mask_text(line, root) for line in _deinterleave(events)]
    lines: list[str] = []
    types = 0
    racy: set[int] = set()
    for event in events:
        body = event.get("Type")
        if isinstance(body, dict):
            if body.get("lang_type") in _RACY_TYPES:
                racy.add(types)
            types += 1
        masked = _mask_racy(event, racy) if racy else event
        lines.append(mask_text(json.dumps(masked, ensure_ascii=False), root))
    return lines


class _Names:
    """The declarations seen so far, to replace ids (interleaving-dependent) by names."""

    def __init__(self) -> None:
        self.table: dict[str, list[str]] = {name: [] for name in _DECLARATIONS}

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
        keys = {"type_id": "Type", "variable_id": "VariableName", "function_id": "Function",
                "path_id": "Path"}
        if isinstance(value, dict):
            out: dict[str, object] = {}
            for key, item in value.items():
                if key in keys and isinstance(item, int):
                    out[key[: -len("_id")]] = self.table[keys[key]][item]
                else:
                    out[key] = self.resolve(item)
            if out.get("kind") == "Struct" and out.get("type") in _RACY_TYPES:
                out["field_values"] = "<racy>"
            return out
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value


def _deinterleave(events: Sequence[dict[str, object]]) -> list[str]:
    names = _Names()
    threads: dict[int, list[str]] = {1: []}
    pending: dict[int, dict[str, object]] = {}  # each thread's last event, when an I/O Event
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
                # Another thread's event split one write sequence in two: an interleaving race.
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


def first_difference(a: Sequence[str], b: Sequence[str]) -> tuple[int, str, str] | None:
    """Index and both lines of the first difference (``<end>`` past a shorter side), or None."""
    for index in range(max(len(a), len(b))):
        left = a[index] if index < len(a) else "<end>"
        right = b[index] if index < len(b) else "<end>"
        if left != right:
            return index, left, right
    return None
