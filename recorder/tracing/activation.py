"""``--activation-path FILE``: no events until code of FILE runs; stop when that frame returns.

This is the existing recorder's activation gate. While the gate is closed, a backend's entry
callback asks :meth:`Activation.opens` for each new code object (``sys.monitoring``: once per code
object, which is then disabled; ``sys.settrace``: once per call, one cached dictionary lookup) and
records nothing else: no line or return events are requested for any frame, so the cost before
activation is that check alone. The first frame of traced code from FILE opens the gate and is
recorded as the first call; the path is the trace's start path. When that frame returns (or an
exception leaves it) the backend calls :attr:`Activation.on_end`, which detaches the recording:
what runs afterwards is not recorded.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from types import CodeType, FrameType

__all__ = ["Activation"]


def _norm(path: str) -> str:
    return os.path.normcase(os.path.realpath(path))


class Activation:
    """The gate of one recording (see the module docstring)."""

    __slots__ = ("_seen", "frame", "on_end", "path")

    def __init__(self, path: str, on_end: Callable[[], None]) -> None:
        self.path = _norm(path)
        self.on_end = on_end  # the recording's detach
        self.frame: FrameType | None = None  # the activating frame, once the gate opened
        self._seen: dict[str, bool] = {}

    def opens(self, code: CodeType) -> bool:
        """True when ``code`` belongs to the activation file (cached per file name)."""
        filename = code.co_filename
        hit = self._seen.get(filename)
        if hit is None:
            hit = self._seen[filename] = (
                not filename.startswith("<") and _norm(filename) == self.path)
        return hit

    def ends_with(self, frame: FrameType) -> bool:
        """True when ``frame`` is the activating frame (its return ends the recording)."""
        return frame is self.frame
