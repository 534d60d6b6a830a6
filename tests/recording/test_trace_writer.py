"""The streaming writer: chunking at event boundaries, partial close, escaping, side files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import PurePosixPath

import pytest

from recorder import events as ev
from recorder.errors import EnvironmentError, ErrorCode, enverr
from recorder.events import NONE_VALUE
from recorder.metadata import TraceMetadata
from recorder.policy import RecorderPolicy
from recorder.trace_check import check_events
from recorder.trace_writer import TraceWriter


class Sink:
    """An output file double: records each write; can be told to fail (all-or-nothing)."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.fail = False
        self.closed = False

    def write(self, data: bytes) -> None:
        if self.fail:
            raise enverr(ErrorCode.DISK_FULL, "no space left", path="trace.json")
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    @property
    def data(self) -> bytes:
        return b"".join(self.writes)


class Files:
    def __init__(self) -> None:
        self.files: dict[str, Sink] = {}

    def create(self, name: str) -> Sink:
        self.files[name] = Sink()
        return self.files[name]


def small_program(writer: TraceWriter, steps: int) -> None:
    writer.begin("/abs/prog.py")
    function = writer.function_id(0, 3, "work")
    variable = writer.variable_id("i")
    int_type = writer.type_id(7, "Int")
    writer.emit(ev.STEP % (0, 3))
    call = ev.call(function, "")
    writer.call([call], len(call))
    for i in range(steps):
        writer.emit(ev.STEP % (0, 4))
        writer.emit(ev.value(variable, f'{{"kind":"Int","i":{i},"type_id":{int_type}}}'))
    writer.ret(NONE_VALUE)


def test_header_and_final_return_follow_the_format() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    small_program(writer, 2)
    writer.close('{"kind":"Int","i":0,"type_id":1}')
    events = json.loads(sink.data)
    assert events[:4] == [
        {"Path": "/abs/prog.py"},
        {"Function": {"path_id": 0, "line": 1, "name": "<toplevel>"}},
        {"Call": {"function_id": 0, "args": []}},
        {"Type": {"kind": 30, "lang_type": "None", "specific_info": {"kind": "None"}}},
    ]
    assert events[-1] == {"Return": {"return_value": {"kind": "Int", "i": 0, "type_id": 1}}}
    assert check_events(events, exit_code=0) == []
    assert sink.closed


def test_every_write_ends_at_an_event_boundary() -> None:
    sink = Sink()
    writer = TraceWriter(sink, chunk_size=200)
    small_program(writer, 200)
    assert len(sink.writes) > 10  # streamed, not kept until the end
    prefix = b""
    for chunk in sink.writes:
        prefix += chunk
        events = json.loads(prefix + b"\n]")  # closable after any write
        assert isinstance(events, list)
    assert all(len(chunk) < 200 + 200 for chunk in sink.writes)  # bounded buffering


def test_ids_are_declared_once_in_order() -> None:
    writer = TraceWriter(Sink())
    assert [writer.path_id(p) for p in ("/a.py", "/b.py", "/a.py")] == [0, 1, 0]
    assert writer.function_id(0, 1, "f") == 0
    assert writer.function_id(1, 1, "f") == 1  # same name, other file: another function
    assert writer.function_id(0, 1, "f") == 0
    assert writer.type_id(30, "None") == 0
    assert writer.variable_id("x") == writer.variable_id("x") == 0
    assert writer.variable_id("y") == 1
    # A struct type per class and field-name list; its field types are the first seen.
    assert writer.struct_type_id("P", [("x", 0)]) == 1
    assert writer.struct_type_id("P", [("x", 0), ("y", 0)]) == 2
    assert writer.struct_type_id("Q", [("x", 0)]) == 3
    assert writer.struct_type_id("P", [("x", 2)]) == 1
    assert writer.type_id(30, "P") == 4  # a type of another kind, named like the struct


