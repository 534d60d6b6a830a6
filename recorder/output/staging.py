"""Side directories next to a trace target: their names, their owners, and stale-leftover recovery.

The output layer works in two kinds of hidden sibling directories of the target ``<parent>/<name>``:

* ``.<name>.staging-<pid>-<ident>-<token>``: the trace being written (never promoted by recovery);
* ``.<name>.old-<pid>-<ident>-<token>``: an older trace moved aside for the instant of a swap.

``pid`` is the owning process, ``ident`` a short fingerprint of that process (the kernel's boot id
and the process start time from ``/proc``), ``token`` random. The owner is encoded in the *name*
rather than in a marker file inside the directory: a marker would end up inside the published
trace, and a name is created atomically with the directory, so there is no window in which a
side directory exists without its owner being known.

**Liveness.** A side directory is *live* when its owner still runs: the pid exists, is not a
zombie, and has the same fingerprint (a reused pid has another start time; after a reboot the
boot id differs). Directories of the current process are live only while an
:class:`~recorder.output.layer.OutputLayer` holds them (the in-process registry :func:`hold` /
:func:`release`), so a long-running program also cleans its own earlier leftovers. Where ``/proc``
is missing the fingerprint is ``0`` and liveness falls back to "the pid exists" (conservative:
a live-looking owner is never touched).

**Recovery rule** (:func:`recover_stale`, run by ``OutputLayer.begin`` before anything else),
for each side directory of *this* target whose owner is dead:

* ``staging``: removed. It was never published (and is never promoted), whatever it holds.
* ``old``, target absent: the owner died between "target -> old" and "staging -> target"; the
  older trace is renamed back to the target. With several, the most recently modified one is
  restored and the others follow the next rule.
* ``old``, target holds a trace (``trace_metadata.json``): the swap had completed; removed.
* ``old``, target is something else: left alone, as it cannot be proved redundant, and reported.

Recovery is best effort: failures are returned as errors for the caller to log, never raised, so a
leftover that cannot be removed does not stop a new recording.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from recorder.errors import ErrorCode, RecorderError, bug, enverr, translate
from recorder.hashing import blake2s_hex
from recorder.output import syscalls
from recorder.structs import struct

__all__ = [
    "METADATA_NAME",
    "OwnerAlive",
    "SideName",
    "current_ident",
    "default_owner_alive",
    "hold",
    "is_held",
    "is_trace_dir",
    "process_ident",
    "recover_stale",
    "release",
    "remove_tree",
]

METADATA_NAME = "trace_metadata.json"
STAGING = "staging"
OLD = "old"

_NAME_RE = re.compile(r"^\.(?P<target>.+)\.(?P<kind>staging|old)-(?P<pid>\d+)-(?P<ident>[0-9a-f]+)"
                      r"-(?P<token>[0-9a-f]+)$")


@struct(frozen=True)
class SideName:
    """The parsed name of a side directory."""

    target: str
    kind: str
    pid: int
    ident: str
    token: str

    @property
    def filename(self) -> str:
        return f".{self.target}.{self.kind}-{self.pid}-{self.ident}-{self.token}"

    @classmethod
    def new(cls, target: str, kind: str) -> SideName:
        """A fresh name owned by the current process."""
        return cls(target, kind, os.getpid(), current_ident(), os.urandom(4).hex())

    @classmethod
    def parse(cls, filename: str) -> SideName | None:
        match = _NAME_RE.match(filename)
        if match is None:
            return None
        return cls(match["target"], match["kind"], int(match["pid"]), match["ident"],
                   match["token"])


# Decides whether the owner of a side directory (at the given path) is still running.
OwnerAlive = Callable[[SideName, Path], bool]


def _read_text(path: str) -> str | None:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None  # no /proc here, or the process is gone


def _proc_stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of ``pid`` from ``/proc/<pid>/stat``, or None."""
    text = _read_text(f"/proc/{pid}/stat")
    if text is None:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    fields = text[text.rfind(")") + 2:].split()
    if len(fields) < 20:
        return None
    return fields[0], fields[19]  # field 3 (state) and field 22 (starttime)


def process_ident(pid: int) -> str | None:
    """The fingerprint of a running ``pid``: ``"0"`` without ``/proc``, None if it is gone."""
    if not os.path.isdir("/proc/self"):
        return "0"
    info = _proc_stat(pid)
    if info is None or info[0] in ("Z", "X"):  # a zombie has died already: it only awaits reaping
        return None
    boot = (_read_text("/proc/sys/kernel/random/boot_id") or "").strip()
    return blake2s_hex(f"{boot}:{info[1]}".encode(), 4)


_OWN: dict[int, str] = {}


def current_ident() -> str:
    """The current process's fingerprint (cached per pid, so a forked child computes its own)."""
    pid = os.getpid()
    if pid not in _OWN:
        _OWN[pid] = process_ident(pid) or "0"
    return _OWN[pid]


_held: set[str] = set()
_held_lock = threading.Lock()


