"""Helpers for the output-layer tests: a small "complete trace", its checker, and a seams hook.

A complete trace here is the three files CodeTracer reads, with content that lets the checker
prove it is whole and from one run: ``trace.json`` is a JSON array of ``{"tag", "i"}`` events,
``trace_metadata.json`` names the same tag and the event count, ``trace_paths.json`` is ``[]``.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from fault_injection.errors import SimulatedCrash as InjectedCrash
from fault_injection.injector import Injector
from fault_injection.plan import ANY_POINT, ERRNO_KINDS, parse_plan
from recorder.output import OutputFile, OutputLayer, SideName

TRACE_FILES = {"trace.json", "trace_metadata.json", "trace_paths.json"}


def event(tag: str, index: int) -> bytes:
    return json.dumps({"tag": tag, "i": index}).encode()


class TraceWriting:
    """Writes a trace piece by piece, as the real writer does; each piece can be retried."""

    def __init__(self, layer: OutputLayer, tag: str) -> None:
        self.layer = layer
        self.tag = tag
        self.events = 0
        self.trace: OutputFile | None = None
        self.closed_array = False
        self.metadata_done = False
        self.paths_done = False
        self.partial_reason: str | None = None

    def add_event(self) -> None:
        assert not self.closed_array, "events after the closing bracket"
        if self.trace is None:
            trace = self.layer.create("trace.json")
            self.trace = trace
        if self.trace.tell() == 0:
            self.trace.write(b"[")
        sep = b"," if self.events else b""
        self.trace.write(sep + event(self.tag, self.events))
        self.events += 1

    def finish(self) -> None:
        """Close the array, write the metadata and the paths (retry-safe: skips what is done)."""
        if self.trace is None:
            self.trace = self.layer.create("trace.json")
        if self.trace.tell() == 0:
            self.trace.write(b"[")
        if not self.closed_array:
            self.trace.write(b"]")
            self.closed_array = True
        if not self.metadata_done:
            meta = self.layer.files.get("trace_metadata.json") or self.layer.create(
                "trace_metadata.json")
            body: dict[str, object] = {"tag": self.tag, "events": self.events}
            if self.partial_reason is not None:
                body.update(partial=True, partial_reason=self.partial_reason)
            meta.write(json.dumps(body).encode())
            self.metadata_done = True
        if not self.paths_done:
            paths = self.layer.files.get("trace_paths.json") or self.layer.create(
                "trace_paths.json")
            paths.write(b"[]")
            self.paths_done = True

    def finish_and_publish(self) -> None:
        self.finish()
        self.layer.publish(partial_reason=self.partial_reason)


def record(target: Path, tag: str, events: int = 3, **layer_args: object) -> OutputLayer:
    """Record and publish a complete trace with ``events`` events (fault-free helper)."""
    layer = OutputLayer(target, **layer_args)  # type: ignore[arg-type]
    layer.begin()
    writing = TraceWriting(layer, tag)
    for _ in range(events):
        writing.add_event()
    writing.finish_and_publish()
    return layer


class TornTrace(AssertionError):
    pass


def trace_tag(target: Path) -> str | None:
    """The tag of the complete trace at ``target`` (None: nothing there); raise if torn/mixed."""
    if not os.path.lexists(target):
        return None
    if not target.is_dir():
        raise TornTrace(f"{target} is not a directory")
    names = set(os.listdir(target))
    if names != TRACE_FILES:
        raise TornTrace(f"{target} holds {sorted(names)}")
    try:
        events = json.loads((target / "trace.json").read_bytes())
        meta = json.loads((target / "trace_metadata.json").read_bytes())
        paths = json.loads((target / "trace_paths.json").read_bytes())
    except ValueError as exc:
        raise TornTrace(f"invalid JSON in {target}: {exc}") from exc
    tag = meta["tag"]
    if paths != [] or events != [{"tag": tag, "i": i} for i in range(meta["events"])]:
        raise TornTrace(f"{target}: events do not match the metadata of run {tag}")
    return str(tag)


def side_dirs(target: Path) -> list[str]:
    """Names of staging/old directories of ``target`` left in its parent."""
    if not target.parent.exists():
        return []
    return sorted(name for name in os.listdir(target.parent)
                  if (side := SideName.parse(name)) is not None and side.target == target.name)


class SimulatedCrash(BaseException):
    """Raised by the hook to play "the process died here" (BaseException: nothing catches it)."""


_KIND_OF_ERRNO = {number: kind for kind, number in ERRNO_KINDS.items()}


@dataclass
class Fault:
    """Fail the ``nth`` hit (1-based, counted from arming) of ``point`` (None: any I/O point)."""

    point: str | None
    nth: int
    err: int = errno.EIO
    persistent: bool = False  # every matching hit from the nth on fails too
    crash: bool = False  # raise SimulatedCrash, and every later hit of any point too

    def describe(self) -> str:
        """The fault as a clause of the harness's plan language (``eio@fsync#2``)."""
        what = "crash" if self.crash else _KIND_OF_ERRNO[self.err]
        return f"{what}@{self.point or ANY_POINT}#{self.nth}{'+' if self.persistent else ''}"


@dataclass
class FaultHook:
    """A ``recorder.seams`` hook that records every hit; the harness's injector fires the fault.

    The injector decides (counting, ``#N``/``#N+``, errno faults); this adds what the output
    tests need on top: the ordered list of hits, re-arming, and a ``crash`` that plays the death
    of the process (every later hit fails too, with an exception nothing catches).
    """

    fault: Fault | None = None
    hits: list[tuple[str, str | None]] = field(default_factory=list)
    crashed: bool = False
    _injector: Injector | None = None

    def arm(self, fault: Fault | None) -> None:
        self.fault = fault
        self._injector = None if fault is None else Injector(parse_plan(fault.describe()))

    @property
    def fired(self) -> int:
        return 0 if self._injector is None else len(self._injector.fired)

    def __call__(self, point: str, path: str | None) -> None:
        self.hits.append((point, path))
        if self.crashed:
            raise SimulatedCrash(point)
        if self._injector is None:
            return
        try:
            self._injector(point, path)
        except InjectedCrash as exc:
            self.crashed = True
            raise SimulatedCrash(point) from exc


def points(hits: Iterable[tuple[str, str | None]]) -> list[str]:
    return [point for point, _ in hits]
