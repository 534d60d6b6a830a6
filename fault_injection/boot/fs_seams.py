"""Counting seams for any Python program: its file-system calls, wrapped where system calls happen.

This module is the core (the counting state, the plan, the journal); :mod:`open_seam` and
:mod:`os_seams` beside it wrap the functions and call :func:`count`.

Loaded into a child process by the bootstrap (``sitecustomize.py`` next to this file) before the
program runs, so it must need nothing but the standard library: it runs inside other people's
processes, possibly in a virtual environment where this project is not installed.

What is wrapped (each a *point*; ``builtins.open``/``io.open`` count as ``os.open`` and
``os.write``, ``os.remove`` as ``os.unlink``, ``os.makedirs`` through the ``os.mkdir`` it calls):

* ``builtins.open``/``io.open`` return the standard buffered and text objects over a
  :class:`CountedFileIO` (a ``FileIO`` subclass): opening is one ``os.open`` hit, each raw
  ``write`` one ``os.write`` hit (one ``write(2)``), ``truncate`` one ``os.ftruncate`` hit;
* ``os.open os.write os.pwrite os.ftruncate os.truncate os.fsync os.fdatasync os.replace
  os.rename os.mkdir os.rmdir os.unlink os.sendfile`` (``shutil`` copies with ``sendfile``);
  ``os.close`` is wrapped only to forget the descriptor.

Only calls on paths under the ``only-under`` roots are counted (descriptors are mapped back to the
path they were opened with); the interpreter's imports go through ``io.open_code`` and are never
counted. A call made by the recorder's own code (the first caller frame outside ``os``, ``io``,
``shutil``, ``pathlib`` and ``tempfile`` is in ``recorder``) is left to the recorder's seams, so
the two point sets never count the same call twice. Not seen: C extensions that call the C
library themselves, ``mmap`` writes, descriptors duplicated with ``os.dup``.

A fault fires *before* the call, as :mod:`fault_injection.injector` does: an errno kind raises the
``OSError`` the system call would raise, ``sigint`` raises a real SIGINT. Every counted call is
appended to the journal as an ``op`` line (operation, paths, flags, offset, size) when the log is
on, each firing as a ``fired`` line before it takes effect, and the hit counts at exit. For the
crash explorer (:mod:`fault_injection.crash_log`) the op lines also carry the descriptor and the
bytes written (``FAULT_SEAMS_LOG_DATA``), and the recorder's own calls can be counted too
(``FAULT_SEAMS_COUNT_RECORDER``).
"""

from __future__ import annotations

import _thread
import atexit
import os
import sys

# Start-up cost matters here (the bootstrap runs before every program), so modules the program
# may never need (json, random, signal, typing) are imported only when used.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

POINTS: tuple[str, ...] = (
    "os.open", "os.write", "os.pwrite", "os.ftruncate", "os.truncate", "os.fsync",
    "os.fdatasync", "os.replace", "os.rename", "os.mkdir", "os.rmdir", "os.unlink", "os.sendfile")
FD_POINTS = frozenset({"os.write", "os.pwrite", "os.ftruncate", "os.fsync", "os.fdatasync",
                       "os.sendfile"})
#: Other names a plan may use for a point; they count the same system call.
ALIASES: dict[str, str] = {"os.remove": "os.unlink", "os.makedirs": "os.mkdir",
                           "builtins.open": "os.open", "io.open": "os.open"}
ERRNOS: dict[str, int] = {"enospc": 28, "eacces": 13, "erofs": 30, "eio": 5, "efbig": 27}

ENV_PLAN = "FAULT_SEAMS_PLAN"          # JSON list of clauses (the parent parsed the text plan)
ENV_ONLY_UNDER = "FAULT_SEAMS_ONLY_UNDER"  # os.pathsep-separated roots; relative: to the cwd
ENV_JOURNAL = "FAULT_SEAMS_JOURNAL"
ENV_LOG_OPS = "FAULT_SEAMS_LOG_OPS"    # "1": one journal line per counted call
ENV_LOG_DATA = "FAULT_SEAMS_LOG_DATA"  # "1": op lines carry the bytes written (crash explorer)
ENV_COUNT_RECORDER = "FAULT_SEAMS_COUNT_RECORDER"  # "1": count the recorder's own calls too
# Modules whose frames stand between the program and the call; the wrapper modules join at install.
_TRANSPARENT = {"os", "io", "_pyio", "shutil", "pathlib", "pathlib._local", "pathlib._abc",
                "tempfile", __name__,
                # the recorder's own wrappers: its calls are named by the line that asked for them
                "recorder.output.syscalls"}
