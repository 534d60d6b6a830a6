"""The persistence models as tables: a short operation log in, the exact set of crash states out.

Plus the two properties every pair of models must have, for random logs (hypothesis): a
``process-crash`` state is always a ``power-loss`` state too, and where every operation is
followed by the fsyncs that cover it, a power loss right after such an fsync loses nothing.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fault_injection.crash_fs import Fs, annotate
from fault_injection.crash_log import Op
from fault_injection.crash_models import (
    MODELS,
    Choice,
    build,
    parse_spec,
    space,
    states,
)

NEW = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
OLD = b'{"a": 1}'
NEWDATA = b'{"a": 2}'


def _fd(path: str) -> int:
    return 3 + sum(map(ord, path))  # one descriptor per name, as if each stayed open


def log(*calls: tuple[Any, ...]) -> list[Op]:
    """Ops from (kind, path, extra...) tuples: open flags, write bytes, rename target."""
    ops: list[Op] = []
    for i, (kind, path, *rest) in enumerate(calls, start=1):
        arg = rest[0] if rest else None
        if kind == "open":
            ops.append(Op(i, "os.open", "open", path, flags=arg or NEW))
        elif kind == "write":
            ops.append(Op(i, "os.write", "write", path, fd=_fd(path), offset=0,
                          data=arg))
        elif kind == "fsync":
            ops.append(Op(i, "os.fsync", "fsync", path, fd=_fd(path)))
        elif kind == "rename":
            ops.append(Op(i, "os.replace", "rename", path, path2=arg))
        else:
            ops.append(Op(i, f"os.{kind}", kind, path))
    return ops


def visible(fs: Fs) -> frozenset[tuple[str, object]]:
    return frozenset((k, v) for k, v in fs.tree().items() if k)


def crash_states(model: str, ops: list[Op], point: int,
                 fixture: dict[str, bytes | None]) -> set[frozenset[tuple[str, object]]]:
    start = Fs.from_tree({"": None, **fixture})
    events = annotate(ops, start)
    return {visible(fs) for fs in states(model, events, start, point).values()}


def tree(**files: bytes | None) -> frozenset[tuple[str, object]]:
    return frozenset((name.replace("_", "."), value) for name, value in files.items())


IN_PLACE = log(("open", "s"), ("write", "s", NEWDATA))
TMP_RENAME = log(("open", "s.tmp"), ("write", "s.tmp", NEWDATA), ("rename", "s.tmp", "s"))
DURABLE = log(("open", "s.tmp"), ("write", "s.tmp", NEWDATA), ("fsync", "s.tmp"),
              ("rename", "s.tmp", "s"), ("fsync", "."))
ZEROS = b"\0" * len(NEWDATA)

# (name, log, fixture, model, crash point, the exact states)
TABLE = [
    ("in place, kill -9 after the truncating open", IN_PLACE, {"s": OLD}, "process-crash", 1,
     {tree(s=b"")}),
    ("in place, kill -9 after the write", IN_PLACE, {"s": OLD}, "process-crash", 2,
     {tree(s=NEWDATA)}),
    ("in place, power loss after the write", IN_PLACE, {"s": OLD}, "power-loss", 2,
     {tree(s=OLD), tree(s=b""), tree(s=ZEROS), tree(s=NEWDATA)}),
    ("tmp+rename, kill -9 after the rename", TMP_RENAME, {"s": OLD}, "process-crash", 3,
     {tree(s=NEWDATA)}),
    ("tmp+rename, power loss after the rename", TMP_RENAME, {"s": OLD}, "power-loss", 3,
     {tree(s=OLD), tree(s_tmp=b"", s=OLD), tree(s_tmp=NEWDATA, s=OLD), tree(s_tmp=ZEROS, s=OLD),
      tree(s=b""), tree(s=ZEROS), tree(s=NEWDATA)}),
    ("durable, power loss after the data fsync", DURABLE, {"s": OLD}, "power-loss", 3,
     {tree(s=OLD), tree(s_tmp=NEWDATA, s=OLD)}),
    ("durable, power loss after the rename", DURABLE, {"s": OLD}, "power-loss", 4,
     {tree(s=OLD), tree(s_tmp=NEWDATA, s=OLD), tree(s=NEWDATA)}),
    ("durable, power loss after the directory fsync", DURABLE, {"s": OLD}, "power-loss", 5,
     {tree(s=NEWDATA)}),
    ("entries persist in issue order", log(("mkdir", "d"), ("mkdir", "e"), ("unlink", "s")),
     {"s": OLD}, "power-loss", 3,
     {tree(s=OLD), tree(s=OLD, d=None), tree(s=OLD, d=None, e=None), tree(d=None, e=None)}),
    ("a directory fsync keeps every entry change before it", log(
        ("mkdir", "d"), ("unlink", "s"), ("fsync", "."), ("mkdir", "e")), {"s": OLD},
     "power-loss", 4, {tree(d=None), tree(d=None, e=None)}),
    ("a synced directory renamed: before or after, never half", log(
        ("mkdir", "d"), ("open", "d/f"), ("write", "d/f", NEWDATA), ("fsync", "d/f"),
        ("fsync", "d"), ("rename", "d", "e")), {}, "power-loss", 6,
     {frozenset({("d", None), ("d/f", NEWDATA)}), frozenset({("e", None), ("e/f", NEWDATA)})}),
    ("a directory's rename moves its tree", log(("rename", "d", "e")),
     {"d": None, "d/f": OLD}, "process-crash", 1, {frozenset({("e", None), ("e/f", OLD)})}),
]


@pytest.mark.parametrize(("name", "ops", "fixture", "model", "point", "expected"), TABLE,
                         ids=[row[0] for row in TABLE])
def test_model_table(name: str, ops: list[Op], fixture: dict[str, bytes | None], model: str,
                     point: int, expected: set[frozenset[tuple[str, object]]]) -> None:
    assert crash_states(model, ops, point, fixture) == expected


def test_a_state_spec_round_trips() -> None:
    choice = Choice("power-loss", 5, 3, ((2, 0, True), (4, 1, False)))
    assert choice.spec == "power-loss@5:e3:i2=0z:i4=1"
    assert parse_spec(choice.spec) == choice
    assert parse_spec("power-loss@x") is None


def test_beyond_the_cap_a_seeded_sample_is_drawn() -> None:
    ops = log(*[call for i in range(4) for call in (("open", f"f{i}"), ("write", f"f{i}",
                                                                          b"x" * (i + 1)))])
    start = Fs.from_tree({"": None})
    events = annotate(ops, start)
    full = space("power-loss", events, start, len(ops), cap=10_000)
    first = space("power-loss", events, start, len(ops), cap=5, seed=1)
    again = space("power-loss", events, start, len(ops), cap=5, seed=1)
    assert not full.sampled and len(full.choices) == full.total > 5
    assert first.sampled and first.total == full.total
    assert first.choices == again.choices and 0 < len(first.choices) <= 5


# -- properties ------------------------------------------------------------------------------

NAMES = ("a", "b", "d/c")
CALLS = st.one_of(
    st.tuples(st.just("open"), st.sampled_from(NAMES),
              st.sampled_from([NEW, os.O_WRONLY | os.O_CREAT, os.O_WRONLY])),
    st.tuples(st.just("write"), st.sampled_from(NAMES), st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("fsync"), st.sampled_from((*NAMES, ".", "d"))),
    st.tuples(st.just("rename"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
    st.tuples(st.sampled_from(["unlink"]), st.sampled_from(NAMES)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(CALLS, min_size=1, max_size=7))
def test_every_process_crash_state_is_a_power_loss_state(calls: list[tuple[Any, ...]]) -> None:
    ops = log(*calls)
    fixture: dict[str, bytes | None] = {"a": OLD, "d": None}
    for point in range(1, len(ops) + 1):
        killed = crash_states("process-crash", ops, point, fixture)
        assert killed <= crash_states("power-loss", ops, point, fixture)


def _synced(calls: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], list[int]]:
    """Each call followed by the fsyncs that cover it; the points right after those fsyncs."""
    out: list[tuple[Any, ...]] = []
    points: list[int] = []
    for call in calls:
        out.append(call)
        kind, path = call[0], call[1]
        if kind in ("write", "open"):
            out.append(("fsync", path))
        if kind in ("open", "rename", "unlink"):
            for name in {path, *(call[2:3] if kind == "rename" else ())}:
                out.append(("fsync", os.path.dirname(name) or "."))
        points.append(len(out))
    return out, points


@settings(max_examples=60, deadline=None)
@given(st.lists(CALLS, min_size=1, max_size=5))
def test_after_covering_fsyncs_a_power_loss_loses_nothing(calls: list[tuple[Any, ...]]) -> None:
    synced, points = _synced(calls)
    ops = log(*synced)
    fixture: dict[str, bytes | None] = {"a": OLD, "d": None}
    for point in points:
        assert crash_states("power-loss", ops, point, fixture) == \
            crash_states("process-crash", ops, point, fixture)


def test_every_model_is_listed() -> None:
    assert sorted(MODELS) == ["power-loss", "process-crash"]
    start = Fs.from_tree({"": None})
    events = annotate(log(("open", "a")), start)
    assert build(events, start, Choice("process-crash", 1)).tree() == {"": None, "a": b""}
