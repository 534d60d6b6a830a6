"""Fault plans: which fault, where, when and how many times, as one line of text.

A plan travels inside a process and across a subprocess boundary in one environment variable,
``RECORDER_FAULTS``::

    RECORDER_FAULTS="enospc@write#3; sigint@rename#1; crash@line#100"

Grammar (whitespace is ignored; clauses are separated by ``;`` or newlines)::

    plan    := clause { ";" clause }
    clause  := KIND "@" POINT [ trigger ] [ "x" TIMES ]
    trigger := "#" N [ "+" ]                  the Nth hit of POINT (N >= 1); with "+": every hit
                                              from the Nth on
             | "%" P [ ":seed=" SEED ]        each hit with probability P (0 < P <= 1), drawn from
                                              a generator seeded with SEED (default 0)

``KIND`` is one of ``enospc eacces erofs eio efbig`` (the hit raises ``OSError`` with that errno),
``sigint`` (a real SIGINT is raised in the process at the hit) or ``crash`` (an exception that
stands for a bug in the recorder's own code). ``POINT`` is a seam of :mod:`recorder.seams`
(output layer ``open write fsync close rename mkdir unlink``; tracer callbacks ``call line return
yield unwind``; lifecycle ``start flush detach stop``), a qualified file-system point of the
generic seams that any Python program gets through the bootstrap (``os.open os.write ...``, see
:mod:`fault_injection.boot.fs_seams`; ``os.remove``, ``os.makedirs``, ``builtins.open`` and
``io.open`` are read as the point they count at), or ``*`` for any point (its hits are then
counted across all points of the same set, SQLite style). ``crash`` is offered at the recorder's
seams only: other programs have no "recorder bug".

``TIMES`` bounds how often the clause fires. The defaults: ``#N`` fires once; ``#N+`` fires on
every hit from the Nth; ``%P`` fires whenever the draw says so. So ``enospc@write#3x2`` fails the
3rd and 4th writes, ``eio@fsync%0.1:seed=7x1`` fails at most one fsync, chosen at random but
reproducibly. A clause without a trigger means ``#1``.

:func:`parse_plan` turns text into a :class:`FaultPlan` (or raises :class:`PlanError` naming the
clause and what is wrong with it); ``str(plan)`` gives the canonical text, and
``parse_plan(str(plan)) == plan`` always holds.
"""

from __future__ import annotations

import errno
import re
from dataclasses import dataclass

from fault_injection.boot import fs_seams
from fault_injection.errors import KindNotOfferedError, PlanError, UnknownPointError
from recorder import seams

ENV_VAR = "RECORDER_FAULTS"

#: Fault kinds that raise ``OSError`` with this errno at the seam.
ERRNO_KINDS: dict[str, int] = {
    "enospc": errno.ENOSPC,
    "eacces": errno.EACCES,
    "erofs": errno.EROFS,
    "eio": errno.EIO,
    "efbig": errno.EFBIG,
}
SIGNAL_KINDS: tuple[str, ...] = ("sigint",)
CRASH_KINDS: tuple[str, ...] = ("crash",)
KINDS: tuple[str, ...] = tuple(ERRNO_KINDS) + SIGNAL_KINDS + CRASH_KINDS
ANY_POINT = "*"
POINTS: tuple[str, ...] = seams.ALL_POINTS
#: The generic seams' points (any Python program, through the bootstrap).
OS_POINTS: tuple[str, ...] = fs_seams.POINTS