# Saved before any wrapper exists: the journal is written with the real calls, never counted.
_os_open, _os_write = os.open, os.write


def _random(seed: int) -> Any:
    import random

    return random.Random(seed)


class Seams:
    """The counting state of one process: hits per point, the plan's clauses, the fd map."""

    def __init__(self, clauses: list[dict[str, Any]], roots: list[str], journal: str | None,
                 log_ops: bool, log_data: bool = False, count_recorder: bool = False) -> None:
        self.clauses = clauses
        for clause in clauses:
            clause["fired"] = 0
            clause["rng"] = _random(clause.get("seed", 0)) \
                if clause.get("probability") is not None else None
        self.roots = roots
        self.hits: dict[str, int] = {}
        self.fired: list[dict[str, Any]] = []
        self.total = 0
        self.fds: dict[int, str] = {}
        self.log_ops = log_ops
        # The crash explorer replays the log, so it needs the bytes, and the recorder's own
        # calls when the recorder's publication is what it explores.
        self.log_data = log_ops and log_data
        self.count_recorder = count_recorder
        self.lock = _thread.RLock()
        self.journal_fd = None if journal is None else \
            _os_open(journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)

    def counted(self, path: str | None) -> bool:
        """True when ``path`` is under a root (every path when there are no roots)."""
        if path is None:
            return False
        if not self.roots:
            return True
        return any(path == root or path.startswith(root + os.sep) for root in self.roots)

    def relative(self, path: str | None) -> str | None:
        """``path`` relative to the first root it is under (the journal's form)."""
        for root in self.roots:
            if path is not None and path.startswith(root + os.sep):
                return path[len(root) + 1:]
        return path

    def write_line(self, data: dict[str, Any]) -> None:
        """Append one JSON line to the journal with the unwrapped calls."""
        if self.journal_fd is not None:
            import json

            _os_write(self.journal_fd, (json.dumps(data) + "\n").encode())

    def hit(self, point: str, path: str | None, **op: Any) -> None:
        """Count one call at ``point`` (before it happens); fire the plan's fault if it says so."""
        with self.lock:
            self.total += 1
            self.hits[point] = self.hits.get(point, 0) + 1
            if self.log_ops:
                self.write_line({"event": "op", "op": point, "path": self.relative(path),
                                 **{k: self.relative(v) if k == "path2" else v
                                    for k, v in op.items()}})
            clause = self._decide(point)
            if clause is not None:
                fired = {"event": "fired", "spec": clause["text"], "point": point,
                         "hit": self.hits[point], "path": self.relative(path),
                         "seen": dict(self.hits)}
                self.fired.append(fired)  # for an in-process reader (the pytest plugin)
                self.write_line(fired)
        if clause is None:
            return
        if clause["kind"] == "sigint":
            import signal

            signal.raise_signal(signal.SIGINT)
            return
        code = ERRNOS[clause["kind"]]
        # The simulated failure must be exactly what the real system call raises: calls on a
        # descriptor name no file, calls on two paths name both.
        if point in FD_POINTS:
            raise OSError(code, os.strerror(code))  # noqa: REC003
        raise OSError(code, os.strerror(code), path, None, op.get("path2"))  # noqa: REC003

    def _decide(self, point: str) -> dict[str, Any] | None:
        winner = None
        for clause in self.clauses:
            if clause["point"] not in (point, "*"):
                continue
            hit = self.total if clause["point"] == "*" else self.hits[point]
            times = clause.get("times")
            if clause["rng"] is not None:
                # Every clause draws on every hit of its point so a seeded plan replays exactly.
                fires = clause["rng"].random() < clause["probability"] and (
                    times is None or clause["fired"] < times)
            else:
                nth = clause.get("nth") or 1
                fires = hit >= nth and (times is None or hit < nth + times)
            if fires and winner is None:
                clause["fired"] += 1
                winner = clause
        return winner

    def write_counts(self) -> None:
        """The hit counts, as the journal's last line (at interpreter exit)."""
        self.write_line({"event": "counts", "hits": dict(self.hits)})