def hold(path: Path) -> None:
    """Mark ``path`` as in use by a layer of this process (before the directory is created)."""
    with _held_lock:
        _held.add(str(path))


def release(path: Path) -> None:
    with _held_lock:
        _held.discard(str(path))


def is_held(path: Path) -> bool:
    with _held_lock:
        return str(path) in _held


def _pid_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process: it exists
    return True


def default_owner_alive(side: SideName, path: Path) -> bool:
    """The real liveness test (see the module docstring)."""
    if side.pid == os.getpid() and side.ident == current_ident():
        return is_held(path)
    if not _pid_exists(side.pid):
        return False
    ident = process_ident(side.pid)
    if ident is None:
        return False
    return side.ident == "0" or ident == "0" or ident == side.ident


def is_trace_dir(path: Path) -> bool:
    """True when ``path`` is a directory holding a trace (it has ``trace_metadata.json``)."""
    return os.path.isdir(path) and os.path.lexists(path / METADATA_NAME)


def remove_tree(path: Path, within: Path) -> list[RecorderError]:
    """Remove ``path`` and everything below it through the seams; return failures, never raise.

    ``within`` is the trace directory's parent: ``path`` must be an absolute path strictly below
    it, or nothing is touched and the refusal is returned as an ``InternalError`` (a caller that
    passed the wrong path, ``None`` or ``"."`` would otherwise delete the working directory). A
    missing ``path`` is not a failure. Symlinks are removed, never followed.
    """
    if not _is_below(path, within):
        return [bug(ErrorCode.INVARIANT_VIOLATED, "refused to remove a tree outside the trace "
                    "directory's parent", path=str(path), within=str(within))]
    errors: list[RecorderError] = []
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return errors
    except OSError as exc:
        entries = []
        errors.append(translate(exc, step="list", path=str(path)))
    for entry in entries:
        child = Path(entry.path)
        try:
            if entry.is_dir(follow_symlinks=False):
                errors.extend(remove_tree(child, within))
            else:
                syscalls.unlink(str(child))
        except Exception as exc:  # a simulated bug must not stop the cleanup: classify, go on
            errors.append(translate(exc, step="unlink", path=str(child)))
    try:
        syscalls.rmdir(str(path))
    except Exception as exc:  # as above
        errors.append(translate(exc, step="rmdir", path=str(path)))
    return errors


def _is_below(path: object, within: object) -> bool:
    if not isinstance(path, Path) or not isinstance(within, Path):
        return False
    if not (path.is_absolute() and within.is_absolute()):
        return False
    parts = Path(os.path.normpath(path)).parts
    base = Path(os.path.normpath(within)).parts
    return len(parts) > len(base) and parts[: len(base)] == base


def _side_dirs(parent: Path, target_name: str) -> list[tuple[SideName, Path]]:
    found: list[tuple[SideName, Path]] = []
    with contextlib.suppress(OSError), os.scandir(parent) as listing:
        for entry in listing:
            side = SideName.parse(entry.name)
            if side is not None and side.target == target_name:
                found.append((side, Path(entry.path)))
    return found


def _mtime(path: Path) -> float:
    try:
        return os.lstat(path).st_mtime
    except OSError:
        return 0.0


def recover_stale(target: Path, owner_alive: OwnerAlive) -> list[RecorderError]:
    """Apply the recovery rule to the dead side directories of ``target``; return failures."""
    errors: list[RecorderError] = []
    dead = [(side, path) for side, path in _side_dirs(target.parent, target.name)
            if not owner_alive(side, path)]
    for side, path in dead:
        if side.kind == STAGING:
            errors.extend(remove_tree(path, target.parent))
    olds = sorted((path for side, path in dead if side.kind == OLD), key=_mtime, reverse=True)
    for path in olds:
        if not os.path.lexists(target):
            try:
                syscalls.rename(str(path), str(target))
                syscalls.fsync_dir(str(target.parent))
            except Exception as exc:  # best effort: report, let the recording go on
                errors.append(translate(exc, step="restore", path=str(path)))
        elif is_trace_dir(target):
            errors.extend(remove_tree(path, target.parent))
        else:
            errors.append(enverr(
                ErrorCode.TRACE_DIR_CONFLICT,
                "an older trace was left aside by a killed recorder and the target now holds "
                "something else; the older trace is kept where it is",
                path=str(path), target=str(target), step="recover"))
    return errors


def target_kind(target: Path) -> str:
    """``absent``, ``file`` (anything not a directory), ``trace``, ``empty`` or ``other``."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return "absent"
    except OSError as exc:
        raise translate(exc, step="stat", path=str(target)) from exc
    if not stat.S_ISDIR(info.st_mode):
        return "file"
    if is_trace_dir(target):
        return "trace"
    try:
        with os.scandir(target) as listing:
            empty = next(listing, None) is None
    except OSError as exc:
        raise translate(exc, step="list", path=str(target)) from exc
    return "empty" if empty else "other"
