"""Structural validator for a trace directory: does it follow the rules of the trace format?

``check_trace_dir(path)`` returns a list of problems (empty when the trace is valid); tests and the
fault-injection harness use it, and ``python -m recorder.trace_check DIR`` prints the problems.

What is checked (docs/trace-format.md): the three files exist and are valid JSON; every event is
an object with exactly one known key and a payload of the right shape; ``Path``, ``Function``,
``Type`` and ``VariableName`` ids are declared before use and every id is in range; the trace opens
with the ``<toplevel>`` header (path 0, function 0, its ``Call``, type 0 = None); calls and returns
balance and never go below zero; the last event is the toplevel ``Return`` with an ``Int`` exit
code equal to the metadata's; ``trace_paths.json`` lists the ``Path`` events in order; the
metadata has the format's fields. A trace whose metadata says ``"partial": true`` is only required
to be valid, well-declared JSON: its calls need not be balanced and it has no final ``Return``.

Thread events (runtime_tracing 0.15): ``ThreadStart(N)`` numbers threads 2, 3, ... in order;
``ThreadSwitch(N)`` names a started thread that has not exited and is not the current one;
``ThreadExit(N)`` ends a thread other than 1 whose calls are balanced; events other than
declarations need a current thread. Calls and returns balance per thread; at the end every
thread but 1 has exited and the toplevel ``Return`` is thread 1's. A trace with thread events
needs ``min_reader_version`` and the ``threads`` list in its metadata.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from recorder.errors import CATALOG, ErrorCode, ExitCode
from recorder.trace_reader import TraceEvents

__all__ = ["check_events", "check_trace_dir", "main"]

_EVENT_NAMES = frozenset(
    {"Path", "Function", "Type", "VariableName", "Step", "Value", "Call", "Return", "Event",
     "ThreadStart", "ThreadSwitch", "ThreadExit"}
)
#: Events that belong to no thread (id declarations).
_DECLARATIONS = frozenset({"Path", "Function", "Type", "VariableName"})
_THREAD_EVENTS = frozenset({"ThreadStart", "ThreadSwitch", "ThreadExit"})
_VALUE_FIELDS: dict[str, tuple[str, ...]] = {
    "Int": ("i",), "Float": ("f",), "Bool": ("b",), "String": ("text",), "None": (),
    "Sequence": ("elements", "is_slice"), "Tuple": ("elements",), "Raw": ("r",), "Error": ("msg",),
    "Struct": ("field_values",),
}
_METADATA_FIELDS = ("workdir", "program", "args", "process_exit_status", "recorder")
_MAX_PROBLEMS = 50


def _is_int(value: object) -> bool:
    return type(value) is int


class _Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.paths: list[str] = []
        self.functions = 0
        self.types = 0
        self.struct_fields: dict[int, int] = {}  # struct type id -> its number of fields
        self.variables = 0
        self.depth = 0  # the current thread's open calls
        self.index = 0
        self.thread: int | None = 1  # the current thread (None after its ThreadExit)
        self.depths: dict[int, int] = {1: 0}  # open calls of the threads not current
        self.exited: set[int] = set()
        self.thread_events = False

    def problem(self, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS:
            self.problems.append(f"event {self.index}: {message}")

    def ref(self, value: object, limit: int, what: str) -> None:
        if not _is_int(value) or not 0 <= value < limit:  # type: ignore[operator]
            self.problem(f"{what} {value!r} used before it was declared (have {limit})")

    def record(self, value: Any, depth: int = 0) -> None:
        if not isinstance(value, dict) or value.get("kind") not in _VALUE_FIELDS:
            self.problem(f"not a ValueRecord: {str(value)[:80]}")
            return
        self.ref(value.get("type_id"), self.types, "type id")
        for field in _VALUE_FIELDS[value["kind"]]:
            if field not in value:
                self.problem(f"{value['kind']} record without {field!r}")
        if value["kind"] == "None" and value.get("type_id") != 0:
            self.problem("None record whose type id is not 0")
        if value["kind"] == "Struct":
            fields = value.get("field_values")
            declared = self.struct_fields.get(value.get("type_id"))  # type: ignore[arg-type]
            if declared is None:
                self.problem("Struct record whose type is not a Struct type")
            elif not isinstance(fields, list) or len(fields) != declared:
                self.problem("Struct record whose field_values do not match its type's fields")
        children = value.get("elements", ()) or value.get("field_values", ())
        for element in children if depth < 100 else ():
            self.record(element, depth + 1)

    def event(self, event: Any) -> None:
        if not isinstance(event, dict) or len(event) != 1:
            self.problem("an event must be an object with exactly one key")
            return
        ((name, body),) = event.items()
        if name not in _EVENT_NAMES:
            self.problem(f"unknown event {name!r}")
            return
        if name in _THREAD_EVENTS:
            self.thread_event(name, body)
            return
        if self.thread is None and name not in _DECLARATIONS:
            self.problem(f"{name} after a ThreadExit without a ThreadSwitch")
        getattr(self, "ev_" + name)(body)

    def thread_event(self, name: str, number: Any) -> None:
        self.thread_events = True
        if not _is_int(number) or number < 1:
            self.problem(f"{name} payload must be a thread number (an int >= 1)")
            return
        if self.thread is not None:
            self.depths[self.thread] = self.depth
        if name == "ThreadStart":
            if number != len(self.depths) + 1:
                self.problem(f"ThreadStart({number}) out of order (expected "
                             f"{len(self.depths) + 1})")
            self.depths[number] = 0
        elif number not in self.depths or number in self.exited:
            self.problem(f"{name}({number}) of a thread that is not running")
            return
        elif name == "ThreadSwitch" and number == self.thread:
            self.problem(f"ThreadSwitch({number}) to the current thread")
        if name == "ThreadExit":
            if number == 1:
                self.problem("ThreadExit(1): thread 1 ends with the toplevel Return")
            if number != self.thread:
                self.problem(f"ThreadExit({number}) while thread {self.thread} is current")
            if self.depths.get(number, 0):
                self.problem(f"ThreadExit({number}) with {self.depths[number]} open call(s)")
            self.exited.add(number)
            self.thread, self.depth = None, 0
            return
        self.thread, self.depth = number, self.depths[number]

    def ev_Path(self, body: Any) -> None:
        if not isinstance(body, str):
            self.problem("Path payload must be a string")
        self.paths.append(str(body))

    def ev_Function(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("name"), str):
            self.problem("Function needs path_id, line and name")
            return
        self.ref(body.get("path_id"), len(self.paths), "path id")
        if not _is_int(body.get("line")):
            self.problem("Function line must be an int")
        self.functions += 1

    def ev_Type(self, body: Any) -> None:
        if not isinstance(body, dict) or not _is_int(body.get("kind")) or not isinstance(
            body.get("lang_type"), str
        ):
            self.problem("Type needs kind and lang_type")
        elif self.types == 0 and (body["kind"], body["lang_type"]) != (30, "None"):
            self.problem("type id 0 must be None (kind 30)")
        elif body["kind"] == 6:
            info = body.get("specific_info")
            fields = info.get("fields") if isinstance(info, dict) else None
            if not (isinstance(info, dict) and info.get("kind") == "Struct"
                    and isinstance(fields, list)
                    and all(isinstance(f, dict) and isinstance(f.get("name"), str)
                            for f in fields)):
                self.problem("a Struct type needs specific_info {kind: Struct, fields: [...]}")
            else:
                self.struct_fields[self.types] = len(fields)
        self.types += 1

    def ev_VariableName(self, body: Any) -> None:
        if not isinstance(body, str):
            self.problem("VariableName payload must be a string")
        self.variables += 1

    def ev_Step(self, body: Any) -> None:
        if not isinstance(body, dict) or not _is_int(body.get("line")):
            self.problem("Step needs path_id and line")
            return
        self.ref(body.get("path_id"), len(self.paths), "path id")

    def ev_Value(self, body: Any) -> None:
        if not isinstance(body, dict):
            self.problem("Value payload must be an object")
            return
        self.ref(body.get("variable_id"), self.variables, "variable id")
        self.record(body.get("value"))

    def ev_Call(self, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("args"), list):
            self.problem("Call needs function_id and args")
            return
        self.ref(body.get("function_id"), self.functions, "function id")
        for arg in body["args"]:
            if not isinstance(arg, dict):
                self.problem("Call argument must be an object")
                continue
            self.ref(arg.get("variable_id"), self.variables, "variable id")
            self.record(arg.get("value"))
        self.depth += 1

    def ev_Return(self, body: Any) -> None:
        if not isinstance(body, dict):
            self.problem("Return payload must be an object")
            return
        self.record(body.get("return_value"))
        self.depth -= 1
        if self.depth < 0:
            self.problem("Return without a matching Call")
            self.depth = 0

    def ev_Event(self, body: Any) -> None:
        if not isinstance(body, dict) or body.get("kind") not in (0, 1, 2, 3):
            self.problem("Event needs kind 0-3")
            return
        if not isinstance(body.get("content"), str):
            self.problem("Event content must be a string")
        try:
            meta = json.loads(body.get("metadata", ""))
        except (TypeError, ValueError):
            self.problem("Event metadata must be a JSON string")
            return
        if not isinstance(meta, dict) or "stream" not in meta:
            self.problem("Event metadata needs a stream")


def check_events(events: Any, *, partial: bool = False, exit_code: object = None) -> list[str]:
    """Problems of a parsed ``trace.json`` (see the module docstring)."""
    if not isinstance(events, list):
        return ["trace.json is not a JSON array"]
    return _check(events, partial, exit_code).problems


def _check(events: Iterable[Any], partial: bool, exit_code: object) -> _Checker:
    """Check ``events`` in one pass (a list, or :class:`TraceEvents` read one at a time)."""
    checker = _Checker()
    header: list[Any] = []
    last: Any = None
    for checker.index, event in enumerate(events):
        if checker.index < 4:
            header.append(event)
        checker.event(event)
        last = event
    expected = ["Path", "Function", "Call", "Type"]
    if [next(iter(e), None) if isinstance(e, dict) else None for e in header] != expected:
        checker.problems.insert(0, "trace does not open with Path, Function, Call, Type")
    elif header[1]["Function"].get("name") != "<toplevel>" or header[2]["Call"].get(
        "function_id"
    ) != 0:
        checker.problems.insert(0, "function 0 must be <toplevel> and called first")
    if not partial:
        if not (isinstance(last, dict) and "Return" in last):
            checker.problems.append("trace does not end with the toplevel Return")
        else:
            value = last["Return"].get("return_value") if isinstance(last["Return"], dict) else None
            if not (isinstance(value, dict) and value.get("kind") == "Int"):
                checker.problems.append("the toplevel Return must carry an Int exit code")
            elif _is_int(exit_code) and value.get("i") != exit_code:
                checker.problems.append(
                    f"exit code {value.get('i')} differs from the metadata's {exit_code}"
                )
        if checker.depth != 0:
            checker.problems.append(f"{checker.depth} Call(s) without a Return at the end")
        if checker.thread_events:
            if checker.thread != 1:
                checker.problems.append("the toplevel Return is not thread 1's")
            running = sorted(set(checker.depths) - checker.exited - {1})
            if running:
                checker.problems.append(f"thread(s) {running} never exited")
    return checker


def _load(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{path.name} is missing")
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"{path.name} is not valid JSON: {exc}")
    return None


def check_trace_dir(directory: str | Path) -> list[str]:
    """Problems of the trace in ``directory``; an empty list means it is valid."""
    root = Path(directory)
    problems: list[str] = []
    metadata = _load(root / "trace_metadata.json", problems)
    paths = _load(root / "trace_paths.json", problems)
    partial = False
    exit_code = None
    if isinstance(metadata, dict):
        missing = [field for field in _METADATA_FIELDS if field not in metadata]
        if missing:
            problems.append(f"trace_metadata.json lacks {', '.join(missing)}")
        partial = metadata.get("partial") is True
        status = metadata.get("process_exit_status")
        if isinstance(status, dict):
            exit_code = status.get("code")
    elif metadata is not None:
        problems.append("trace_metadata.json is not an object")
    checker = _check_trace_file(root / "trace.json", partial, exit_code, problems)
    if checker is not None:
        problems.extend(checker.problems)
        if checker.thread_events and isinstance(metadata, dict) and not (
                metadata.get("min_reader_version") and isinstance(metadata.get("threads"), dict)):
            problems.append("a trace with thread events needs min_reader_version and threads "
                            "in trace_metadata.json")
        if paths is not None and paths != checker.paths:
            problems.append("trace_paths.json does not list the Path events in order")
    return problems


def _check_trace_file(
    path: Path, partial: bool, exit_code: object, problems: list[str],
) -> _Checker | None:
    """Check ``trace.json`` one event at a time (parsed whole if not in the writer's layout)."""
    if not path.exists():
        problems.append(f"{path.name} is missing")
        return None
    events = TraceEvents(path)
    checker = _check(events, partial, exit_code)
    if not events.broken_at:
        return checker
    whole = _load(path, problems)
    if whole is None:
        return None
    if not isinstance(whole, list):
        problems.append("trace.json is not a JSON array")
        return None
    return _check(whole, partial, exit_code)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m recorder.trace_check DIR...``: print problems, exit non-zero if any."""
    dirs = list(sys.argv[1:] if argv is None else argv)
    if not dirs:
        sys.stderr.write("usage: python -m recorder.trace_check TRACE_DIR...\n")
        return int(ExitCode.USAGE)
    failed = False
    for directory in dirs:
        problems = check_trace_dir(directory)
        for problem in problems:
            sys.stderr.write(f"{directory}: {problem}\n")
        failed = failed or bool(problems)
    if failed:
        return int(CATALOG[ErrorCode.TRACE_INCOMPLETE].kind.exit_code)
    return int(ExitCode.OK)


if __name__ == "__main__":
    sys.exit(ExitCode(main()))
