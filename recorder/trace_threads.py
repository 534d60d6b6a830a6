"""Shared mode of the trace writer: the events of several recorded threads in one stream.

The rules are :mod:`recorder.tracing.threads`'s. Until a second thread is recorded the writer is
single-threaded and its hot entries (``emit_batch``, ``call``, ``ret``) take no lock.
:meth:`SharedMode.start_sharing` switches it to shared mode, where the events still arrive in
*pre-built* units (a ``Step`` with its ``Value`` events, a ``Call`` with its argument ``Value``
events, a ``Return``), each preceded by ``ThreadStart(N)`` or ``ThreadSwitch(N)`` when the
previous unit was another thread's.

**No lock on the way of the thread that appended last.** A blocking lock taken on every append
forms a convoy with the GIL (a thread woken up with the lock must wait for the GIL, while every
other thread that reaches an append blocks and gives the GIL away), which made 4 busy threads
cost 4x more per event than one. Instead, :meth:`SharedMode._append` checks that the unit's
thread is ``_last`` (the thread whose unit was appended last) and appends with **no call and no
backward jump** between the check and the end of the append: CPython switches threads, and (from
3.12 on) collects garbage, only at calls, function entries and backward jumps, so under the GIL
nothing else runs between them (free-threaded builds are not supported). Such a run of
instructions is called *atomic* below; on 3.11, where the collector runs on allocations, an atomic
run allocates no container.

A unit of another thread takes :attr:`lock` and makes the writer **exclusive**: it saves ``_last``
and puts the gate (a slot no thread owns) in its place, so every other appender fails the check
and waits on the lock; the marker and the unit are then appended with calls allowed, and
``_last`` becomes the unit's thread. Everything else that changes the buffer either holds the
lock and is atomic (id declarations, fd-captured output, the flush's swap of the buffer) or holds
the lock and is exclusive (output events, closing threads at the end). The lock is never held while
anything can run the program's code (units are encoded before it is taken), and a thread switch
costs one lock hand-off per GIL switch interval instead of one per event.

Event indexes (each thread's first and last event, for the metadata) come from ``_total``, the
count of events appended, kept in every atomic append; a flush does not change it.

Mixed into :class:`recorder.trace_writer.TraceWriter`, which owns the state declared here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from recorder import events

__all__ = ["SharedMode", "ThreadSlot"]


class ThreadSlot:
    """A recorded thread as the writer sees it: its trace number, given at its first event.

    Numbers are never reused: 1 is the thread that started tracing, the others are numbered in
    the order their first event reaches the writer. ``first``/``last`` are the indexes (in
    ``trace.json``) of the thread's first and last event.
    """

    __slots__ = ("first", "last", "number")

    def __init__(self, number: int = 0) -> None:
        self.number = number
        self.first = 0
        self.last = -1


#: In ``_last`` while the writer is exclusive (or stopped): no thread's unit is appended lock-free.
GATE = ThreadSlot(-1)


class SharedMode:
    """The thread half of the trace writer (see the module docstring)."""

    lock: threading.RLock
    shared: bool
    main: ThreadSlot
    slots: list[ThreadSlot]
    _last: ThreadSlot
    _stopped: bool
    _buf: list[str]
    _size: int
    _chunk_size: int
    _events: int
    _total: int
    call_count: int

    if TYPE_CHECKING:  # provided by TraceWriter
        def flush(self) -> None: ...

    def start_sharing(self) -> None:
        """A second thread is about to be recorded: from now on appends follow shared mode."""
        with self.lock:
            if self.shared:
                return
            last = self._last
            # The thread that started tracing, which appends without looking at the lock until
            # ``shared`` is set, next finds the gate and waits.
            # -- atomic: no call, no backward jump, no container built
            self._last = GATE
            self.shared = True
            # -- end atomic
            self._total = self._events + len(self._buf)
            self.main.last = self._total - 1
            self._last = last

    def _append(
        self, slot: ThreadSlot, unit: list[str], size: int, flush: bool = True,
        call: bool = False,
    ) -> int:
        """Shared mode: one unit of ``slot``'s events (see the module docstring).

        Returns the ``Call`` ordinal when ``call`` (the unit ends with a ``Call``), else -1.
        """
        count = len(unit)
        # -- atomic: no call, no backward jump, no container built
        if slot is self._last:
            self._buf += unit
            self._size += size
            self._total += count
            slot.last = self._total - 1
            if call:
                self.call_count += 1
                return self.call_count - 1
            # -- end atomic
            if flush and self._size >= self._chunk_size:
                self.flush()
            return -1
        return self._append_switching(slot, unit, size, flush, call)

    def _append_switching(
        self, slot: ThreadSlot, unit: list[str], size: int, flush: bool, call: bool,
    ) -> int:
        """The unit of a thread other than the last one: after its marker, under the lock.

        The marker is appended exclusive; the gate then opens to this thread alone (the others
        wait on the lock), so its unit follows the marker on the lock-free path.
        """
        # The lock is read once: finishing may replace it (a frozen thread's lock is abandoned)
        # while this thread is inside.
        lock = self.lock
        lock.acquire()
        try:
            if self._stopped:  # closed while this thread was still running: dropped
                return -1
            previous = self._last
            self._last = GATE
            try:
                self._mark(slot, previous)
                previous = slot  # marked: the gate opens to this thread
            finally:
                self._last = previous
            return self._append(slot, unit, size, flush, call)
        finally:
            lock.release()

    def _mark(self, slot: ThreadSlot, previous: ThreadSlot) -> None:
        """``ThreadStart``/``ThreadSwitch`` before ``slot``'s unit if ``previous`` was another's.

        Called exclusive (lock held, gate in place).
        """
        if slot is previous:
            return
        if slot.number == 0:  # first event: numbered now, in order of first events
            number = len(self.slots) + 1
            marker = events.thread_start(number)  # first: building it may fail (stack limit)
            slot.number = number
            self.slots.append(slot)
            slot.first = self._total + 1
        else:
            marker = events.thread_switch(slot.number)
        self._buf.append(marker)
        self._size += len(marker)
        self._total += 1

    def _put(self, event: str) -> None:
        """Append one event that belongs to no unit (a declaration, fd output), atomically."""
        one = [event]  # built before: on 3.11 a list allocation may run the garbage collector
        size = len(event)
        # -- atomic: no call, no backward jump, no container built
        self._buf += one
        self._size += size
        self._total += 1
        # -- end atomic

    def end_threads(self, open_frames: Callable[[], dict[int, int]]) -> None:
        """Close every thread but the first: ``Return None`` per open frame, then ``ThreadExit``.

        ``open_frames()`` maps a thread number to the frames still open in it; it is asked once
        the writer is exclusive, so that no thread's late ``Call`` or ``Return`` can come after
        the count. Called when the recording ends, after the tracer is detached; ends on thread
        1 (its final ``Return`` follows). Events of other threads still in flight wait, and are
        then dropped.
        """
        if not self.shared:
            return
        with self.lock:
            previous = self._last
            self._last = GATE
            depths = open_frames()
            none = events.ret(events.NONE_VALUE)
            for slot in self.slots[1:]:
                self._mark(slot, previous)
                for _ in range(depths.get(slot.number, 0)):
                    self._buf.append(none)
                    self._size += len(none)
                    self._total += 1
                exit_event = events.thread_exit(slot.number)
                self._buf.append(exit_event)
                self._size += len(exit_event)
                self._total += 1
                slot.last = self._total - 1
                previous = GATE  # nobody: the next unit is preceded by a switch
            self._mark(self.main, previous)
            self._last = self.main

    def thread_list(self) -> list[dict[str, int]]:
        """Each numbered thread's number and first/last event index (for the metadata)."""
        return [{"number": slot.number, "first_event": slot.first, "last_event": slot.last}
                for slot in self.slots]
