"""The atomic output layer: every trace file is written through an :class:`OutputLayer`.

Life of a layer (one recording, one target directory)::

    NEW --begin()--> STAGING --publish()--> PUBLISHED
                        |  \\--publish() fails--> FAILED     (staging removed, target untouched)
                        \\----abandon()--------> ABANDONED  (staging removed, target untouched)

* ``begin()`` resolves the target (symlinks followed, so staging lands on the target's file
  system), creates missing parent directories, applies the stale-leftover recovery rule of
  :mod:`recorder.output.staging`, refuses a target that is a file or a non-empty directory that is
  not a trace (``UsageError`` ``ERR_TRACE_DIR_CONFLICT``) and creates the staging directory
  ``<parent>/.<name>.staging-<pid>-<ident>-<token>``.
* ``create(name)`` makes a new file in the staging directory and returns its
  :class:`~recorder.output.files.OutputFile`; events stream to disk through it.
  ``create_at(relpath)`` does the same for a file below a sub-directory (the ``files/`` copies of
  the sources), creating the directories; they are made durable with the rest at publish.
* ``publish()`` makes every file durable (``fsync``, then ``fsync`` of the staging directory) and
  swaps the staging directory into place with :func:`recorder.output.swap.install` (an older
  trace stays intact until the new one is complete). It works after a failed write too, as long as
  every file is consistent (``--keep-partial-trace``: the writer closes the JSON and marks the
  metadata partial first). It refuses broken files and a staging directory without
  ``trace_metadata.json`` (what the layer itself recognises as a trace). If any step fails, the
  staging directory is removed and the error raised: nothing new is visible.
* ``abandon()`` removes the staging directory (and parent directories ``begin`` created); it never
  raises and may be called in any state.

``begin``, ``publish`` and ``abandon`` run as deferred-SIGINT critical sections
(:mod:`recorder.signals`): a Ctrl-C during them is re-delivered when they return, so a caller may
see ``KeyboardInterrupt`` *after* a successful publish (``state`` says which).

Failures that are reported rather than raised (stale leftovers that could not be removed, the
old trace that could not be deleted after a swap) accumulate in ``notes`` for the caller to log.
"""

from __future__ import annotations

import enum
import os
from pathlib import Path

from recorder.errors import (
    ErrorCode,
    RecorderError,
    bug,
    ensure_internal,
    ensure_usage,
    translate,
)
from recorder.output import swap, syscalls
from recorder.output.files import OutputFile
from recorder.output.staging import (
    METADATA_NAME,
    STAGING,
    OwnerAlive,
    SideName,
    default_owner_alive,
    hold,
    recover_stale,
    release,
    remove_tree,
)
from recorder.signals import deferred_signals

__all__ = ["LayerState", "OutputLayer"]


class LayerState(enum.Enum):
    NEW = "new"
    STAGING = "staging"
    PUBLISHED = "published"
    FAILED = "failed"
    ABANDONED = "abandoned"


