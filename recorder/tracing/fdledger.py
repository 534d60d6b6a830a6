"""What the stream proxies recorded already, so fd capture does not record it a second time.

Under ``proxies+fd`` a ``print()`` is seen twice: by the ``sys.stdout`` proxy (with its frame and
line) and, once the text stream flushes, as bytes on fd 1's channel. The proxy tells a
:class:`Ledger` the bytes it reported (:meth:`Ledger.expect`); the channel's reader passes what it
reads through :meth:`Ledger.subtract`, which removes those bytes and returns the rest: the output
that bypassed ``sys.stdout``.

One ledger per channel, one queue of writes per stream in it (a ``2>&1`` channel carries
stdout's and stderr's proxy output, each in its own order, flushed at different times). Matching
is streaming: a proxied write split across two reads is still removed whole, and raw output may
come between two proxied writes. A raw write that equals the next expected bytes while the text
stream still buffers them is taken for them (it is then recorded once, attributed to the proxy's
line, rather than twice); a match that stops inside a read is no match, so only a read that ends
in the middle of expected bytes can take a coincidental prefix for them. Each queue is bounded
(:data:`MAX_EXPECTED`): writes the proxies reported that never reach the descriptor (a stream
the program re-pointed) are forgotten oldest first.
"""

from __future__ import annotations

import threading
from collections import deque

__all__ = ["MAX_EXPECTED", "Expected", "Ledger"]

#: Bytes a queue may hold before its oldest writes are dropped.
MAX_EXPECTED = 1 << 22


def _common_prefix(data: bytes, start: int, expected: bytearray) -> int:
    """How many bytes of ``data[start:]`` equal the start of ``expected``."""
    size = min(len(data) - start, len(expected))
    if data[start:start + size] == expected[:size]:
        return size
    matched = 0
    while matched < size and data[start + matched] == expected[matched]:
        matched += 1
    return matched


class Ledger:
    """The proxies' writes still expected on one channel, per stream kind (0 stdout, 2 stderr)."""

    def __init__(self, kinds: tuple[int, ...]) -> None:
        self._queues: dict[int, deque[bytearray]] = {kind: deque() for kind in kinds}
        self._sizes = dict.fromkeys(kinds, 0)
        self._lock = threading.Lock()

    def expect(self, kind: int, data: bytes) -> None:
        """The proxy of stream ``kind`` reported ``data`` (encoded as the stream encodes it)."""
        queue = self._queues.get(kind)
        if queue is None or not data:
            return
        with self._lock:
            queue.append(bytearray(data))
            self._sizes[kind] += len(data)
            while self._sizes[kind] > MAX_EXPECTED and len(queue) > 1:
                self._sizes[kind] -= len(queue.popleft())

    def cancel(self, kind: int, data: bytes) -> None:
        """Take back ``data`` announced last for ``kind`` (the write it announced failed)."""
        queue = self._queues.get(kind)
        if queue is None or not data:
            return
        with self._lock:
            if queue and queue[-1] == data:
                self._sizes[kind] -= len(queue.pop())

    def subtract(self, data: bytes) -> bytes:
        """``data`` without the expected bytes it contains (see the module docstring)."""
        with self._lock:
            if not any(self._queues.values()):
                return data
            rest = bytearray()
            at, size = 0, len(data)
            while at < size:
                taken = self._take(data, at)
                if taken:
                    at += taken
                else:
                    following = self._next_candidate(data, at + 1)
                    rest += data[at:following]
                    at = following
            return bytes(rest)

    def _take(self, data: bytes, at: int) -> int:
        """How many bytes from ``at`` are the next expected write of some stream (consumed)."""
        for kind, queue in self._queues.items():
            if not queue or data[at] != queue[0][0]:
                continue
            entry = queue[0]
            matched = _common_prefix(data, at, entry)
            # The whole write, or all of this read (the rest may come with the next one); a
            # match that stops inside the read is a coincidence, not the write.
            if matched == len(entry):
                queue.popleft()
            elif at + matched == len(data):
                del entry[:matched]
            else:
                continue
            self._sizes[kind] -= matched
            return matched
        return 0

    def _next_candidate(self, data: bytes, start: int) -> int:
        """The first index from ``start`` where some stream's next write could begin."""
        found = len(data)
        for queue in self._queues.values():
            if queue:
                index = data.find(queue[0][0], start, found)
                if index >= 0:
                    found = index
        return found


class Expected:
    """Bytes announced to a ledger before the write that makes them; :meth:`cancel` if it fails.

    Announced first because a write-through stream puts them on the descriptor during the write,
    and the reader must already know them then.
    """

    __slots__ = ("_data", "_kind", "_ledger")

    def __init__(self, ledger: Ledger, kind: int, data: bytes) -> None:
        self._ledger, self._kind, self._data = ledger, kind, data
        ledger.expect(kind, data)

    def cancel(self) -> None:
        self._ledger.cancel(self._kind, self._data)
