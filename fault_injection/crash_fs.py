"""A small model of a file system for the crash explorer: names, inodes and the logged changes.

The log's operations (:class:`~fault_injection.crash_log.Op`) become :class:`Event` s that say
which *directory entries* they change (create, rename, unlink, mkdir, rmdir), which *file data*
(a write or a truncation of one inode) and what an fsync covers (one inode's data, or the entries
of one directory). Inodes matter: data written to ``a.tmp`` is the data ``a`` shows after
``rename(a.tmp, a)``, and whether it reached the disk is a question about that inode, not about
either name. :func:`annotate` resolves every operation once, in issue order (descriptors are
followed from the ``open`` that created them); the models (:mod:`fault_injection.crash_models`)
then choose which events a crash state keeps and :class:`Fs` replays them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from fault_injection.crash_log import Op
from fault_injection.oracle import Tree

ROOT = "."
Entry = int | str | None  # an inode number, "->target" for a symlink, None for a directory


def parent(path: str) -> str:
    """The directory holding ``path`` (``"."`` for a name at the top)."""
    return os.path.dirname(path) or ROOT


@dataclass(frozen=True)
class Event:
    """What one logged operation changes, resolved to inodes."""

    op: Op
    entry: tuple[str, str, str | None, int | None] | None = None  # (kind, path, path2, inode)
    data: tuple[int, int | None, bytes, int | None] | None = None  # (inode, offset, bytes, size)
    sync_inode: int | None = None
    sync_dir: str | None = None

    @property
    def dirs(self) -> tuple[str, ...]:
        """The directories whose entries this event changes (a rename: both parents)."""
        if self.entry is None:
            return ()
        _, path, path2, _ = self.entry
        return (parent(path),) if path2 is None else (parent(path), parent(path2))


@dataclass
class Fs:
    """Directory entries (path -> inode, symlink or directory) and the inodes' bytes."""

    entries: dict[str, Entry] = field(default_factory=dict)
    inodes: dict[int, bytes] = field(default_factory=dict)

    @classmethod
    def from_tree(cls, tree: Tree) -> Fs:
        """The fixture as a file system: each file its own inode, numbered in name order."""
        fs = cls()
        for name in sorted(tree):
            if not name:
                continue
            value = tree[name]
            if isinstance(value, bytes):
                fs.inodes[len(fs.inodes) + 1] = value
                fs.entries[name] = len(fs.inodes)
            else:
                fs.entries[name] = value
        return fs

    def copy(self) -> Fs:
        """An independent copy (inode bytes are immutable and shared)."""
        return Fs(dict(self.entries), dict(self.inodes))

    def apply_entry(self, change: tuple[str, str, str | None, int | None]) -> None:
        """Replay one directory-entry change (a missing source changes nothing)."""
        kind, path, path2, inode = change
        if kind == "create" and inode is not None:
            self.entries[path] = inode
            self.inodes.setdefault(inode, b"")
        elif kind == "mkdir":
            self.entries[path] = None
        elif kind in ("unlink", "rmdir"):
            self.entries.pop(path, None)
        elif kind == "rename" and path2 not in (None, path) and path in self.entries:
            moved = {name: value for name, value in self.entries.items()
                     if name == path or name.startswith(path + "/")}
            for name in [n for n in self.entries if n == path2 or n.startswith(path2 + "/")]:
                del self.entries[name]  # rename replaces the destination (an empty directory)
            for name, value in moved.items():
                del self.entries[name]
                self.entries[path2 + name[len(path):]] = value

    def apply_data(self, change: tuple[int, int | None, bytes, int | None]) -> None:
        """Replay one write (bytes at an offset, None: at the end) or truncation (a size)."""
        inode, offset, data, size = change
        content = self.inodes.get(inode, b"")
        if size is not None:
            content = content[:size] + b"\0" * (size - len(content))
        else:
            at = len(content) if offset is None else offset
            padded = content + b"\0" * (at - len(content))
            content = padded[:at] + data + padded[at + len(data):]
        self.inodes[inode] = content

    def resolve(self, path: str) -> Entry:
        """What ``path`` names now (None: a directory, or nothing)."""
        return self.entries.get(path)

    def tree(self) -> Tree:
        """The state as a tree (the oracle's form)."""
        tree: Tree = {"": None}
        for name, value in self.entries.items():
            tree[name] = self.inodes.get(value, b"") if isinstance(value, int) else value
        return tree

    def key(self) -> str:
        """A digest of the visible state: states with equal keys are byte-for-byte equal."""
        digest = hashlib.sha256()
        for name, value in sorted(self.tree().items()):
            digest.update(name.encode() + b"\0")
            digest.update(b"d" if value is None else (
                b"f" + value if isinstance(value, bytes) else b"l" + value.encode()))
            digest.update(b"\0\0")
        return digest.hexdigest()

    def materialize(self, directory: Path) -> None:
        """Build this state in the new directory ``directory``."""
        directory.mkdir(parents=True)
        for name, value in sorted(self.tree().items()):
            if not name:
                continue
            target = directory / name
            target.parent.mkdir(parents=True, exist_ok=True)  # a lost mkdir's children: none
            if value is None:
                target.mkdir(exist_ok=True)
            elif isinstance(value, str):
                target.symlink_to(value[2:])
            else:
                target.write_bytes(value)


