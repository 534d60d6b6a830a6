"""Tracing backends behind one :class:`~recorder.tracing.base.Tracer` protocol.

``monitoring`` (``sys.monitoring``, Python 3.12+) is the default where it exists; ``settrace``
(``sys.settrace``) works everywhere and is the only choice on 3.11. Both feed the same
:class:`~recorder.tracing.frames.FrameRecorder`, so they write the same events for the same program.
"""

from __future__ import annotations

import sys

from recorder.errors import ErrorCode, bug
from recorder.tracing.activation import Activation
from recorder.tracing.base import Contain, Tracer
from recorder.tracing.filters import CodeFilter
from recorder.tracing.frames import FrameRecorder
from recorder.tracing.threads import ThreadRegistry

__all__ = [
    "BACKENDS",
    "CodeFilter",
    "FrameRecorder",
    "Tracer",
    "available_backends",
    "make_tracer",
]

#: Every backend name the recorder knows, whether or not this interpreter has it.
BACKENDS: tuple[str, ...] = ("monitoring", "settrace")


def available_backends() -> list[str]:
    """The backends this interpreter supports, preferred first."""
    names = ["settrace"]
    if sys.version_info >= (3, 12) and hasattr(sys, "monitoring"):
        names.insert(0, "monitoring")
    return names


def make_tracer(
    backend: str, frames: FrameRecorder, contain: Contain, activation: Activation | None = None,
    threads: ThreadRegistry | None = None,
) -> Tracer:
    """A tracer for ``backend`` (resolved by preflight) feeding ``frames``; not installed yet.

    With ``activation`` nothing is recorded until its file runs (``--activation-path``). Other
    threads are recorded through ``threads`` (None: only the installing thread).
    """
    if backend not in available_backends():
        raise bug(ErrorCode.INVARIANT_VIOLATED,
                  f"backend {backend!r} was not resolved by preflight", backend=backend)
    if backend == "monitoring":
        from recorder.tracing.monitoring import MonitoringTracer

        return MonitoringTracer(frames, contain, activation, threads)
    from recorder.tracing.settrace import SettraceTracer

    return SettraceTracer(frames, contain, activation, threads)
