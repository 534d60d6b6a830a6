"""The one lifecycle state of a recording, with its allowed transitions.

The session, the recording and the trace writer all move through the same states::

    NEW --start--> TRACING --detach--> DETACHED --stop--> STOPPED
     |                |_____________________stop___________^
     |__start failed__________________________________________^

A :class:`Lifecycle` holds one state and refuses an impossible transition with an
``InternalError`` (``ERR_INVARIANT_VIOLATED``): a bug in the recorder must fail loudly, never
be a silent no-op. Staying in the same state is not a transition (detaching twice is fine).
"""

from __future__ import annotations

import enum

from recorder.errors import ErrorCode, bug

__all__ = ["Lifecycle", "State"]


class State(enum.StrEnum):
    """Where a recording is in its life."""

    NEW = "new"
    TRACING = "tracing"
    DETACHED = "detached"
    STOPPED = "stopped"


_ALLOWED: dict[State, frozenset[State]] = {
    State.NEW: frozenset({State.TRACING, State.STOPPED}),
    State.TRACING: frozenset({State.DETACHED, State.STOPPED}),
    State.DETACHED: frozenset({State.STOPPED}),
    State.STOPPED: frozenset(),
}


class Lifecycle:
    """One owner's state (``owner`` names it in errors)."""

    __slots__ = ("owner", "state")

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.state = State.NEW

    def move(self, new: State) -> None:
        """Go to ``new``; an impossible transition is an ``InternalError``."""
        if new is self.state:
            return
        if new not in _ALLOWED[self.state]:
            raise bug(ErrorCode.INVARIANT_VIOLATED,
                      f"{self.owner} cannot go from {self.state} to {new}",
                      owner=self.owner, state=self.state.value, to=new.value)
        self.state = new

    def require(self, state: State, action: str) -> None:
        """``action`` is only possible in ``state``; otherwise an ``InternalError``."""
        if self.state is not state:
            raise bug(ErrorCode.INVARIANT_VIOLATED,
                      f"{self.owner} cannot {action} when {self.state}",
                      owner=self.owner, state=self.state.value, to=action)

    @property
    def active(self) -> bool:
        """True while tracing (hooks installed)."""
        return self.state is State.TRACING

    @property
    def stopped(self) -> bool:
        return self.state is State.STOPPED
