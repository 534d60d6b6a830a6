"""A hypothesis state machine over the output layer: write, fail at any step, retry, publish,
abandon, crash, and start again as a new process.

Invariant after every step: the target holds the last published complete trace, the complete
trace of a publish that was attempted since, or nothing (``trace_tag`` also fails on anything torn
or mixed). After a fault-free cleanup run (``begin`` + ``abandon`` in a "new process"): no staging
or old directories are left, and the target is not empty if a trace had been published (an old
trace stranded aside by a failure is restored, never lost).
"""

from __future__ import annotations

import errno
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from output_support import (
    Fault,
    FaultHook,
    SimulatedCrash,
    TraceWriting,
    record,
    side_dirs,
    trace_tag,
)

from recorder import seams
from recorder.errors import ErrorKind, RecorderError
from recorder.output import LayerState, OutputLayer, SideName

IO_POINTS = list(seams.IO_POINTS)
ERRNOS = [errno.ENOSPC, errno.EIO, errno.EACCES, errno.EROFS, errno.EFBIG]

faults = st.none() | st.builds(
    Fault,
    point=st.sampled_from([None, *IO_POINTS]),
    nth=st.integers(min_value=1, max_value=8),
    err=st.sampled_from(ERRNOS),
    persistent=st.booleans(),
)


# Publishing's own steps, where the swap can fail between its renames: drawn more often there.
publish_faults = st.none() | st.builds(
    Fault,
    point=st.sampled_from([None, "fsync", "close", "rename", "unlink"]),
    nth=st.integers(min_value=1, max_value=4),
    err=st.sampled_from(ERRNOS),
    persistent=st.booleans(),
)


def new_process_liveness(side: SideName, path: Path) -> bool:
    """A new process finds every side directory's owner dead (the old one crashed or exited)."""
    return False


class OutputLayerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(tempfile.mkdtemp(prefix="output-sm-"))
        self.target = self.root / "out"
        self.hook = FaultHook()
        seams.install(self.hook)
        self.layer: OutputLayer | None = None
        self.writing: TraceWriting | None = None
        self.runs = 0
        # Every run starts over an older complete trace, so swaps happen from the first publish.
        record(self.target, "run0", events=2)
        self.published: str | None = "run0"  # the last trace published successfully
        self.attempted: set[str] = set()  # publishes attempted (failed/crashed) since cleanup

    def teardown(self) -> None:
        seams.uninstall()
        shutil.rmtree(self.root, ignore_errors=True)

    def _armed(self, fault: Fault | None) -> None:
        self.hook.arm(fault)

    def _drop_layer(self) -> None:
        self.layer = None
        self.writing = None

    @precondition(lambda self: self.layer is None)
    @rule(fault=faults)
    def start(self, fault: Fault | None) -> None:
        self.runs += 1
        layer = OutputLayer(self.target, owner_alive=new_process_liveness)
        self._armed(fault)
        try:
            layer.begin()
        except RecorderError as error:
            assert error.kind in (ErrorKind.ENVIRONMENT, ErrorKind.USAGE)
            assert layer.state is LayerState.FAILED
            return
        finally:
            self._armed(None)
        self.layer = layer
        self.writing = TraceWriting(layer, f"run{self.runs}")

    @precondition(lambda self: self.writing is not None and not self.writing.closed_array)
    @rule(fault=faults, count=st.integers(min_value=1, max_value=4))
    def write_events(self, fault: Fault | None, count: int) -> None:
        assert self.writing is not None
        self._armed(fault)
        try:
            for _ in range(count):
                self.writing.add_event()
        except RecorderError as error:
            assert error.kind is ErrorKind.ENVIRONMENT
            assert error.context.get("step") and error.context.get("path")
        finally:
            self._armed(None)

    @precondition(lambda self: self.writing is not None)
    @rule(fault=publish_faults)
    def publish(self, fault: Fault | None) -> None:
        """Finish and publish; a failure before publish() keeps the layer (a retry may follow)."""
        assert self.writing is not None and self.layer is not None
        layer, tag = self.layer, self.writing.tag
        self._armed(fault)
        try:
            self.writing.finish()
        except RecorderError:
            self._armed(None)
            return  # the writer could not finish: retry later, or abandon
        before = trace_tag(self.target)
        try:
            layer.publish()
        except RecorderError as error:
            assert layer.state is LayerState.FAILED
            # A publish that raises has changed nothing, unless undoing its renames failed too.
            if trace_tag(self.target) != before:
                assert "undo-rename" in [note.context.get("step") for note in layer.notes]
            assert error.context.get("step")
            event(f"publish failed at {error.context['step']}")
            self.attempted.add(tag)
            self._drop_layer()
            return
        finally:
            self._armed(None)
        assert layer.state is LayerState.PUBLISHED
        assert trace_tag(self.target) == tag
        self.published = tag
        self.attempted.clear()
        self._drop_layer()

    @precondition(lambda self: self.layer is not None)
    @rule(fault=faults)
    def abandon(self, fault: Fault | None) -> None:
        assert self.layer is not None
        self._armed(fault)
        try:
            self.layer.abandon()  # never raises, whatever fails underneath
        finally:
            self._armed(None)
        assert self.layer.state is LayerState.ABANDONED
        self._drop_layer()

    @precondition(lambda self: self.writing is not None)
    @rule(nth=st.integers(min_value=1, max_value=12), point=st.sampled_from([None, *IO_POINTS]))
    def crash(self, nth: int, point: str | None) -> None:
        """The process dies (kill -9) at the nth I/O step of finishing and publishing."""
        assert self.writing is not None and self.layer is not None
        layer, tag = self.layer, self.writing.tag
        self._armed(Fault(point, nth, crash=True))
        try:
            if not self.writing.closed_array:
                self.writing.add_event()
            self.writing.finish()
            layer.publish()
        except SimulatedCrash:
            holds = "nothing" if trace_tag(self.target) is None else "a trace"
            event(f"crashed; target then holds {holds}")
            self.attempted.add(tag)
        except RecorderError:
            pass  # a file broken by an earlier fault: publish refused, layer cleaned
        else:
            self.published = tag
            self.attempted.clear()
        finally:
            self._armed(None)
            self.hook.crashed = False
        for handle in layer.files.values():
            handle.discard()  # the kernel closes a dead process's files
        self._drop_layer()

    @precondition(lambda self: self.layer is None)
    @rule()
    def cleanup(self) -> None:
        """A fault-free new process: begin (recovers leftovers) and abandon."""
        layer = OutputLayer(self.target, owner_alive=new_process_liveness)
        before = trace_tag(self.target), len(side_dirs(self.target))
        layer.begin()
        layer.abandon()
        assert side_dirs(self.target) == []
        if before[1]:
            event("cleanup removed leftovers")
        if before[0] is None and trace_tag(self.target) is not None:
            event("cleanup restored a stranded old trace")
        now = trace_tag(self.target)
        assert now in {self.published} | self.attempted
        if self.published is not None:
            assert now is not None, "a published trace was lost"
        self.published = now
        self.attempted.clear()

    @invariant()
    def target_holds_old_new_or_nothing(self) -> None:
        now = trace_tag(self.target)  # raises on a torn or mixed trace
        assert now in {None, self.published} | self.attempted


OutputLayerMachine.TestCase.settings = settings(
    max_examples=120,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_output_layer_state_machine = OutputLayerMachine.TestCase
