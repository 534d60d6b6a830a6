"""Run a script as ``python SCRIPT ARGS...`` would: as ``__main__``, with its own argv and path.

The script sees ``sys.argv == [SCRIPT, *ARGS]``, ``__name__ == "__main__"``, ``sys.path[0]`` set to
its directory, and a fresh ``__main__`` module. How it ended is returned as a :class:`ScriptEnd`
instead of propagating, so the caller can finish the trace before the process ends: a normal end
is status 0, ``sys.exit(n)`` is ``n`` (a non-integer code is printed to stderr and gives 1, as
Python does), ``KeyboardInterrupt`` is reported as interrupted, and any other uncaught exception is
status 20 (Target), its traceback printed through ``sys.excepthook`` as Python would, starting
at the script's own frames.
"""

from __future__ import annotations

import os
import sys
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import CodeType, TracebackType
from typing import Any

from recorder.errors import ErrorCode, ExitCode, usage
from recorder.structs import struct


@struct()
class ScriptEnd:
    """How the script ended."""

    status: int
    label: str
    exception: BaseException | None = None

    @property
    def interrupted(self) -> bool:
        return isinstance(self.exception, KeyboardInterrupt)


def load_script(path: str) -> tuple[str, bytes]:
    """Read the script's source; a missing or unreadable script is a usage error."""
    try:
        with open(path, "rb") as handle:
            return path, handle.read()
    except OSError as exc:
        raise usage(
            ErrorCode.SCRIPT_NOT_FOUND, f"cannot read the script {path!r}: {exc.strerror}",
            path=path) from exc


_RECORDER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _is_ours(tb: TracebackType) -> bool:
    return tb.tb_frame.f_code.co_filename.startswith(_RECORDER_DIR)


def _own_frames(tb: TracebackType | None) -> TracebackType | None:
    """The program's part of a traceback: its leading run of frames that are not the recorder's.

    The first entry is the frame that caught the exception; when that is the recorder's own
    (``run_code`` around the script) it is skipped. A recorder frame further down is a tracer
    callback (a Ctrl-C or an error can surface inside one): it and everything it called are
    ours, not the program's, so the chain is cut there and the traceback reads as it would
    without the recorder. ``None`` when no frame is the program's: the exception came from the
    callback of the script frame's own exit (a Ctrl-C at the very end), or was the recorder's.
    """
    start = tb
    if start is not None and _is_ours(start):
        start = start.tb_next
    if start is None or _is_ours(start):
        return None
    cursor = start
    while cursor.tb_next is not None:
        if _is_ours(cursor.tb_next):
            cursor.tb_next = None
            break
        cursor = cursor.tb_next
    return start


def trim_traceback(exc: BaseException) -> BaseException:
    """Cut the recorder's frames off the tracebacks of ``exc`` and of the exceptions chained to
    it, so that they show the program's frames only.

    An exception raised in the recorder's own code (a syntax error found by ``compile``, a
    Ctrl-C deferred past the script's end) has no frame of the program, so its traceback is
    dropped; one chained to it that is entirely the recorder's own is not shown at all.
    """
    # The exceptions it was raised from or while handling (a second Ctrl-C in an ``except``
    # block) are printed with it, so their tracebacks are cut as well.
    seen: set[int] = set()
    previous: BaseException | None = None
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        seen.add(id(link))
        own = _own_frames(link.__traceback__)
        if previous is not None and own is None and link.__traceback__ is not None:
            if previous.__cause__ is None:
                previous.__suppress_context__ = True
            break
        link.__traceback__ = own
        previous, link = link, link.__cause__ or link.__context__
    return exc


@contextmanager
def unraisable_without_recorder_frames() -> Iterator[None]:
    """Cut the recorder's frames off exceptions Python reports as "Exception ignored in ...".

    An exception that cannot propagate (one leaving a generator's finaliser, a ``__del__``) is
    printed by ``sys.unraisablehook``; a Ctrl-C landing in the tracer callback of such a frame
    would show our frames there. The program's own hook, if it installs one, is left alone.
    """
    saved = sys.unraisablehook

    def hook(args: Any) -> None:
        tb = args.exc_traceback
        if tb is not None:
            own = _own_frames(tb)
            if own is not tb:
                args = type(args)((args.exc_type, args.exc_value, own, args.err_msg, args.object))
        saved(args)

    sys.unraisablehook = hook
    try:
        yield
    finally:
        if sys.unraisablehook is hook:
            sys.unraisablehook = saved


def print_exception(exc: BaseException) -> None:
    """Report an uncaught exception through ``sys.excepthook``, as the interpreter does."""
    sys.stderr.flush()
    sys.excepthook(type(exc), exc, exc.__traceback__)


def exit_status(exc: SystemExit) -> int:
    """The process exit status of ``sys.exit(code)`` as a plain ``int``.

    ``sys.exit(True)`` and ``sys.exit(SomeIntEnum.X)`` are ints to Python's exit path; the trace
    records the status as an ``Int`` value, so subclasses (bool, IntEnum) become plain ints here.
    """
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return int.__index__(code)  # the int value itself, never a subclass's __int__
    sys.stderr.write(f"{code}\n")
    return 1


def prepare_main(path: str, argv: list[str]) -> dict[str, object]:
    """Install a fresh ``__main__`` module, argv and path entry for the script; its globals."""
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__dict__.update({"__cached__": None, "__builtins__": __builtins__,
                            "__loader__": None, "__package__": None, "__spec__": None})
    sys.modules["__main__"] = module
    sys.argv[:] = [path if not argv else argv[0], *argv[1:]]
    script_dir = path.rsplit("/", 1)[0] if "/" in path else "."
    if sys.path:
        sys.path[0] = script_dir
    else:
        sys.path.append(script_dir)
    return module.__dict__


def compile_script(path: str, source: bytes) -> CodeType | ScriptEnd:
    """Compile the script; a syntax error is reported as Python would and ends it (status 20)."""
    try:
        return compile(source, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        print_exception(trim_traceback(exc))
        return ScriptEnd(int(ExitCode.TARGET), "exception", exc)


def join_threads() -> None:
    """Wait for the script's non-daemon threads, as interpreter shutdown does."""
    current = threading.current_thread()
    for thread in threading.enumerate():
        if thread is not current and not thread.daemon and thread.is_alive():
            thread.join()


def run_code(
    code: CodeType | Callable[[], object], namespace: dict[str, object],
    is_ours: Callable[[BaseException], bool],
) -> ScriptEnd:
    """Execute the compiled script (or call the runner ``code``) and say how it ended; never
    raises.

    ``is_ours`` recognises the classified error that the ``abort`` policy raised into the
    program: it ends the script with label ``recorder-error`` and no traceback (the caller
    reports it with its code).
    """
    try:
        with unraisable_without_recorder_frames():
            if isinstance(code, CodeType):
                exec(code, namespace)
            else:
                code()
            join_threads()
    except SystemExit as exc:
        return ScriptEnd(exit_status(exc), "exit", None)
    except KeyboardInterrupt as exc:
        if is_ours(exc):  # another thread's recorder failure interrupted the main thread
            return ScriptEnd(int(ExitCode.INTERNAL), "recorder-error", None)
        return ScriptEnd(130, "interrupted", trim_traceback(exc))
    except BaseException as exc:  # noqa: REC005 - the program's own failure, reported here
        if is_ours(exc):
            return ScriptEnd(int(ExitCode.INTERNAL), "recorder-error", exc)
        print_exception(trim_traceback(exc))
        return ScriptEnd(int(ExitCode.TARGET), "exception", exc)
    return ScriptEnd(0, "exit", None)
