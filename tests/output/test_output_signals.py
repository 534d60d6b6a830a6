"""Deferred SIGINT: critical sections, and a Ctrl-C (or two) while the output layer publishes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from output_support import FaultHook, TraceWriting, record, side_dirs, trace_tag

from recorder.output import LayerState, OutputLayer
from recorder.signals import deferred_signals, in_critical_section


@pytest.fixture(autouse=True)
def default_sigint() -> Iterator[None]:
    """Every test starts and ends with Python's default SIGINT handler."""
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def ctrl_c() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def test_sigint_inside_a_section_is_redelivered_on_exit() -> None:
    reached_end = False
    with pytest.raises(KeyboardInterrupt), deferred_signals() as section:
        ctrl_c()
        assert section.interrupted and section.received == 1
        reached_end = True
    assert reached_end
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert not in_critical_section()


def test_no_signal_no_effect() -> None:
    with deferred_signals() as section:
        assert in_critical_section()
    assert not section.interrupted
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_nested_sections_redeliver_only_at_the_outermost_exit() -> None:
    trail: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with deferred_signals():
            with deferred_signals() as inner:
                ctrl_c()
            trail.append("inner exited")
            assert inner.interrupted
        trail.append("not reached")
    assert trail == ["inner exited"]


def test_second_sigint_is_delivered_at_once() -> None:
    trail: list[str] = []
    with pytest.raises(KeyboardInterrupt), deferred_signals() as section:
        ctrl_c()
        trail.append("first deferred")
        ctrl_c()
        trail.append("not reached")
    assert trail == ["first deferred"]
    assert section.received == 2
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_programs_own_handler_is_called_once_per_signal() -> None:
    calls: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
    with deferred_signals():
        ctrl_c()
        assert calls == []
    assert calls == [signal.SIGINT]


def test_ignored_sigint_stays_ignored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with deferred_signals() as section:
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        ctrl_c()
    assert not section.interrupted


def test_sections_in_other_threads_are_no_ops() -> None:
    seen: list[object] = []

    def worker() -> None:
        with deferred_signals():
            seen.append(signal.getsignal(signal.SIGINT))

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler]


def test_sigint_at_the_rename_of_publish_is_deferred_until_published(
        tmp_path: Path, hook: FaultHook) -> None:
    target = tmp_path / "out"
    record(target, "old")
    layer = OutputLayer(target)
    layer.begin()
    writing = TraceWriting(layer, "new")
    writing.add_event()
    writing.finish()
    sent: list[str] = []

    def interrupt_at_rename(point: str, path: str | None) -> None:
        hook.hits.append((point, path))
        if point == "rename" and not sent:
            sent.append(str(path))
            ctrl_c()

    from recorder import seams

    hook.hits.clear()
    seams.install(interrupt_at_rename)
    with pytest.raises(KeyboardInterrupt):
        layer.publish()
    assert sent == [str(target)]  # the first rename: old trace moved aside
    assert layer.state is LayerState.PUBLISHED
    assert trace_tag(target) == "new"
    assert side_dirs(target) == []
    # the interrupt came after the whole swap: both renames, the parent fsync, the cleanup
    assert [p for p, _ in hook.hits].count("rename") == 2


CHILD = textwrap.dedent("""
    import os, signal, sys, time
    sys.path.insert(0, sys.argv[3])
    from output_support import TraceWriting
    from recorder import seams
    from recorder.output import OutputLayer
    point, count = sys.argv[2].split("*")
    sent = {"n": 0}
    def hook(p, path):
        if p == point and sent["n"] < int(count):
            sent["n"] += 1
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # let the handler run here, at the seam
    layer = OutputLayer(sys.argv[1])
    layer.begin()
    w = TraceWriting(layer, "new")
    w.add_event()
    w.finish()
    seams.install(hook)
    try:
        layer.publish()
    finally:
        sys.stderr.write(f"state={layer.state.value}\\n")
""")


@pytest.mark.parametrize(
    ("signals", "state", "visible"),
    [
        ("rename*1", "published", "new"),  # deferred, re-delivered after the swap
        ("fsync*1", "published", "new"),
        ("rename*2", "failed", "old"),  # the second Ctrl-C ends it at once; the swap is undone
        ("fsync*2", "failed", "old"),
    ],
)
def test_ctrl_c_during_publish_in_a_real_process(tmp_path: Path, signals: str, state: str,
                                                 visible: str) -> None:
    target = tmp_path / "out"
    record(target, "old")
    child = subprocess.run([sys.executable, "-c", CHILD, str(target), signals,
                            str(Path(__file__).parent)], capture_output=True, timeout=60)
    stderr = child.stderr.decode()
    # Ended as Python ends on an uncaught KeyboardInterrupt: killed by SIGINT, traceback shown.
    assert child.returncode == -signal.SIGINT, stderr
    assert "KeyboardInterrupt" in stderr
    assert f"state={state}" in stderr
    assert trace_tag(target) == visible
    assert side_dirs(target) == []


@pytest.mark.parametrize(
    ("operation", "point", "state_after"),
    [
        ("begin", "mkdir", LayerState.STAGING),  # staging created; the caller then abandons
        ("abandon", "unlink", LayerState.ABANDONED),  # the removal is finished first
    ],
)
def test_sigint_during_begin_or_abandon_is_deferred_to_its_end(
        tmp_path: Path, operation: str, point: str, state_after: LayerState) -> None:
    from recorder import seams

    target = tmp_path / "out"
    layer = OutputLayer(target)
    if operation == "abandon":
        layer.begin()
        TraceWriting(layer, "r").add_event()
    sent: list[str] = []

    def interrupt(p: str, path: str | None) -> None:
        if p == point and not sent:
            sent.append(p)
            ctrl_c()

    seams.install(interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            getattr(layer, operation)()
    finally:
        seams.uninstall()
    assert sent == [point]
    assert layer.state is state_after
    if operation == "begin":
        assert layer.staging_dir is not None and layer.staging_dir.is_dir()
        layer.abandon()
    assert os.listdir(tmp_path) == []