_CLAUSE = re.compile(
    r"""^(?P<kind>[a-z]+)@(?P<point>[a-z]+(?:\.[a-z_]+)?|\*)
        (?:\#(?P<nth>\d+)(?P<plus>\+)?
          |%(?P<prob>[0-9.eE+-]+)(?::seed=(?P<seed>\d+))?)?
        (?:x(?P<times>\d+))?$""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class FaultSpec:
    """One clause of a plan. Exactly one of ``nth`` / ``probability`` is set."""

    kind: str
    point: str
    nth: int | None = 1
    probability: float | None = None
    seed: int = 0
    times: int | None = 1  # None: no bound

    def __str__(self) -> str:
        head = f"{self.kind}@{self.point}"
        if self.probability is not None:
            trigger = f"%{self.probability!r}:seed={self.seed}"
            return trigger_with(head + trigger, self.times)
        if self.times is None:
            return f"{head}#{self.nth}+"
        return trigger_with(f"{head}#{self.nth}", None if self.times == 1 else self.times)

    @property
    def errno(self) -> int | None:
        """The errno this fault raises, or None for ``sigint`` / ``crash``."""
        return ERRNO_KINDS.get(self.kind)


def trigger_with(text: str, times: int | None) -> str:
    """``text`` with an ``xTIMES`` suffix when ``times`` is set."""
    return text if times is None else f"{text}x{times}"


@dataclass(frozen=True)
class FaultPlan:
    """An ordered list of clauses; at each hit the first clause that fires wins."""

    specs: tuple[FaultSpec, ...] = ()

    def __str__(self) -> str:
        return "; ".join(str(spec) for spec in self.specs)

    def __bool__(self) -> bool:
        return bool(self.specs)


def _bad(clause: str, why: str, error: type[PlanError] = PlanError) -> PlanError:
    return error(
        f"bad fault plan clause {clause.strip()!r}: {why} (see docs/fault-injection.md)")


def is_os_point(point: str) -> bool:
    """True for a point of the generic file-system seams (``os.write``, ...)."""
    return point in OS_POINTS


def _check_names(clause: str, kind: str, point: str) -> str:
    """The canonical point name (aliases resolved); a :class:`PlanError` when names are wrong."""
    if kind not in KINDS:
        raise _bad(clause, f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    point = fs_seams.ALIASES.get(point, point)
    if point != ANY_POINT and point not in POINTS and point not in OS_POINTS:
        raise _bad(clause, f"unknown fault point {point!r}; expected one of "
                           f"{', '.join(POINTS)}, {', '.join(OS_POINTS)} or {ANY_POINT}",
                   UnknownPointError)
    if kind in CRASH_KINDS and is_os_point(point):
        raise _bad(clause, f"{kind!r} is not offered at {point} (only at the recorder's seams)",
                   KindNotOfferedError)
    return point


def parse_spec(clause: str) -> FaultSpec:
    """Parse one clause such as ``enospc@write#3+`` (whitespace already allowed inside)."""
    text = "".join(clause.split())
    match = _CLAUSE.match(text)
    if match is None:
        if "@" not in text:
            raise _bad(clause, "expected KIND@POINT, e.g. enospc@write#3")
        raise _bad(clause, "expected KIND@POINT[#N[+]|%P[:seed=S]][xTIMES], e.g. enospc@write#3+")
    kind = match["kind"]
    point = _check_names(clause, kind, match["point"])
    times = int(match["times"]) if match["times"] is not None else None
    if times is not None and times < 1:
        raise _bad(clause, "xTIMES must be at least 1")
    if match["prob"] is not None:
        try:
            probability = float(match["prob"])
        except ValueError:
            raise _bad(clause, f"probability {match['prob']!r} is not a number") from None
        if not 0.0 < probability <= 1.0:
            raise _bad(clause, f"probability {probability} is not in (0, 1]")
        seed = int(match["seed"]) if match["seed"] is not None else 0
        return FaultSpec(kind, point, nth=None, probability=probability, seed=seed, times=times)
    nth = int(match["nth"]) if match["nth"] is not None else 1
    if nth < 1:
        raise _bad(clause, "hits are counted from 1: #N needs N >= 1")
    if times is None:
        times = None if match["plus"] else 1
    return FaultSpec(kind, point, nth=nth, times=times)


def parse_plan(text: str) -> FaultPlan:
    """Parse a whole plan; an empty or blank text is the empty plan (no faults)."""
    clauses = [part for part in re.split(r"[;\n]", text) if part.strip()]
    return FaultPlan(tuple(parse_spec(clause) for clause in clauses))


def single(kind: str, point: str, nth: int, *, persistent: bool = False) -> FaultPlan:
    """A one-clause plan: ``kind`` at the ``nth`` hit of ``point`` (and after, if persistent)."""
    point = _check_names(f"{kind}@{point}", kind, point)
    if nth < 1:
        raise _bad(f"{kind}@{point}#{nth}", "hits are counted from 1: #N needs N >= 1")
    return FaultPlan((FaultSpec(kind, point, nth=nth, times=None if persistent else 1),))


def os_clauses(plan: FaultPlan) -> list[dict[str, object]]:
    """The plan's clauses for the generic seams, as the bootstrap reads them (JSON-ready).

    ``*`` clauses (but ``crash``) go to both point sets; each set counts its own hits.
    """
    return [{"text": str(spec), "kind": spec.kind, "point": spec.point, "nth": spec.nth,
             "times": spec.times, "probability": spec.probability, "seed": spec.seed}
            for spec in plan.specs
            if is_os_point(spec.point) or (spec.point == ANY_POINT and spec.kind != "crash")]


def recorder_part(plan: FaultPlan) -> FaultPlan:
    """The plan without its ``os.*`` clauses (what the recorder's seam hook gets)."""
    return FaultPlan(tuple(spec for spec in plan.specs if not is_os_point(spec.point)))
