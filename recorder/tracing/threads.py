"""Which threads are recorded, and the concurrency rules every recorded thread follows.

The thread that starts tracing is recorded by the backend's fast path (one
``threading.get_ident()`` comparison per event, no lock, no look-up). Every other thread that runs
traced code gets a *lane* the first time it does: its own
:class:`~recorder.tracing.frames.FrameRecorder` (shadow stack, value encoder,
:class:`~recorder.trace_threads.ThreadSlot`) wrapped by the backend. :class:`ThreadRegistry` finds
the lane of the calling thread through a ``threading.local``, so a thread that ends takes its
lane with it and a new thread that reuses its ident starts a new lane (with a new number).

A thread is **not** recorded (its events are counted as dropped) when:

* ``--threads main`` is in effect (reason ``other_thread``);
* its name starts with ``codetracer-``: the recorder's own threads (reason ``recorder_thread``);
* :data:`THREAD_LIMIT` threads are recorded already (reason ``thread_limit``; the
  metadata's ``threads.limit_reached`` says the limit cut);
* the interpreter runs without the GIL (a free-threaded build, reason ``free_threaded``): the
  writer's lock-free appends (:mod:`recorder.trace_threads`) rely on the GIL, so only the thread
  that started tracing is recorded.

**Concurrency rules** (each has a test in ``tests/recording/test_thread_rules.py`` with the broken
variant it catches):

1. No recorder lock is held while the program's code runs: a unit of events (a ``Step`` and its
   ``Value`` events, a ``Call`` and its arguments, a ``Return``) is encoded first, then appended
   (:mod:`recorder.trace_threads`: without a lock by the thread that appended last, under the
   writer's lock by any other; the lock guards only list appends and file writes).
2. Hence a value whose ``__repr__`` (``--value-repr repr``) takes a lock that another traced
   thread holds cannot deadlock: the other thread needs no recorder lock to release it.
3. Units are atomic: another thread's events never split a ``Step`` from its ``Value`` events or a
   ``Call`` from its arguments; ``ThreadStart``/``ThreadSwitch`` precede a unit whenever the
   previous unit was another thread's.
4. A recorder failure in any thread detaches the recorder from every thread and is reported once
   (:class:`recorder.guard.Containment`); under ``abort`` the failing thread gets the classified
   error and the main thread is interrupted (:func:`interrupt_main`), so the process ends with the
   failure's exit status through :func:`recorder.decision.decide`, as for a main-thread failure.
5. ``fork()`` from any thread: the child abandons the trace (a fresh writer lock, nothing written)
   and runs untraced; the parent's trace is intact.
6. Threads still running when recording ends (daemon threads at exit) are closed the same way in
   every case: ``Return None`` for each open frame, then ``ThreadExit``; events they produce after
   that are dropped. ``stop()`` waits for the writer lock at most :data:`STOP_LOCK_TIMEOUT` s.
7. Recorder-owned threads (name prefix ``codetracer-``) are never traced.
8. Memory per thread is bounded: a lane holds its shadow stack (bounded by the recursion limit)
   and a value encoder whose cache is shared with the main thread's.
"""

from __future__ import annotations

import _thread
import sys
import threading
from collections.abc import Callable
from typing import Any

from recorder.tracing.frames import FrameRecorder
from recorder.tracing.valuejson import ValueJson

__all__ = [
    "OWNED_PREFIX",
    "STOP_LOCK_TIMEOUT",
    "THREAD_LIMIT",
    "THREAD_MODES",
    "ThreadRegistry",
    "interrupt_main",
]

#: ``--threads``: every thread (default) or only the one that started tracing.
THREAD_MODES = ("all", "main")
#: Threads whose name starts with this belong to the recorder and are never recorded.
OWNED_PREFIX = "codetracer-"
#: Threads recorded at most (the thread that started tracing included); read when recording
#: starts.
THREAD_LIMIT = 256
#: How long finishing waits for the writer lock a frozen daemon thread might hold.
STOP_LOCK_TIMEOUT = 2.0

_get_ident = threading.get_ident
#: False on a free-threaded interpreter running without the GIL (3.13+).
_gil_enabled: Callable[[], bool] = getattr(sys, "_is_gil_enabled", lambda: True)
# threading's table of Thread objects by ident. Reading it has no side effect, whereas
# threading.current_thread() registers a dummy Thread for threads threading did not start.
_ACTIVE: dict[int, threading.Thread] = getattr(threading, "_active", {})


