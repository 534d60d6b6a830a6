"""The persistence models: which states the disk may be in when the machine stops at a crash point.

A crash point is the moment right after the Nth logged operation. A *model* says which of the
events before it (:mod:`fault_injection.crash_fs`) a crash state keeps; each state is a
:class:`Choice`, built by replaying the kept events on the fixture (:func:`build`). Two models:

``process-crash`` (``kill -9``; the kernel's page cache survives)
    every complete operation up to the point: one state per point.

``power-loss`` (the machine stops; what was not made durable may be lost)
    * a file's data changes (writes, truncations including ``O_TRUNC``) since that file's last
      fsync are kept as a prefix, in issue order (none, the first, the first two, ..., all);
      when the kept ones leave the file shorter than all of them would, the file may also keep
      its new size with zero bytes where the data was lost (a delayed allocation's hole);
    * directory entry changes (create, rename of a file or of a directory tree, unlink, mkdir,
      rmdir) are kept as a prefix of all of them, across directories, in issue order (a later
      one never without the earlier ones, as a journaling file system commits them), and every
      change made before an fsync of a directory it touches is kept;
    * an fsync makes what it covers durable: a file's data, or a directory's entries (a file's
      fsync does not make its name durable; a rename is covered by an fsync of either parent).
    These are the rules of ALICE's abstract persistence model for ext4 in ``data=ordered``-like
    ordering of entries, without ``auto_da_alloc`` (Pillai et al., OSDI 2014; see the README).

A stricter or looser file system is one more entry in :data:`MODELS`: a name and a function from
(events, crash point) to its state space. States are enumerated exactly while a point has at most
``cap`` of them, else ``cap`` are drawn with a seeded random generator (the report gives the
coverage); equal states are checked once by the explorer.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from fault_injection.crash_fs import Event, Fs

DEFAULT_CAP = 64


@dataclass(frozen=True)
class Choice:
    """One crash state: the model, the point, and what it loses (everything else is kept).

    ``entries``: how many entry changes are kept (None: all); ``data``: per inode with lost
    data, (inode, changes kept since its last fsync, whether the size is kept zero-filled).
    """

    model: str
    point: int
    entries: int | None = None
    data: tuple[tuple[int, int, bool], ...] = ()

    @property
    def spec(self) -> str:
        """The text a reproducer passes to ``--state``: ``power-loss@5:e3:i2=0z``."""
        parts = [f"{self.model}@{self.point}"]
        if self.entries is not None:
            parts.append(f"e{self.entries}")
        parts.extend(f"i{inode}={kept}{'z' if zero else ''}" for inode, kept, zero in self.data)
        return ":".join(parts)


_SPEC = re.compile(r"^(?P<model>[a-z-]+)@(?P<point>\d+)(?P<rest>(:(e\d+|i\d+=\d+z?))*)$")


def parse_spec(text: str) -> Choice | None:
    """A :class:`Choice` from :attr:`Choice.spec` text (None when it is not one)."""
    match = _SPEC.match(text)
    if match is None:
        return None
    entries = None
    data: list[tuple[int, int, bool]] = []
    for part in filter(None, match["rest"].split(":")):
        if part.startswith("e"):
            entries = int(part[1:])
        else:
            inode, _, kept = part[1:].partition("=")
            data.append((int(inode), int(kept.rstrip("z")), kept.endswith("z")))
    return Choice(match["model"], int(match["point"]), entries, tuple(data))


@dataclass
class Space:
    """The states of one crash point: how many the model allows, and those to check."""

    total: int
    choices: list[Choice] = field(default_factory=list)
    sampled: bool = False


def entry_events(events: list[Event], point: int) -> list[Event]:
    """The entry changes issued up to the point, in order."""
    return [event for event in events[:point] if event.entry is not None]


def min_entries(events: list[Event], point: int) -> int:
    """How many entry changes a power loss at ``point`` must keep (those a directory fsync
    covered, and by the ordering rule every one before them)."""
    needed = 0
    issued: list[tuple[str, ...]] = []
    for event in events[:point]:
        if event.entry is not None:
            issued.append(event.dirs)
        if event.sync_dir is not None:
            covered = [i + 1 for i, dirs in enumerate(issued) if event.sync_dir in dirs]
            needed = max([needed, *covered])
    return needed


def unsynced(events: list[Event], point: int) -> dict[int, tuple[list[Event], list[Event]]]:
    """Per inode with data changes: (the durable ones, those since its last fsync)."""
    durable: dict[int, list[Event]] = {}
    pending: dict[int, list[Event]] = {}
    for event in events[:point]:
        if event.data is not None:
            pending.setdefault(event.data[0], []).append(event)
            durable.setdefault(event.data[0], [])
        if event.sync_inode is not None and event.sync_inode in pending:
            durable[event.sync_inode] += pending.pop(event.sync_inode)
    return {inode: (durable.get(inode, []), pending.get(inode, [])) for inode in durable}


def build(events: list[Event], start: Fs, choice: Choice) -> Fs:
    """The state ``choice`` names: the fixture with the kept events replayed in issue order."""
    fs = start.copy()
    for count, event in enumerate(entry_events(events, choice.point)):
        if choice.entries is None or count < choice.entries:
            fs.apply_entry(event.entry)  # type: ignore[arg-type]
    lost = {inode: (kept, zero) for inode, kept, zero in choice.data}
    for inode, (durable, pending) in unsynced(events, choice.point).items():
        kept, zero = lost.get(inode, (len(pending), False))
        for event in durable + pending[:kept]:
            fs.apply_data(event.data)  # type: ignore[arg-type]
        if zero:
            full = Fs(inodes={inode: fs.inodes.get(inode, b"")})
            for event in pending[kept:]:
                full.apply_data(event.data)  # type: ignore[arg-type]
            size = len(full.inodes[inode])
            fs.inodes[inode] = fs.inodes[inode] + b"\0" * max(0, size - len(fs.inodes[inode]))
    return fs


def _process_crash(events: list[Event], start: Fs, point: int, cap: int,
                   rng: random.Random) -> Space:
    return Space(1, [Choice("process-crash", point)])


def _data_options(events: list[Event], start: Fs, point: int,
                  reachable: set[int]) -> list[list[tuple[int, int, bool]]]:
    """Per reachable inode with unsynced data, its options (the last one keeps everything)."""
    options = []
    for inode, (durable, pending) in sorted(unsynced(events, point).items()):
        if not pending or inode not in reachable:
            continue
        # An inode's bytes depend on its own data changes only: replay them once, noting the
        # size each prefix of the unsynced ones leaves.
        alone = Fs(inodes={inode: start.inodes.get(inode, b"")})
        for event in durable:
            alone.apply_data(event.data)  # type: ignore[arg-type]
        sizes = []
        for event in pending:
            sizes.append(len(alone.inodes[inode]))
            alone.apply_data(event.data)  # type: ignore[arg-type]
        mine: list[tuple[int, int, bool]] = []
        for kept, size in enumerate(sizes):
            mine.append((inode, kept, False))
            if size < len(alone.inodes[inode]):
                mine.append((inode, kept, True))
        mine.append((inode, len(pending), False))
        options.append(mine)
    return options


def _power_loss(events: list[Event], start: Fs, point: int, cap: int,
                rng: random.Random) -> Space:
    issued = entry_events(events, point)
    least = min_entries(events, point)
    per_prefix: list[tuple[int, list[list[tuple[int, int, bool]]]]] = []
    names = start.copy()
    for event in issued[:least]:
        names.apply_entry(event.entry)  # type: ignore[arg-type]
    for kept in range(least, len(issued) + 1):
        if kept > least:
            names.apply_entry(issued[kept - 1].entry)  # type: ignore[arg-type]
        reachable = {value for value in names.entries.values() if isinstance(value, int)}
        per_prefix.append((kept, _data_options(events, start, point, reachable)))
    total = sum(math.prod(len(o) for o in options) for _, options in per_prefix)
    options_of = dict(per_prefix)

    def choice(kept: int, picks: tuple[tuple[int, int, bool], ...]) -> Choice:
        lost = tuple(pick for pick, options in zip(picks, options_of[kept], strict=True)
                     if pick != options[-1])
        return Choice("power-loss", point, None if kept == len(issued) else kept, lost)

    if total <= cap:
        return Space(total, [choice(kept, picks) for kept, options in per_prefix
                             for picks in _product(options)])
    drawn: dict[str, Choice] = {}
    for _ in range(cap):
        kept, options = rng.choice(per_prefix)
        picked = choice(kept, tuple(rng.choice(option) for option in options))
        drawn.setdefault(picked.spec, picked)
    return Space(total, list(drawn.values()), sampled=True)


def _product(options: list[list[tuple[int, int, bool]]]) -> Iterator[tuple[
        tuple[int, int, bool], ...]]:
    if not options:
        yield ()
        return
    for first in options[0]:
        for rest in _product(options[1:]):
            yield (first, *rest)


Explore = Callable[[list[Event], Fs, int, int, random.Random], Space]
#: The models by name: each a function from (events, fixture, point, cap, rng) to its space.
MODELS: dict[str, Explore] = {"process-crash": _process_crash, "power-loss": _power_loss}


def space(model: str, events: list[Event], start: Fs, point: int, cap: int = DEFAULT_CAP,
          seed: int = 0) -> Space:
    """The states ``model`` allows at ``point`` (a seeded sample of ``cap`` beyond ``cap``)."""
    return MODELS[model](events, start, point, cap, random.Random(f"{seed}:{model}:{point}"))


def states(model: str, events: list[Event], start: Fs, point: int,
           cap: int = 1 << 20) -> dict[str, Fs]:
    """The distinct states (by content key) at ``point``: what the table tests compare."""
    found: dict[str, Fs] = {}
    for choice in space(model, events, start, point, cap).choices:
        fs = build(events, start, choice)
        found.setdefault(fs.key(), fs)
    return found
