"""codetracer recorder: record a Python program's execution as a CodeTracer trace.

Public API::

    import recorder
    with recorder.trace("out"):           # or recorder.start("out") ... recorder.stop()
        work()
    recorder.flush(); recorder.is_tracing()

Errors are classified (:mod:`recorder.errors`): kinds, stable ``ERR_*`` codes, exit codes
2/10/20/70. Setting ``CODETRACER_TRACE=DIR`` starts tracing when this package is imported and
stops it (publishing the trace) at interpreter exit, as the Rust recorder does.

The API names are loaded on first use, and auto-start is imported only when ``CODETRACER_TRACE``
is set, so ``import recorder.errors`` loads nothing but the package face and the façade.

PYTEST_DONT_REWRITE: this distribution registers a ``pytest11`` plugin, so pytest marks its
packages for assertion rewriting; under ``python -m recorder -m pytest`` this package is imported
before pytest starts, and without this marker pytest would warn that it cannot rewrite it (an
error under ``filterwarnings = error``). The recorder has no asserts to rewrite.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__all__ = ["Outcome", "TraceSession", "__version__", "flush", "is_tracing", "start", "stop",
           "trace"]

if TYPE_CHECKING:
    from recorder.about import VERSION as __version__
    from recorder.session import Outcome, TraceSession, flush, is_tracing, start, stop, trace

_API = frozenset(__all__) - {"__version__"}


def __getattr__(name: str) -> object:
    if name == "__version__":
        from recorder.about import VERSION

        return VERSION
    if name in _API:
        from recorder import session

        return getattr(session, name)
    raise AttributeError(f"module 'recorder' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + list(_API))


# Only when asked: importing the façade (``recorder.errors``) must not start the machinery.
if os.environ.get("CODETRACER_TRACE"):
    from recorder.autostart import autostart_from_environment

    autostart_from_environment()