_seams: Seams | None = None
_bound: list[Any] = []  # the wrapper modules installed, to undo them


def current() -> Seams | None:
    """The active seams of this process, if any."""
    return _seams


def path_of(path: Any, dir_fd: int | None = None) -> str | None:
    """The absolute text path of ``path`` (None for a descriptor or an unusable value)."""
    if isinstance(path, int) or _seams is None:
        return None
    try:
        text = os.fsdecode(path)
    except TypeError:
        return None
    if dir_fd is not None and not os.path.isabs(text):
        base = _seams.fds.get(dir_fd)
        return None if base is None else os.path.normpath(os.path.join(base, text))
    return os.path.abspath(text)


def fd_path(fd: Any) -> str | None:
    """The counted path a descriptor (or an object with ``fileno()``) was opened with."""
    if _seams is None:
        return None
    if not isinstance(fd, int):
        fileno = getattr(fd, "fileno", None)
        fd = fileno() if callable(fileno) else None
    return _seams.fds.get(fd) if isinstance(fd, int) else None


def caller() -> Any:
    """The frame that made the call: the first one outside the wrappers and os/io/shutil/..."""
    frame: Any = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") in _TRANSPARENT:
        frame = frame.f_back
    return frame


def from_recorder(frame: Any = None) -> bool:
    """True when the call comes from the recorder's own code (its seams count it)."""
    frame = caller() if frame is None else frame
    name = "" if frame is None else str(frame.f_globals.get("__name__", ""))
    return name == "recorder" or name.startswith("recorder.")


def payload(data: Any) -> dict[str, str]:
    """``{"data": base64}`` of the bytes a write call is given, when the journal wants them."""
    if _seams is None or not _seams.log_data:
        return {}
    import base64

    return {"data": base64.b64encode(bytes(memoryview(data))).decode("ascii")}


def count(point: str, path: str | None, **op: Any) -> None:
    """Count a call at ``point`` on ``path`` when it is counted (may raise the planned fault)."""
    seams = _seams
    if seams is None or not seams.counted(path):
        return
    frame = caller()
    if not seams.count_recorder and from_recorder(frame):
        return
    if seams.log_ops and frame is not None:
        # The program's source line that issued the call (what a crash-state report names).
        op["line"] = f"{frame.f_code.co_filename}:{frame.f_lineno}"
    seams.hit(point, path, **op)


def install(seams: Seams, parts: list[Any]) -> None:
    """Make ``seams`` the process's seams and let each wrapper module patch its functions."""
    global _seams
    _seams = seams
    for part in parts:
        _TRANSPARENT.add(part.__name__)
        part.bind(sys.modules[__name__])
        _bound.append(part)


def uninstall() -> None:
    """Undo :func:`install`: the original functions are back, nothing is counted."""
    global _seams
    while _bound:
        _bound.pop().unbind()
    _seams = None


def roots_from(text: str) -> list[str]:
    """The ``only-under`` roots: absolute, both as given and with symlinks resolved."""
    roots: list[str] = []
    for part in text.split(os.pathsep):
        if part:
            for root in (os.path.abspath(part), os.path.realpath(part)):
                if root not in roots:
                    roots.append(root)
    return roots


def from_environment(environ: dict[str, str] | os._Environ[str]) -> Seams:
    """The seams the parent asked for in the ``FAULT_SEAMS_*`` variables (which it validated)."""
    text = environ.get(ENV_PLAN) or "[]"
    if text == "[]":
        clauses = []
    else:
        import json

        clauses = json.loads(text)
    seams = Seams(clauses, roots_from(environ.get(ENV_ONLY_UNDER, "")),
                  environ.get(ENV_JOURNAL) or None, environ.get(ENV_LOG_OPS) == "1",
                  environ.get(ENV_LOG_DATA) == "1", environ.get(ENV_COUNT_RECORDER) == "1")
    seams.write_line({"event": "loaded", "pid": os.getpid(),
                      "python": sys.version.split()[0], "executable": sys.executable})
    atexit.register(seams.write_counts)
    return seams
