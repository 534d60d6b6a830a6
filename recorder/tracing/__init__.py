"""Tracing backends behind one :class:`~recorder.tracing.base.Tracer` protocol.

``monitoring`` (``sys.monitoring``, Python 3.12+) is the default where it exists; ``settrace``
(``sys.settrace``) works everywhere and is the only choice on 3.11. Both feed the same
:class:`~recorder.tracing.frames.FrameRecorder`, so they write the same events for the same program.
"""

from __future__ import annotations

import sys

from recorder.errors import ErrorCode, usage
from recorder.tracing.base import Contain, Tracer
from recorder.tracing.filters import CodeFilter
from recorder.tracing.frames import FrameRecorder

__all__ = [
    "BACKENDS",
    "CodeFilter",
    "FrameRecorder",
    "Tracer",
    "available_backends",
    "make_tracer",
    "resolve_backend",
]

#: Every backend name the recorder knows, whether or not this interpreter has it.
BACKENDS: tuple[str, ...] = ("monitoring", "settrace")


def available_backends() -> list[str]:
    """The backends this interpreter supports, preferred first."""
    names = ["settrace"]
    if sys.version_info >= (3, 12) and hasattr(sys, "monitoring"):
        names.insert(0, "monitoring")
    return names


def resolve_backend(name: str) -> str:
    """``auto`` -> the preferred available backend; a named one is checked for availability."""
    available = available_backends()
    if name == "auto":
        return available[0]
    if name not in BACKENDS:
        raise usage(
            ErrorCode.INVALID_ARGUMENT,
            f"unknown tracing backend {name!r}",
            backend=name,
            accepted="auto, " + ", ".join(BACKENDS),
        )
    if name not in available:
        raise usage(
            ErrorCode.BACKEND_UNAVAILABLE,
            f"backend {name!r} is not available on Python "
            f"{sys.version_info.major}.{sys.version_info.minor}",
            backend=name,
            available=", ".join(available),
        )
    return name


def make_tracer(backend: str, frames: FrameRecorder, contain: Contain) -> Tracer:
    """A tracer for ``backend`` (``auto`` allowed) feeding ``frames``; not installed yet."""
    resolved = resolve_backend(backend)
    if resolved == "monitoring":
        from recorder.tracing.monitoring import MonitoringTracer

        return MonitoringTracer(frames, contain)
    from recorder.tracing.settrace import SettraceTracer

    return SettraceTracer(frames, contain)