def annotate(ops: list[Op], start: Fs) -> list[Event]:
    """Each operation of ``ops`` resolved against the file system as the clean run changed it."""
    fs = start.copy()
    fds: dict[int, tuple[str, Entry, bool]] = {}  # fd -> (path opened, inode, O_APPEND)
    pending: dict[str, bool] = {}  # path -> O_APPEND of its last open not yet bound to an fd
    events: list[Event] = []
    for op in ops:
        event = _event(op, fs, fds, pending)
        if event.entry is not None:
            fs.apply_entry(event.entry)
        if event.data is not None:
            fs.apply_data(event.data)
        events.append(event)
    return events


def _inode(op: Op, fs: Fs, fds: dict[int, tuple[str, Entry, bool]],
           pending: dict[str, bool]) -> tuple[Entry, bool]:
    """The inode a descriptor call acts on: the one its ``open`` found, not today's name."""
    if op.fd is not None:
        bound = fds.get(op.fd)
        if bound is not None and bound[0] == op.path:
            return bound[1], bound[2]
        inode = fs.resolve(op.path) if op.path != ROOT else None
        append = pending.pop(op.path, False)
        fds[op.fd] = (op.path, inode, append)
        return inode, append
    return fs.resolve(op.path), False


def _event(op: Op, fs: Fs, fds: dict[int, tuple[str, Entry, bool]],
           pending: dict[str, bool]) -> Event:
    if op.kind == "open":
        for fd in [fd for fd, bound in fds.items() if bound[0] == op.path]:
            del fds[fd]  # a new open of this name: the next descriptor call binds afresh
        pending[op.path] = bool(op.flags & os.O_APPEND)
        exists = op.path == ROOT or op.path in fs.entries
        entry = None
        if not exists and op.flags & os.O_CREAT:
            entry = ("create", op.path, None, max([0, *fs.inodes, *_inodes_in(fs)]) + 1)
        inode = entry[3] if entry is not None else fs.resolve(op.path)
        # Truncating a new (empty) file changes no data: no event a crash could lose.
        data = (inode, None, b"", 0) if op.flags & os.O_TRUNC and isinstance(inode, int) \
            and fs.inodes.get(inode) else None
        return Event(op, entry=entry, data=data)
    if op.kind in ("mkdir", "rmdir", "unlink"):
        return Event(op, entry=(op.kind, op.path, None, None))
    if op.kind == "rename":
        return Event(op, entry=("rename", op.path, op.path2, None))
    inode, append = _inode(op, fs, fds, pending)
    if op.kind == "fsync":
        if isinstance(inode, int):
            return Event(op, sync_inode=inode)
        return Event(op, sync_dir=op.path) if op.path == ROOT or op.path in fs.entries \
            else Event(op)
    if not isinstance(inode, int):
        return Event(op)
    if op.kind == "truncate":
        return Event(op, data=(inode, None, b"", op.size or 0))
    return Event(op, data=(inode, None if append else op.offset, op.data, None))


def _inodes_in(fs: Fs) -> list[int]:
    return [value for value in fs.entries.values() if isinstance(value, int)]
