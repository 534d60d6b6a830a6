"""The program's output in the trace: ``Event`` for writes to stdout/stderr and reads of stdin.

Two sources. The stream proxies report each write with its thread, frame and line
(:meth:`IoEvents.io`); consecutive writes to one stream with nothing in between become one Event
(``print()`` writes its arguments, separators and end separately), up to :data:`IO_MERGE_LIMIT`
characters. Output read from file descriptors 1 and 2 by the fd-capture thread has none of those:
it is posted from that thread (:meth:`IoEvents.post`, no lock) and taken into the event stream at
the next call or return boundary and at every flush, at most :data:`POSTED_EVENT_LIMIT` characters
an Event.

Mixed into :class:`recorder.trace_writer.TraceWriter`, which owns the state declared here.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import TYPE_CHECKING

from recorder import events
from recorder.trace_threads import GATE, ThreadSlot

__all__ = ["IO_MERGE_LIMIT", "POSTED_EVENT_LIMIT", "IoEvents"]

#: Consecutive writes to one stream are merged into one Event until it holds this many characters.
IO_MERGE_LIMIT = 4096
#: The most characters of fd-captured output one Event holds.
POSTED_EVENT_LIMIT = 64 * 1024


class IoEvents:
    """The output half of the trace writer (see the module docstring)."""

    lock: threading.RLock
    main: ThreadSlot
    _last: ThreadSlot
    _stopped: bool
    _buf: list[str]
    _size: int
    _chunk_size: int
    _total: int
    _io_event: str | None
    _io_stream: int
    _io_content: str
    _posted: deque[tuple[int, str, str]]
    _accepting: bool

    if TYPE_CHECKING:  # provided by TraceWriter and SharedMode
        def flush(self) -> None: ...
        def _mark(self, slot: ThreadSlot, previous: ThreadSlot) -> None: ...
        def _put(self, event: str) -> None: ...

    def io(
        self, kind: int, stream: str, content: str, frame_id: int, location: tuple[int, int],
        slot: ThreadSlot | None = None,
    ) -> None:
        """An ``Event`` for a write to stdout (kind 0) or stderr (kind 2), or a stdin read (3).

        ``frame_id`` identifies the writing frame (the recorder passes the ordinal of its
        ``Call``, 0 for toplevel), ``location`` its (path id, line) of the last ``Step``.
        """
        slot = slot or self.main
        # Rare enough to be exclusive (recorder.trace_threads): the text is built inside (no
        # user code runs) and the Event may replace the last one.
        with self.lock:
            if self._stopped:
                return
            previous = self._last
            self._last = GATE
            try:
                self._io_locked(kind, stream, content, frame_id, location, slot, previous)
                previous = slot  # appended: the gate opens to this thread
            finally:
                self._last = previous
            if self._size >= self._chunk_size:
                self.flush()

    def _io_locked(
        self, kind: int, stream: str, content: str, frame_id: int, location: tuple[int, int],
        slot: ThreadSlot, previous: ThreadSlot,
    ) -> None:
        last = self._io_event
        buf = self._buf
        if (last is not None and buf and buf[-1] is last and self._io_stream == kind
                and previous is slot and len(self._io_content) < IO_MERGE_LIMIT):
            # Nothing happened since the last write to this stream: extend that Event (up to a
            # limit: each extension re-encodes the Event, which must not grow without bound).
            content = self._io_content + content
            buf.pop()
            self._size -= len(last)
            self._total -= 1
        self._mark(slot, previous)
        event = events.io(kind, stream, content, location[0], location[1], frame_id,
                          slot.number)
        self._put(event)
        slot.last = self._total - 1
        self._io_event = event
        self._io_stream = kind
        self._io_content = content

    def post(self, kind: int, stream: str, content: str) -> None:
        """From any thread: output with no thread, frame or line (fd capture) for an ``Event``.

        It is taken into the event stream at the next call or return boundary and when the
        buffer is flushed (``deque.append`` is atomic, so no lock is needed on the hot path).
        """
        if self._accepting:
            self._posted.append((kind, stream, content))

    def _take_posted(self) -> None:
        with self.lock:  # rare (fd capture only): taken by whichever recorded thread gets here
            self._take_posted_locked()

    def _take_posted_locked(self) -> None:
        # Consecutive reads of one stream become one Event of at most POSTED_EVENT_LIMIT.
        pieces: list[str] = []
        size, kind, stream = 0, -1, ""
        while self._posted and self._accepting:
            next_kind, next_stream, content = self._posted.popleft()
            if pieces and (next_kind != kind or size >= POSTED_EVENT_LIMIT):
                self._append_posted(kind, stream, "".join(pieces))
                pieces, size = [], 0
            kind, stream = next_kind, next_stream
            pieces.append(content)
            size += len(content)
        if pieces:
            self._append_posted(kind, stream, "".join(pieces))

    def _append_posted(self, kind: int, stream: str, content: str) -> None:
        self._put(events.io_unattributed(kind, stream, content))
