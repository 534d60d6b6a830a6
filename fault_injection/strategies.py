"""Hypothesis strategies for fault plans (tests only: hypothesis is a dev dependency).

``fault_specs()`` draws any valid clause, ``fault_plans()`` a valid plan; ``plan_texts()`` draws
the text form with random spacing and separators, so parsers see what users type.
"""

from __future__ import annotations

from hypothesis import strategies as st

from fault_injection.plan import ANY_POINT, KINDS, POINTS, FaultPlan, FaultSpec

kinds = st.sampled_from(KINDS)
points = st.sampled_from((*POINTS, ANY_POINT))


@st.composite
def fault_specs(draw: st.DrawFn, kind: st.SearchStrategy[str] = kinds,
                point: st.SearchStrategy[str] = points) -> FaultSpec:
    """One valid clause: Nth hit, every hit from the Nth, or a seeded probability."""
    k, p = draw(kind), draw(point)
    times = draw(st.none() | st.integers(1, 5))
    if draw(st.booleans()):
        return FaultSpec(k, p, nth=draw(st.integers(1, 500)), times=times)
    probability = draw(st.floats(min_value=0.001, max_value=1.0, allow_nan=False))
    return FaultSpec(k, p, nth=None, probability=probability, seed=draw(st.integers(0, 2**32)),
                     times=times)


def fault_plans(max_clauses: int = 4) -> st.SearchStrategy[FaultPlan]:
    """A valid plan of up to ``max_clauses`` clauses."""
    return st.lists(fault_specs(), max_size=max_clauses).map(lambda s: FaultPlan(tuple(s)))


@st.composite
def plan_texts(draw: st.DrawFn, max_clauses: int = 4) -> tuple[str, FaultPlan]:
    """A plan's text with random whitespace and separators, with the plan it means."""
    plan = draw(fault_plans(max_clauses))
    pieces = []
    for spec in plan.specs:
        pad = draw(st.sampled_from(("", " ", "  ", "\t")))
        pieces.append(pad + str(spec) + pad)
    separators = [draw(st.sampled_from((";", "; ", "\n", " ;"))) for _ in pieces]
    text = "".join(piece + sep for piece, sep in zip(pieces, separators, strict=True))
    return text, plan