def test_close_partial_after_a_failed_write_keeps_the_events_on_disk() -> None:
    sink = Sink()
    writer = TraceWriter(sink, chunk_size=100)
    small_program(writer, 20)
    on_disk = len(sink.data)
    sink.fail = True
    with pytest.raises(EnvironmentError):
        for _ in range(50):
            writer.emit(ev.STEP % (0, 5))
    assert len(sink.data) == on_disk  # nothing torn
    sink.fail = False
    writer.close_partial()
    events = json.loads(sink.data)
    assert check_events(events, partial=True) == []
    assert sink.closed


def test_close_partial_falls_back_to_a_lone_bracket() -> None:
    class SmallWritesOnly(Sink):
        def write(self, data: bytes) -> None:
            if len(data) > 10:
                raise enverr(ErrorCode.DISK_FULL, "no space left")
            super().write(data)

    sink = SmallWritesOnly()
    writer = TraceWriter(sink)
    writer.begin("/abs/prog.py")  # buffered, never fits
    writer.close_partial()
    assert json.loads(sink.data) == []


def test_close_partial_raises_when_even_the_bracket_cannot_be_written() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    small_program(writer, 3)
    sink.fail = True
    with pytest.raises(EnvironmentError):
        writer.close_partial()


@pytest.mark.parametrize(
    "text",
    [
        'quote " and \\ backslash',
        "new\nline\ttab\r\x00\x1f",
        "ünïcödé 你好 🌍",
        "lone \ud800 surrogate",
    ],
)
def test_strings_are_escaped_into_valid_utf8_json(text: str) -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    writer.begin(f"/abs/{text}.py")
    writer.variable_id(text)
    writer.io(0, "stdout", text, 0, (0, 0))
    writer.close(NONE_VALUE)
    events = json.loads(sink.data.decode("utf-8"))  # strict UTF-8
    names = [e["VariableName"] for e in events if "VariableName" in e]
    contents = [e["Event"]["content"] for e in events if "Event" in e]
    expected = text.replace("\ud800", "\\ud800")  # lone surrogates are escaped visibly
    assert names == contents == [expected]


def test_consecutive_writes_to_one_stream_become_one_event() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    writer.begin("/abs/prog.py")
    writer.emit(ev.STEP % (0, 2))
    for part in ("a", " ", "b", "\n"):
        writer.io(0, "stdout", part, 1, (0, 2))
    writer.io(2, "stderr", "err", 1, (0, 2))  # another stream: a new event
    writer.emit(ev.STEP % (0, 3))
    writer.io(0, "stdout", "c", 1, (0, 3))
    writer.close(NONE_VALUE)
    events = [e["Event"] for e in json.loads(sink.data) if "Event" in e]
    assert [(e["kind"], e["content"]) for e in events] == [(0, "a b\n"), (2, "err"), (0, "c")]
    meta = json.loads(events[0]["metadata"])
    assert meta == {"stream": "stdout", "thread": "ThreadId(1)", "path_id": 0, "line": 2,
                    "frame_id": 1, "flags": ["newline"]}
    assert json.loads(events[2]["metadata"])["flags"] == []


def test_side_files_carry_the_format_fields_and_the_metadata() -> None:
    files = Files()
    writer = TraceWriter(files.create("trace.json"))
    writer.begin("/abs/prog.py")
    writer.path_id("/abs/lib.py")
    writer.close(NONE_VALUE)
    policy = RecorderPolicy()
    metadata = TraceMetadata(program="/abs/prog.py", args=["-v"], workdir="/w", policy=policy,
                             run_id="r", trace_id="t", backend="settrace", exit_code=3,
                             exit_label="exit")
    writer.write_side_files(files, metadata)
    assert json.loads(files.files["trace_paths.json"].data) == ["/abs/prog.py", "/abs/lib.py"]
    meta = json.loads(files.files["trace_metadata.json"].data)
    assert meta["program"] == "/abs/prog.py"
    assert meta["args"] == ["-v"]
    assert meta["process_exit_status"] == {"code": 3, "label": "exit"}
    assert set(meta["recorder"]) == {"name", "version", "target_script"}
    assert meta["backend"] == "settrace"
    assert meta["policy_hash"] == policy.digest()
    assert meta["workdir"] == "/w"
    assert (meta["run_id"], meta["trace_id"], meta["partial_reason"]) == ("r", "t", None)
    assert meta["schema_version"] == 1
    assert meta["partial"] is False
    assert files.files["trace_metadata.json"].closed