class OutputLayer:
    """Stages a trace next to ``target_dir`` and publishes it atomically (see the module doc).

    ``owner_alive`` replaces the liveness test of side directories' owners (tests use it to play
    "a new process after a crash"); by default the real one of :mod:`recorder.output.staging`.
    """

    def __init__(self, target_dir: Path | str, *, owner_alive: OwnerAlive | None = None) -> None:
        self._requested = Path(target_dir)
        self.target_dir = Path(os.path.abspath(target_dir))
        self.staging_dir: Path | None = None
        self.state = LayerState.NEW
        self.notes: list[RecorderError] = []
        self.partial_reason: str | None = None
        self._owner_alive = owner_alive or default_owner_alive
        self._files: dict[str, OutputFile] = {}
        self._created_parents: list[Path] = []
        self._subdirs: list[str] = []  # created below the staging directory, top-down

    @property
    def files(self) -> dict[str, OutputFile]:
        """The files created so far, by name."""
        return dict(self._files)

    def begin(self) -> None:
        """Validate the target, recover stale leftovers, create the staging directory."""
        self._require(LayerState.NEW, "begin")
        with deferred_signals():
            target = Path(os.path.realpath(self._requested))
            ensure_usage(target.name not in ("", ".", ".."), ErrorCode.TRACE_DIR_CONFLICT,
                         "the trace directory cannot be a file system root", path=str(target))
            self.target_dir = target
            ready = False
            try:
                self._make_parents(target.parent)
                self.notes.extend(recover_stale(target, self._owner_alive))
                swap.check_target(target)
                staging = target.parent / SideName.new(target.name, STAGING).filename
                hold(staging)
                self.staging_dir = staging
                syscalls.mkdir(str(staging))
                ready = True
            finally:
                if not ready:
                    self._discard(LayerState.FAILED)
            self.state = LayerState.STAGING

    def create(self, name: str) -> OutputFile:
        """Create the new file ``name`` (a plain file name) in the staging directory."""
        self._require(LayerState.STAGING, "create")
        ensure_internal(name not in ("", ".", "..") and "/" not in name and "\0" not in name,
                        ErrorCode.INVARIANT_VIOLATED, "trace file names are plain names",
                        name=name)
        ensure_internal(name not in self._files, ErrorCode.INVARIANT_VIOLATED,
                        "trace file created twice", name=name)
        staging = self._staging()
        path = str(staging / name)
        handle = OutputFile(name, path, syscalls.open_new_file(path))
        self._files[name] = handle
        return handle

    def create_at(self, relpath: str) -> OutputFile:
        """Create the new file ``relpath`` (``a/b/c``, no ``.``/``..``) below the staging dir."""
        self._require(LayerState.STAGING, "create")
        parts = relpath.split("/")
        ensure_internal(all(part not in ("", ".", "..") and "\0" not in part for part in parts),
                        ErrorCode.INVARIANT_VIOLATED, "trace file paths are plain relative paths",
                        name=relpath)
        ensure_internal(relpath not in self._files, ErrorCode.INVARIANT_VIOLATED,
                        "trace file created twice", name=relpath)
        staging = self._staging()
        for depth in range(1, len(parts)):
            sub = "/".join(parts[:depth])
            if sub not in self._subdirs:
                syscalls.mkdir(str(staging / sub))
                self._subdirs.append(sub)
        path = str(staging / relpath)
        handle = OutputFile(relpath, path, syscalls.open_new_file(path))
        self._files[relpath] = handle
        return handle

    def publish(self, partial_reason: str | None = None) -> None:
        """Make the staged trace durable and put it in place; on failure remove it and raise.

        ``partial_reason`` (an ``ERR_*`` code) is recorded on the layer for the caller's logs when
        a partial trace is published; marking the metadata is the writer's job.
        """
        self._require(LayerState.STAGING, "publish")
        with deferred_signals():
            staging = self._staging()
            published = False
            try:
                ensure_internal(METADATA_NAME in self._files, ErrorCode.INVARIANT_VIOLATED,
                                "publishing a trace without trace_metadata.json",
                                path=str(staging))
                for handle in self._files.values():
                    handle.close()  # fsync + close; raises for a broken file
                for sub in reversed(self._subdirs):  # deepest first, the staging directory last
                    syscalls.fsync_dir(str(staging / sub))
                syscalls.fsync_dir(str(staging))
                swap.install(staging, self.target_dir, self.notes)
                published = True
            finally:
                if not published:
                    self._discard(LayerState.FAILED)
            release(staging)
            self.partial_reason = partial_reason
            self.state = LayerState.PUBLISHED

    def abandon(self) -> None:
        """Remove everything this layer created; never raises, idempotent."""
        if self.state not in (LayerState.NEW, LayerState.STAGING):
            return
        with deferred_signals():
            self._discard(LayerState.ABANDONED)

    def _discard(self, final: LayerState) -> None:
        """Remove the staging directory and parents ``begin`` created; failures go to ``notes``."""
        for handle in self._files.values():
            handle.discard()
        if self.staging_dir is not None:
            self.notes.extend(remove_tree(self.staging_dir, self.target_dir.parent))
            release(self.staging_dir)
        for parent in reversed(self._created_parents):
            self._remove_if_empty(parent)
        self.state = final

    def _remove_if_empty(self, path: Path) -> None:
        try:
            if os.listdir(path):
                return  # someone else put something there meanwhile: it is theirs now
            syscalls.rmdir(str(path))
        except (OSError, RecorderError) as exc:
            self.notes.append(translate(exc, step="rmdir", path=str(path)))

    def _make_parents(self, parent: Path) -> None:
        """Create the missing ancestors of the target, top-down, remembering which."""
        missing: list[Path] = []
        probe = parent
        while not os.path.lexists(probe) and probe != probe.parent:
            missing.append(probe)
            probe = probe.parent
        for path in reversed(missing):
            try:
                syscalls.mkdir(str(path))
            except RecorderError:
                if os.path.isdir(path):
                    continue  # created meanwhile by someone else: fine, and not ours to remove
                raise
            self._created_parents.append(path)

    def _staging(self) -> Path:
        if self.staging_dir is None:
            raise bug(ErrorCode.INVARIANT_VIOLATED, "output layer has no staging directory",
                      state=self.state.value)
        return self.staging_dir

    def _require(self, state: LayerState, operation: str) -> None:
        ensure_internal(self.state is state, ErrorCode.INVARIANT_VIOLATED,
                        f"output layer {operation}() in state {self.state.value}",
                        expected=state.value, target=str(self.target_dir))
