"""Putting a complete staging directory in place of the target, old trace kept until the end.

The sequence, with what the target shows at each instant (``parent`` is the target's directory)::

    target absent                      target holds an older trace (or is an empty directory)
    -------------                      -------------------------------------------------------
                                       1. rename target -> .<name>.old-<pid>-<ident>-<token>
                                          (target: nothing)
    2. rename staging -> target        2. rename staging -> target        (target: new trace)
    3. fsync parent                    3. fsync parent
                                       4. remove the old directory (best effort)

Every rename is atomic, so the target only ever shows *nothing*, the *old* complete trace or the
*new* complete trace. If step 1, 2 or 3 fails (or anything else interrupts it, short of a kill),
the renames already done are undone in reverse order, so the target shows what it showed before
and the error is raised: a publish that raises has published nothing. Undoing is best effort and
stops at the first failing rename; what it leaves is still one of the three states, and the older
trace, if stranded in ``.old-...``, is restored by the next run (see
:mod:`recorder.output.staging`, which also covers a ``kill -9`` between two steps). In the one
case where undoing step 2 fails after step 3 failed, the new complete trace stays visible even
though publish raised; this is documented in ``docs/output-layer.md``.

Step 4 runs after the new trace is durable; if it fails the leftover is reported (not raised) and
removed by the next run.
"""

from __future__ import annotations

from pathlib import Path

from recorder.errors import ErrorCode, RecorderError, translate, usage
from recorder.output import syscalls
from recorder.output.staging import OLD, SideName, hold, release, remove_tree, target_kind

__all__ = ["check_target", "install"]


def check_target(target: Path) -> str:
    """The target's kind; ``UsageError`` ``ERR_TRACE_DIR_CONFLICT`` if it may not be replaced."""
    kind = target_kind(target)
    if kind == "file":
        raise usage(ErrorCode.TRACE_DIR_CONFLICT, "the trace directory path is a file",
                    path=str(target), step="check")
    if kind == "other":
        raise usage(ErrorCode.TRACE_DIR_CONFLICT,
                    "the trace directory is not empty and does not hold a trace "
                    "(no trace_metadata.json); refusing to replace it",
                    path=str(target), step="check")
    return kind


def _undo(renames: list[tuple[Path, Path]], errors: list[RecorderError]) -> None:
    """Reverse the renames done so far, newest first; stop at the first one that fails."""
    for src, dst in reversed(renames):
        try:
            syscalls.rename(str(dst), str(src))
        except Exception as exc:  # best effort: keep the original failure as the error
            errors.append(translate(exc, step="undo-rename", path=str(dst)))
            return


def install(staging: Path, target: Path, notes: list[RecorderError]) -> None:
    """Swap the complete, fsynced ``staging`` directory into ``target`` (see the module doc).

    Raises on steps 1-3 after undoing them. Failures that are not raised (a failed undo, the
    best-effort removal of step 4) are appended to ``notes`` for the caller to log.
    """
    kind = check_target(target)
    parent = target.parent
    aside = parent / SideName.new(target.name, OLD).filename if kind != "absent" else None
    done: list[tuple[Path, Path]] = []
    finished = False
    if aside is not None:
        hold(aside)  # before it exists, so no recovery in this process takes it for stale
    try:
        if aside is not None:
            syscalls.rename(str(target), str(aside))
            done.append((target, aside))
        syscalls.rename(str(staging), str(target))
        done.append((staging, target))
        syscalls.fsync_dir(str(parent))
        finished = True
    finally:
        if not finished:
            _undo(done, notes)
            if aside is not None:
                release(aside)  # if it is still there, it is a leftover for the next run
    if aside is not None:
        notes.extend(remove_tree(aside, parent))
        release(aside)
