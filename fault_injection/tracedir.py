"""What a trace directory holds after a run: nothing, a complete trace, a partial one, or junk.

The structural checks of a complete trace are the recorder's own (``recorder.trace_check``) when
it offers them; this module adds what the sweep needs beyond them: the ``partial`` marker, the
reason, and staging leftovers next to the target.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

TRACE_FILES = ("trace.json", "trace_metadata.json", "trace_paths.json")
#: The copies of the traced sources (``recorder.sources``): ``files/<absolute path>``.
FILES_DIR = "files"
STAGING_MARK = ".staging-"


@dataclass
class TraceDirState:
    """``status`` is ``nothing``, ``complete``, ``partial`` or ``invalid``."""

    status: str
    partial_reason: str | None = None
    problems: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """A phrase for messages."""
        if self.status == "partial":
            return f"a partial trace ({self.partial_reason})"
        if self.status == "nothing":
            return "nothing"
        return f"a{'n' if self.status[0] in 'aeiou' else ''} {self.status} trace"


def _load(path: Path, problems: list[str]) -> object:
    try:
        return json.loads(path.read_bytes())
    except FileNotFoundError:
        problems.append(f"{path.name} is missing")
    except (OSError, ValueError) as exc:
        problems.append(f"{path.name} is not valid JSON ({exc})")
    return None


def structural_problems(trace_dir: Path) -> list[str]:
    """The recorder's structural validator's findings, when it provides one."""
    try:
        from recorder import trace_check
    except ImportError:
        return []
    checker = getattr(trace_check, "check_trace_dir", None)
    if checker is None:
        return []
    return [str(problem) for problem in checker(trace_dir)]


def _copy_problems(files: Path, paths: list[object]) -> list[str]:
    """Every copy under ``files/`` mirrors a path the trace lists (never anything else)."""
    if not files.is_dir():
        return []
    listed = {str(path).lstrip("/") for path in paths}
    return [f"files/{rel} copies no path of trace_paths.json"
            for rel in sorted(str(p.relative_to(files)) for p in files.rglob("*") if p.is_file())
            if rel not in listed]


def inspect_trace_dir(trace_dir: Path) -> TraceDirState:
    """Classify ``trace_dir`` and list what is wrong with it."""
    if not trace_dir.exists():
        return TraceDirState("nothing")
    if not trace_dir.is_dir():
        return TraceDirState("invalid", problems=[f"{trace_dir} is not a directory"])
    names = sorted(p.name for p in trace_dir.iterdir())
    if not names:
        return TraceDirState("nothing")
    problems: list[str] = []
    events = _load(trace_dir / "trace.json", problems)
    meta = _load(trace_dir / "trace_metadata.json", problems)
    paths = _load(trace_dir / "trace_paths.json", problems)
    if events is not None and not isinstance(events, list):
        problems.append("trace.json is not a JSON array")
    if paths is not None and not isinstance(paths, list):
        problems.append("trace_paths.json is not a JSON array")
    extra = [name for name in names if name not in TRACE_FILES
             and not (name == FILES_DIR and (trace_dir / name).is_dir())]
    if extra:
        problems.append(f"unexpected files in the trace directory: {', '.join(extra)}")
    if isinstance(paths, list) and not (isinstance(meta, dict) and meta.get("partial")):
        # A partial trace may hold copies of paths whose events never reached trace.json.
        problems.extend(_copy_problems(trace_dir / FILES_DIR, paths))
    if not isinstance(meta, dict):
        if meta is not None:
            problems.append("trace_metadata.json is not a JSON object")
        return TraceDirState("invalid", problems=problems)
    partial = meta.get("partial") is True
    reason = meta.get("partial_reason")
    if partial and not isinstance(reason, str):
        problems.append("a partial trace without a partial_reason")
    if not partial and reason is not None:
        problems.append("partial_reason set on a trace not marked partial")
    if not problems:
        problems.extend(structural_problems(trace_dir))
    if problems:
        return TraceDirState("invalid", reason if isinstance(reason, str) else None, problems)
    return TraceDirState("partial" if partial else "complete",
                         reason if isinstance(reason, str) else None)


def leftovers(parent: Path) -> list[str]:
    """Names under ``parent`` (recursively) that look like staging or temporary files."""
    if not parent.exists():
        return []
    return sorted(str(p.relative_to(parent)) for p in parent.rglob("*")
                  if STAGING_MARK in p.name or p.name.endswith((".tmp", ".partial")))
