"""codetracer recorder: record a Python program's execution as a CodeTracer trace.

Public API::

    import recorder
    with recorder.trace("out"):           # or recorder.start("out") ... recorder.stop()
        work()
    recorder.flush(); recorder.is_tracing()

Errors are classified (:mod:`recorder.errors`): kinds, stable ``ERR_*`` codes, exit codes
2/10/20/70. Setting ``CODETRACER_TRACE=DIR`` starts tracing when this package is imported and
stops it (publishing the trace) at interpreter exit, as the Rust recorder does.

The API names are loaded on first use, so ``import recorder.errors`` stays cheap and does not
pull in the tracing machinery.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = ["Outcome", "TraceSession", "__version__", "flush", "is_tracing", "start", "stop",
           "trace"]

if TYPE_CHECKING:
    from recorder.session import Outcome, TraceSession, flush, is_tracing, start, stop, trace

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    if name in _API:
        from recorder import session

        return getattr(session, name)
    raise AttributeError(f"module 'recorder' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_API))


from recorder.autostart import autostart_from_environment  # noqa: E402

autostart_from_environment()
