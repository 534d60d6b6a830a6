"""Why a crash state breaks a promise: the smallest cause, named with source lines, and a remedy.

As ALICE reports vulnerabilities rather than states, a failing state is traced back to what it
lost: the earliest operation it did not keep (``lost``) and the operation issued after it that it
kept all the same (``kept``) - one reordered pair: "``kept`` can persist before ``lost``". A
state that lost nothing (every ``process-crash`` state) is the program's own intermediate state:
its cause is the operation right before the crash. States with the same cause are one
vulnerability; the report names each once, with the state that loses the fewest operations as
its reproducer, and the known remedy for that pair (:func:`vulnerabilities`, from a report's
failures, so that merged shards group alike).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

from fault_injection.crash_fs import Event, parent
from fault_injection.crash_log import Op
from fault_injection.crash_models import Choice, entry_events, unsynced
from fault_injection.report import Failure, SweepReport


@dataclass(frozen=True)
class Cause:
    """The smallest cause of one failing state."""

    text: str
    remedy: str
    lost: int  # how many operations the state lost (the reproducer is the state losing fewest)


def lost_ops(events: list[Event], choice: Choice) -> list[tuple[Op, bool]]:
    """The operations before ``choice``'s crash point that its state does not keep, each with
    whether what was lost is its data change (else its directory entry change)."""
    lost: list[tuple[Op, bool]] = []
    if choice.entries is not None:
        lost += [(event.op, False)
                 for event in entry_events(events, choice.point)[choice.entries:]]
    pending = unsynced(events, choice.point)
    for inode, kept, _ in choice.data:
        lost += [(event.op, True) for event in pending[inode][1][kept:]]
    return sorted(lost, key=lambda pair: pair[0].index)


def _changes(event: Event) -> bool:
    return event.entry is not None or event.data is not None


def _in_place(op: Op) -> str:
    if op.kind == "open" and op.flags & os.O_TRUNC:
        return (f"write a temporary file, fsync it and rename it over {op.path} instead of "
                f"truncating {op.path} in place")
    return (f"make the change to {op.path} atomic: write a temporary file, fsync it, rename it "
            f"into place and fsync the directory")


def cause(events: list[Event], choice: Choice) -> Cause:
    """The smallest cause of the state ``choice`` names (when it breaks a promise)."""
    pairs = lost_ops(events, choice)
    lost = [op for op, _ in pairs]
    if not lost:
        last = events[choice.point - 1].op
        return Cause(f"a crash (kill -9) right after {last.where()} leaves this state",
                     _in_place(last), 0)
    first = lost[0]
    gone = {op.index for op in lost}
    later = [event for event in events[:choice.point]
             if event.op.index > first.index and event.op.index not in gone and _changes(event)]
    # The entry change that persisted (a rename over the file) explains the state best.
    kept = next((event for event in later if event.entry is not None),
                later[0] if later else None)
    if pairs[0][1]:
        if kept is None:
            return Cause(f"{first.where()} can be lost (the file keeps what its last fsync "
                         f"saw, or its new size filled with zeros)",
                         f"fsync {first.path} (flush, then os.fsync(f.fileno())) before "
                         f"relying on it", len(lost))
        target = "before the rename" if kept.op.kind == "rename" else \
            f"before {kept.op.describe()}"
        return Cause(f"{kept.op.where()} can persist before {first.where()}",
                     f"fsync {first.path} (flush, then os.fsync(f.fileno())) {target}",
                     len(lost))
    directory = parent(first.path)
    text = f"{first.where()} can be lost" if kept is None else \
        f"{kept.op.where()} can persist before {first.where()}"
    return Cause(text, f"fsync the directory {directory} after {first.call} (os.open it "
                       f"O_RDONLY, os.fsync the descriptor)", len(lost))


def vulnerabilities(rep: SweepReport) -> list[dict[str, object]]:
    """The broken states grouped by cause: one entry per vulnerability, fewest losses first."""
    groups: dict[tuple[str, str], list[tuple[int, Failure]]] = defaultdict(list)
    for failure in rep.failures:
        fields = {line.partition(": ")[0]: line.partition(": ")[2]
                  for line in failure.violations}
        if "cause" in fields:
            model = failure.case.partition("@")[0]
            lost = int(fields.get("operations lost", "0"))
            groups[(model, fields["cause"])].append((lost, failure))
    found = []
    for (model, text), members in sorted(groups.items()):
        lost, first = min(members, key=lambda pair: (pair[0], pair[1].case))
        fields = dict(line.partition(": ")[::2] for line in first.violations)
        broken = [v for v in first.violations if v.partition(": ")[0] not in (
            "cause", "remedy", "operations lost")]
        found.append({"model": model, "cause": text, "remedy": fields.get("remedy", ""),
                      "states": len(members), "broken": broken, "state": first.case,
                      "reproduce": first.reproduce})
    return found


def vulnerability_lines(rep: SweepReport) -> list[str]:
    """The vulnerabilities as the report prints them."""
    found = vulnerabilities(rep)
    lines = [f"vulnerabilities: {len(found)}"]
    for item in found:
        lines.append(f"VULNERABLE ({item['model']}, {item['states']} states): {item['cause']}")
        lines.extend(f"    - {text}" for text in item["broken"])  # type: ignore[attr-defined]
        lines.append(f"    remedy: {item['remedy']}")
        lines.append(f"    reproduce: {item['reproduce']}")
    return lines
