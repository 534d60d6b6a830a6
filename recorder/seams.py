"""Fault points of the recorder: the seams through which a fault-injection harness fails it.

Every system call of the output layer calls :func:`hit` first with its point name and path;
lifecycle steps call it too, and tracer callbacks are wrapped with it when a hook is installed.
A hook may raise an ``OSError`` (a simulated I/O failure), raise any other exception (a
simulated recorder bug) or deliver a signal. The recorder never imports the harness: the harness
installs a hook here (``fault_injection`` does, in process or through its ``exec`` runner).

With no hook installed, :func:`hit` is one global lookup and a comparison, and backends install
unwrapped callbacks, so the seams cost nothing measurable on the hot path.
"""

from __future__ import annotations

from collections.abc import Callable

FaultHook = Callable[[str, "str | None"], None]

IO_POINTS: tuple[str, ...] = ("open", "write", "fsync", "close", "rename", "mkdir", "unlink")
CALLBACK_POINTS: tuple[str, ...] = ("call", "line", "return", "yield", "unwind")
LIFECYCLE_POINTS: tuple[str, ...] = ("start", "flush", "detach", "stop")
ALL_POINTS: tuple[str, ...] = IO_POINTS + CALLBACK_POINTS + LIFECYCLE_POINTS

_hook: FaultHook | None = None


def hit(point: str, path: str | None = None) -> None:
    """Report that the recorder is about to pass fault point ``point`` (on ``path``)."""
    if _hook is not None:
        _hook(point, path)


def active() -> bool:
    """True while a hook is installed."""
    return _hook is not None


def install(hook: FaultHook) -> None:
    """Install ``hook``; it replaces any hook installed before."""
    global _hook
    _hook = hook


def uninstall() -> None:
    """Remove the hook; the seams are free again."""
    global _hook
    _hook = None
