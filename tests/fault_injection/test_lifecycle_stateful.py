"""A hypothesis state machine over the recorder's lifecycle through its public API, with faults.

Rules: start, record (run traced code), flush, arm a fault (an I/O error or a crash at some seam),
stop, and restart into the same directory. The invariants after every stop: the trace directory
holds the last complete trace (a failed session never damages it) or, when no session succeeded
yet, nothing; a successful stop publishes a trace that passes the structural checks; no staging
directory is ever left behind once the session is over.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import recorder
from fault_injection.injector import Injector
from fault_injection.plan import FaultPlan, FaultSpec
from recorder import seams
from recorder.errors import ErrorCode, RecorderError
from recorder.trace_check import check_trace_dir

FAULT_KINDS = st.sampled_from(("enospc", "eio", "eacces", "crash"))
FAULT_POINTS = st.sampled_from(("write", "fsync", "rename", "open", "close", "mkdir", "flush",
                                "stop", "line", "call"))


WORKLOAD = """
def work(n):
    total = 0
    for i in range(n):
        total += i * i
    return total
"""
THIS_FILE = os.path.abspath(__file__)


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="fi-life-"))
        self.trace_dir = self.root / "trace"
        self.tracing = False  # a session was started and not stopped yet (it may have failed)
        self.published: bytes | None = None  # trace.json of the last complete trace
        self.injector: Injector | None = None
        # Only the workload is traced: under abort the recorder raises its error into the traced
        # program at the failing callback, and the state machine's own code must not be that.
        source = self.root / "workload.py"
        source.write_text(WORKLOAD)
        namespace: dict[str, object] = {}
        exec(compile(WORKLOAD, str(source), "exec"), namespace)
        self.work = namespace["work"]

    def teardown(self) -> None:
        # Always stop: a session that failed is no longer "tracing" but is still active (its
        # staging directory waits for stop), and must not leak into the next example.
        seams.uninstall()
        with contextlib.suppress(RecorderError):
            recorder.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    # No preconditions on the recorder's state: hypothesis needs rule choice to be replayable,
    # and calling start twice / stop when idle are part of the contract anyway.
    @rule()
    def start(self) -> None:
        try:
            recorder.start(self.trace_dir, policy={"on_recorder_error": "abort"},
                           exclude=[THIS_FILE])
        except RecorderError as err:
            if self.tracing:  # a session (maybe failed, detached) is still active until stop
                assert err.code is ErrorCode.ALREADY_TRACING
            return
        assert not self.tracing, "a second start while a session is active must be refused"
        self.tracing = True

    @rule(n=st.integers(0, 30))
    def record(self, n: int) -> None:
        # Under abort the classified error is raised into the program at that point.
        with contextlib.suppress(RecorderError):
            assert self.work(n) == sum(i * i for i in range(n))  # type: ignore[operator]

    @rule()
    def flush(self) -> None:
        with contextlib.suppress(RecorderError):
            recorder.flush()

    @rule(kind=FAULT_KINDS, point=FAULT_POINTS, nth=st.integers(1, 3),
          persistent=st.booleans())
    def arm_fault(self, kind: str, point: str, nth: int, persistent: bool) -> None:
        spec = FaultSpec(kind, point, nth=nth, times=None if persistent else 1)
        self.injector = Injector(FaultPlan((spec,)))
        seams.install(self.injector)

    @rule()
    def disarm(self) -> None:
        seams.uninstall()

    @rule()
    def stop(self) -> None:
        was_tracing = self.tracing
        try:
            outcome = recorder.stop()
        except RecorderError:
            outcome = None
        assert was_tracing or outcome is None
        event("stop: published" if outcome is not None and outcome.complete
              else "stop: failed" if was_tracing else "stop: idle")
        self.tracing = False
        assert not recorder.is_tracing()
        if outcome is not None and outcome.complete:
            assert check_trace_dir(self.trace_dir) == []
            self.published = (self.trace_dir / "trace.json").read_bytes()

    @invariant()
    def target_is_old_new_or_nothing(self) -> None:
        if self.tracing:
            return
        if self.published is None:
            assert not (self.trace_dir / "trace.json").exists()
        else:
            assert (self.trace_dir / "trace.json").read_bytes() == self.published
            assert check_trace_dir(self.trace_dir) == []

    @invariant()
    def no_staging_leftovers_between_sessions(self) -> None:
        if not self.tracing:
            assert [name for name in os.listdir(self.root) if ".staging-" in name] == []


Lifecycle.TestCase.settings = settings(
    max_examples=40, stateful_step_count=12, deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no settrace "explain"
    suppress_health_check=[HealthCheck.too_slow])
TestLifecycle = Lifecycle.TestCase