class _NoLane:
    """The lane of a thread that is not recorded (the reason it is counted under)."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


class ThreadRegistry:
    """The lanes of the threads other than the one that started tracing.

    ``make_values`` builds a value encoder for a new thread; ``mode`` is ``all`` or ``main``;
    ``limit`` caps the number of recorded threads. A backend calls :meth:`bind` with the
    function that wraps a thread's ``FrameRecorder`` into its lane, then :meth:`lane` from its
    callbacks (never for the main thread).
    """

    def __init__(
        self, main: FrameRecorder, make_values: Callable[[], ValueJson], *, mode: str = "all",
        limit: int = THREAD_LIMIT,
    ) -> None:
        self.main = main
        self.mode = mode
        self.limit = limit
        self.main_ident = _get_ident()
        self.main_native_id = threading.get_native_id()
        self._make_values = make_values
        self._make_lane: Callable[[FrameRecorder], Any] = lambda frames: frames
        self._local = threading.local()
        #: ``lanes.lane`` is the calling thread's lane once it is recorded (absent otherwise): the
        #: backends' per-event look-up, one attribute read instead of a call to :meth:`lane`.
        self.lanes = threading.local()
        self._lock = threading.Lock()  # registration only; never held while user code runs
        self.recorded: list[tuple[FrameRecorder, int, str]] = []  # (frames, native id, name)
        self.dropped: dict[str, int] = {}
        self.limit_reached = False

    @property
    def enabled(self) -> bool:
        """True when threads other than the main one are recorded at all."""
        return self.mode == "all"

    def bind(self, make_lane: Callable[[FrameRecorder], Any]) -> None:
        self._make_lane = make_lane

    def lane(self) -> Any:
        """The calling thread's lane, or None when it is not recorded (its event is counted)."""
        lane = getattr(self._local, "lane", None)
        if lane is None:
            lane = self._local.lane = self._register()
            if type(lane) is not _NoLane:
                self.lanes.lane = lane
        if type(lane) is _NoLane:
            self.dropped[lane.reason] = self.dropped.get(lane.reason, 0) + 1
            return None
        return lane

    def frames_of_thread(self) -> FrameRecorder | None:
        """The calling thread's frame recorder (registering it), or None: not recorded."""
        if self.lane() is None:
            return None
        frames: FrameRecorder | None = getattr(self._local, "frames", None)
        return frames

    def _register(self) -> Any:
        with self._lock:
            if self.mode != "all":
                return _NoLane("other_thread")
            if not _gil_enabled():
                return _NoLane("free_threaded")
            thread = _ACTIVE.get(_get_ident())
            name = thread.name if thread is not None else ""
            if name.startswith(OWNED_PREFIX):
                return _NoLane("recorder_thread")
            if len(self.recorded) + 1 >= self.limit:
                self.limit_reached = True
                return _NoLane("thread_limit")
            frames = self._local.frames = self.main.sibling(self._make_values())
            self.main.writer.start_sharing()
            self.recorded.append((frames, threading.get_native_id(), name))
            return self._make_lane(frames)

    def open_frames(self) -> dict[int, int]:
        """Frames still open per numbered thread (closed when recording ends)."""
        return {frames.slot.number: frames.depth for frames, _, _ in self.recorded
                if frames.slot.number}

    def counts(self) -> dict[str, int]:
        """Counters of the recorded threads' frame recorders, summed (ignored, lost exits)."""
        return {
            "ignored": sum(frames.ignored for frames, _, _ in self.recorded),
            "lost_exits": sum(frames.lost_exits for frames, _, _ in self.recorded),
        }

    def metadata(self) -> dict[str, object] | None:
        """The metadata's ``threads`` object, or None when only one thread was recorded."""
        writer = self.main.writer
        if not writer.shared:
            return None
        native = {id(frames.slot): (nid, name) for frames, nid, name in self.recorded}
        main_thread = _ACTIVE.get(self.main_ident)
        native[id(writer.main)] = (self.main_native_id,
                                   main_thread.name if main_thread is not None else "")
        listed = []
        for slot, row in zip(writer.slots, writer.thread_list(), strict=True):
            nid, name = native.get(id(slot), (0, ""))
            listed.append({**row, "native_id": nid, "name": name})
        return {"recorded": listed, "limit": self.limit, "limit_reached": self.limit_reached}


def interrupt_main() -> None:
    """Make the main thread stop what it does (a failure in another thread under ``abort``)."""
    _thread.interrupt_main()