@pytest.mark.parametrize(("declare", "event"), [
    (lambda w: w.type_id(7, "Int"), "Type"),
    (lambda w: w.struct_type_id("pkg.C", [("x", 0)]), "Type"),
    (lambda w: w.variable_id("x"), "VariableName"),
    (lambda w: w.path_id("/abs/other.py"), "Path"),
    (lambda w: w.function_id(0, 9, "f"), "Function"),
])
def test_a_declaration_that_fails_registers_no_id(declare, event, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # At the recursion limit building the event text can fail: the id must not be registered
    # without its event, or later values would use an undeclared id.
    sink = Sink()
    writer = TraceWriter(sink)
    writer.begin("/abs/prog.py")

    def no_stack(*args: object) -> str:
        raise RecursionError

    for name in ("type_decl", "struct_type_decl", "variable_name", "path", "function"):
        monkeypatch.setattr(ev, name, no_stack)
    with pytest.raises(RecursionError):
        declare(writer)
    monkeypatch.undo()
    declared = declare(writer)
    writer.close(NONE_VALUE)
    events = json.loads(b"".join(sink.writes))
    assert check_events(events, partial=True) == []
    # Ids count the declarations: the id handed out is the position of its own event.
    assert len([e for e in events if event in e]) == declared + 1


STEP = ev.STEP % (0, 4)
CALL = ev.call(1, "")
#: The writer's three hot entries, each with the events its unit puts in the buffer.
HOT_ENTRIES = {
    "emit_batch": (lambda w: w.emit_batch([STEP, STEP], 2 * len(STEP)), [STEP, STEP]),
    "call": (lambda w: w.call([STEP, CALL], len(STEP) + len(CALL)), [STEP, CALL]),
    "ret": (lambda w: w.ret(NONE_VALUE), [ev.ret(NONE_VALUE)]),
}


def _started(sink: Sink, shared: bool) -> TraceWriter:
    writer = TraceWriter(sink)
    writer.begin("/abs/prog.py")
    writer.flush()
    if shared:
        writer.start_sharing()
    return writer


@pytest.mark.parametrize("shared", [False, True], ids=["one thread", "shared"])
@pytest.mark.parametrize("entry", sorted(HOT_ENTRIES))
def test_each_hot_entry_appends_its_whole_unit_and_its_size(entry: str, shared: bool) -> None:
    append, unit = HOT_ENTRIES[entry]
    writer = _started(Sink(), shared)
    append(writer)
    append(writer)
    assert writer._buf == unit + unit
    assert writer._size == 2 * sum(map(len, unit))


@pytest.mark.parametrize("shared", [False, True], ids=["one thread", "shared"])
@pytest.mark.parametrize("full", [True, False], ids=["exactly full", "one short"])
@pytest.mark.parametrize("entry", ["call", "ret"])
def test_a_call_or_return_flushes_a_full_chunk_before_its_unit(
    entry: str, full: bool, shared: bool,
) -> None:
    append, unit = HOT_ENTRIES[entry]
    sink = Sink()
    writer = _started(sink, shared)
    writer.emit_batch([STEP], len(STEP))
    writer._chunk_size = len(STEP) + (0 if full else 1)
    written = len(sink.writes)
    append(writer)
    assert len(sink.writes) == written + full
    assert writer._buf == (unit if full else [STEP, *unit])  # never flushed with its own unit


def test_a_lone_surrogate_in_an_event_is_written_replaced() -> None:
    sink = Sink()
    writer = _started(sink, False)
    writer.emit_batch(['{"Step":"\ud800"}'], 13)  # event text keeps non-ASCII (and surrogates)
    writer.flush()
    assert sink.writes[-1].endswith(b'{"Step":"?"}')


def test_the_paths_file_lists_only_paths_whose_event_reached_the_trace() -> None:
    files = Files()
    writer = _started(Sink(), False)  # /abs/prog.py is flushed
    writer.path_id("/abs/late.py")  # its Path event is still buffered
    metadata = TraceMetadata(program="/abs/prog.py", args=[], workdir="/w",
                             policy=RecorderPolicy(), run_id="r", trace_id="t",
                             backend="settrace", exit_code=0, exit_label="exit")
    writer.write_side_files(files, metadata)
    assert json.loads(files.files["trace_paths.json"].data) == ["/abs/prog.py"]


@pytest.mark.parametrize("full", [True, False], ids=["exactly full", "one short"])
def test_a_step_unit_that_fills_the_chunk_is_flushed_with_it(full: bool) -> None:
    sink = Sink()
    writer = _started(sink, False)
    writer._chunk_size = 2 * len(STEP) + (0 if full else 1)
    written = len(sink.writes)
    writer.emit_batch([STEP, STEP], 2 * len(STEP))
    assert len(sink.writes) == written + full
    assert writer._buf == ([] if full else [STEP, STEP])


def test_side_files_keep_non_ascii_replace_lone_surrogates_and_indent_the_metadata() -> None:
    files = Files()
    writer = TraceWriter(files.create("trace.json"))
    writer.begin("/abs/prög.py")
    writer.path_id("/abs/bad\udc80.py")  # a file name that is not valid UTF-8
    writer.close(NONE_VALUE)
    metadata = TraceMetadata(program="/abs/prög.py", args=["\udc80", PurePosixPath("/p")],
                             workdir="/w", policy=RecorderPolicy(), run_id="r", trace_id="t",
                             backend="settrace", exit_code=0, exit_label="exit")
    writer.write_side_files(files, metadata)
    assert files.files["trace_paths.json"].data == '["/abs/prög.py", "/abs/bad?.py"]'.encode()
    meta = files.files["trace_metadata.json"].data
    assert meta.startswith(b'{\n  "')  # indented by 2, for people reading it
    assert '"program": "/abs/prög.py"'.encode() in meta  # non-ASCII kept, not \\u-escaped
    assert b'"args": [\n    "?",\n    "/p"\n  ]' in meta  # replaced; other objects as str()


class FailingCopies:
    """Source copies whose writing fails: a partial trace is whole without them."""

    def see(self, path: str) -> None:
        pass

    def write_pending(self) -> None:
        raise enverr(ErrorCode.DISK_FULL, "no space left for the copies", path="files")


def test_close_partial_writes_the_buffer_even_when_the_copies_fail() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    writer.begin("/abs/prog.py")
    writer.sources = FailingCopies()
    writer.emit_batch(['{"Step":"\ud800"}'], 13)
    writer.close_partial()
    assert sink.data.endswith(b'{"Step":"?"}\n]\n')  # the buffer, a surrogate replaced, then ]
    assert sink.closed


class LateIds(dict[object, int]):
    """An id table whose first look-up misses: another thread declares the key right after it."""

    def __init__(self, declare: Callable[[], int]) -> None:
        super().__init__()
        self.declare: Callable[[], int] | None = declare

    def get(self, key: object, default: int | None = None) -> int | None:  # type: ignore[override]
        declare, self.declare = self.declare, None
        if declare is not None:
            declare()  # (the other thread, between this look-up and the lock)
            return None
        return super().get(key, default)


DECLARATIONS: dict[str, tuple[str, Callable[[TraceWriter], int]]] = {
    "path": ("_path_ids", lambda writer: writer.path_id("/a.py")),
    "function": ("_function_ids", lambda writer: writer.function_id(0, 1, "f")),
    "type": ("_type_ids", lambda writer: writer.type_id(7, "Int")),
    "struct type": ("_type_ids", lambda writer: writer.struct_type_id("P", [("x", 0)])),
    "variable": ("variable_ids", lambda writer: writer.variable_id("x")),
}


@pytest.mark.parametrize("kind", sorted(DECLARATIONS))
def test_an_id_declared_by_another_thread_after_a_missed_look_up_is_declared_once(
    kind: str,
) -> None:
    table, declare = DECLARATIONS[kind]
    sink = Sink()
    writer = TraceWriter(sink)
    setattr(writer, table, LateIds(lambda: declare(writer)))
    assert declare(writer) == declare(writer) == 0
    writer.flush()
    assert len(json.loads(sink.data + b"\n]")) == 1  # one declaration event
    assert writer.paths == (["/a.py"] if kind == "path" else [])


@pytest.mark.parametrize("entry", ["declaration", "event"])
@pytest.mark.parametrize("full", [True, False], ids=["exactly full", "one short"])
def test_a_declaration_or_an_event_that_fills_the_chunk_is_flushed_with_it(
    entry: str, full: bool,
) -> None:
    sink = Sink()
    writer = _started(sink, False)
    event = ev.variable_name("fills") if entry == "declaration" else STEP
    writer._chunk_size = writer._size + len(event) + (0 if full else 1)
    written = len(sink.writes)
    if entry == "declaration":
        writer.variable_id("fills")
    else:
        writer.emit(event)
    assert len(sink.writes) == written + full


def test_nothing_reaches_the_file_after_close() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    small_program(writer, 1)
    writer.close(NONE_VALUE)
    closed = sink.data
    writer.type_id(9, "Late")  # (a thread still running after the end)
    writer.variable_id("late")
    writer.post(1, "stdout", "late output")
    writer.emit(STEP)
    writer.flush()
    assert sink.data == closed
    assert closed.endswith(b"\n]\n")


def test_an_abandoned_writer_writes_nothing_more_and_has_a_fresh_lock() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    small_program(writer, 1)
    writer.flush()
    written = sink.data
    writer.emit(STEP)
    lock = writer.lock
    writer.abandon()  # (a forked child)
    assert writer.lock is not lock
    with writer.lock:  # usable
        pass
    writer.type_id(9, "Late")
    writer.emit_batch([STEP], len(STEP))
    writer.flush()
    assert sink.data == written
    assert not sink.closed  # the parent's file: the child never closes it


def test_the_paths_file_is_empty_when_no_event_reached_the_trace() -> None:
    files = Files()
    sink = files.create("trace.json")
    writer = TraceWriter(sink)
    small_program(writer, 1)
    sink.fail = True
    with pytest.raises(EnvironmentError):
        writer.flush()
    with pytest.raises(EnvironmentError):
        writer.close_partial()
    metadata = TraceMetadata(program="/abs/prog.py", args=[], workdir="/w",
                             policy=RecorderPolicy(), run_id="r", trace_id="t",
                             backend="settrace", exit_code=0, exit_label="exit")
    writer.write_side_files(files, metadata)
    assert json.loads(files.files["trace_paths.json"].data) == []


class SeenCopies:
    """The source copier double: what it is told, in order."""

    def __init__(self) -> None:
        self.told: list[str] = []

    def see(self, path: str) -> None:
        self.told.append(f"see {path}")

    def write_pending(self) -> None:
        self.told.append("write pending")


def test_the_source_copier_sees_each_path_once_before_the_chunk_with_its_event() -> None:
    sink = Sink()
    writer = TraceWriter(sink)
    copies = SeenCopies()
    writer.sources = copies
    for path in ("/a.py", "/b.py", "/a.py"):
        writer.path_id(path)
    assert copies.told == ["see /a.py", "see /b.py"]
    writer.flush()
    assert copies.told[-1] == "write pending" and len(sink.writes) == 1
