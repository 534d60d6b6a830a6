"""The program sweep's oracles: what a faulted run of any program must keep, from a small TOML file.

The keys (each also a ``sweep`` flag of the same name; flags win, lists add up)::

    exit-in = [0, 1]              # the faulted run's exit status is one of these
    no-traceback = true           # no Python traceback the clean run does not print
    stdout = "prefix"             # "same": the clean run's stdout; "prefix": a prefix of it
    atomic = ["settings.json", "out/index/"]   # each path: as before the run or as after the
                                  # clean run, byte for byte (a directory as a whole tree)
    no-leftovers = ["."]          # no new names under these besides the clean run's

Paths are relative to the fixture (the command's working directory) and must stay inside it.
After a ``sigint`` fault, ending as Python ends after Ctrl-C (killed by SIGINT, with its
``KeyboardInterrupt`` traceback) is always accepted: that is the program's correct answer.
``recover`` and ``no-leftovers-after-crash`` belong to the crash-state explorer and are ignored
here, so one file can serve both.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fault_injection.errors import SweepUsageError

KEYS = ("exit-in", "no-traceback", "stdout", "atomic", "no-leftovers")
OTHER_TOOLS_KEYS = ("recover", "no-leftovers-after-crash")
STDOUT_MODES = ("same", "prefix")
TRACEBACK = "Traceback (most recent call last)"
SIGINT_EXITS = frozenset({-2, 130})

#: A tree: relative name -> file bytes (None for a directory; "->target" text for a symlink).
Tree = dict[str, bytes | str | None]


@dataclass(frozen=True)
class Oracle:
    """The promises every faulted run is checked against."""

    exit_in: tuple[int, ...] | None = None
    no_traceback: bool = False
    stdout: str | None = None
    atomic: tuple[str, ...] = field(default=())
    no_leftovers: tuple[str, ...] = field(default=())


def invalid(source: str, why: str) -> SweepUsageError:
    """``ERR_ORACLE_INVALID`` for the oracle from ``source``."""
    return SweepUsageError("ERR_ORACLE_INVALID", f"{source}: {why}")


def _typed(source: str, key: str, value: Any) -> Any:
    if key == "exit-in":
        if not isinstance(value, list) or not all(
                isinstance(v, int) and not isinstance(v, bool) for v in value):
            raise invalid(source, "exit-in must be a list of integers, e.g. [0, 1]")
        return tuple(value)
    if key == "no-traceback":
        if not isinstance(value, bool):
            raise invalid(source, "no-traceback must be true or false")
        return value
    if key == "stdout":
        if value not in STDOUT_MODES:
            raise invalid(source, f"stdout must be one of {', '.join(STDOUT_MODES)}")
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise invalid(source, f"{key} must be a list of paths, e.g. [\"out/data.json\"]")
    return tuple(value)


def from_mapping(data: dict[str, Any], source: str) -> Oracle:
    """An :class:`Oracle` from parsed TOML (or flags); unknown keys are usage errors."""
    unknown = sorted(set(data) - set(KEYS) - set(OTHER_TOOLS_KEYS))
    if unknown:
        raise invalid(source, f"unknown key {unknown[0]!r}; the keys are {', '.join(KEYS)}")
    values = {key.replace("-", "_"): _typed(source, key, data[key]) for key in KEYS
              if key in data}
    return Oracle(**values)


def read_file(path: Path) -> dict[str, Any]:
    """The TOML table of the oracle file at ``path`` (``ERR_ORACLE_INVALID`` when unreadable);
    the sweep and the crash explorer each read their own keys of it."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise invalid(str(path), f"cannot read it ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise invalid(str(path), f"not valid TOML ({exc})") from None


def load(path: Path | None) -> Oracle:
    """The oracle file at ``path`` (the empty oracle when there is none)."""
    if path is None:
        return Oracle()
    return from_mapping(read_file(path), str(path))


def merged(base: Oracle, flags: Oracle) -> Oracle:
    """``base`` with the flags' values: scalars replace, lists add up."""
    return replace(
        base,
        exit_in=flags.exit_in if flags.exit_in is not None else base.exit_in,
        no_traceback=base.no_traceback or flags.no_traceback,
        stdout=flags.stdout or base.stdout,
        atomic=base.atomic + tuple(p for p in flags.atomic if p not in base.atomic),
        no_leftovers=base.no_leftovers + tuple(
            p for p in flags.no_leftovers if p not in base.no_leftovers))


def check_paths(oracle: Oracle, fixture: Path) -> None:
    """Refuse oracle paths that leave the fixture (absolute, ``..``, or through a symlink)."""
    root = fixture.resolve()
    for key, paths in (("atomic", oracle.atomic), ("no-leftovers", oracle.no_leftovers)):
        for path in paths:
            target = (root / path).resolve()
            if os.path.isabs(path) or (target != root and root not in target.parents):
                raise SweepUsageError("ERR_ORACLE_PATH_OUTSIDE",
                                      f"{key} path {path!r} is outside the fixture {fixture}")


def snapshot(root: Path, rel: str) -> Tree | None:
    """The tree at ``root/rel`` (None when nothing is there), symlinks not followed."""
    top = root / rel
    if not top.exists() and not top.is_symlink():
        return None
    tree: Tree = {}
    pending = [(top, "")]
    while pending:
        path, name = pending.pop()
        if path.is_symlink():
            tree[name] = "->" + os.readlink(path)
        elif path.is_dir():
            tree[name] = None
            pending.extend((child, f"{name}/{child.name}" if name else child.name)
                           for child in path.iterdir())
        else:
            tree[name] = path.read_bytes()
    return tree


def describe(tree: Tree | None) -> str:
    """A short phrase for a tree in messages."""
    if tree is None:
        return "nothing"
    if set(tree) == {""}:
        value = tree[""]
        return f"{len(value)} bytes" if isinstance(value, bytes) else "a directory"
    return f"a tree of {len(tree) - 1} entries"
