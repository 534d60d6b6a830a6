"""Failures inside callbacks: handed to on_failure, detached first, never leaked as foreign errors.

In-process tests of :class:`recorder.recording.Recording` with a fault hook on the callback seams
(``recorder.seams``), on every backend of this interpreter.
"""

from __future__ import annotations

import collections
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from recording_support import DirLayer, finished

from recorder import seams
from recorder.errors import EnvironmentError, ErrorCode, InternalError, bug
from recorder.recording import Recording
from recorder.trace_check import check_trace_dir
from recorder.tracing import available_backends
from recorder.tracing.filters import CodeFilter

PROGRAM = """\
def square(x):
    y = x * x
    return y

total = 0
for i in range(LOOPS):
    total += square(i)
    print(i)
"""


def hooks_installed() -> bool:
    if sys.gettrace() is not None:
        return True
    monitoring: Any = getattr(sys, "monitoring", None)
    return monitoring is not None and monitoring.get_tool(monitoring.DEBUGGER_ID) is not None


@pytest.fixture(params=available_backends())
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(autouse=True)
def no_seam_hook() -> Iterator[None]:
    yield
    seams.uninstall()


class Harness:
    """Records PROGRAM in-process; ``on_failure`` is the test's policy."""

    def __init__(self, tmp_path: Path, backend: str, loops: int = 5,
                 fail_after: int | None = None) -> None:
        self.script = tmp_path / "prog.py"
        self.script.write_text(PROGRAM.replace("LOOPS", str(loops)))
        self.code = compile(self.script.read_text(), str(self.script), "exec")
        self.namespace: dict[str, Any] = {"__name__": "__main__"}
        self.failures: list[tuple[type[BaseException], str, bool]] = []
        self.policy: Callable[[BaseException, str], None] = lambda exc, point: None
        self.trace_dir = tmp_path / "trace"
        self.rec = Recording(
            DirLayer(self.trace_dir, fail_after), program=str(self.script),
            # The fake layer and on_failure live here: keep them out of the trace, as the real
            # output layer and policy are (they are in the recorder package).
            backend=backend, filters=CodeFilter(exclude=[str(Path(__file__).parent / "*")]),
            on_failure=self._on_failure,
        )

    def _on_failure(self, exc: BaseException, point: str) -> None:
        self.failures.append((type(exc), point, hooks_installed()))
        self.policy(exc, point)

    def run(self) -> None:
        stdout = sys.stdout
        self.rec.start()
        try:
            exec(self.code, self.namespace)
        finally:
            self.rec.detach()
            assert sys.stdout is stdout


def crash_at(point: str, nth: int, error: BaseException) -> None:
    count = 0

    def hook(where: str, path: str | None) -> None:
        nonlocal count
        if where == point:
            count += 1
            if count == nth:
                raise error

    seams.install(hook)


@pytest.mark.parametrize("point", ["call", "line", "return"])
def test_abort_raises_the_classified_error_into_the_program(
    backend: str, point: str, tmp_path: Path
) -> None:
    harness = Harness(tmp_path, backend)

    def abort(exc: BaseException, where: str) -> None:
        # The session's abort policy, minus its own detach: the recording must detach anyway.
        raise bug(ErrorCode.CALLBACK_FAILED, f"callback failed at {where}") from exc

    harness.policy = abort
    crash_at(point, 3, RuntimeError("simulated recorder bug"))
    with pytest.raises(InternalError) as raised:
        # Started inside the block: the "call" seam counts every call event the backend sees,
        # pytest's own included.
        harness.rec.start()
        exec(harness.code, harness.namespace)
    installed = hooks_installed()
    harness.rec.detach()
    assert not installed  # detached before the error reached the program
    assert raised.value.code is ErrorCode.CALLBACK_FAILED
    assert isinstance(raised.value.__cause__, RuntimeError)
    assert harness.failures == [(RuntimeError, point, True)]
    assert harness.namespace.get("total", 0) < 30  # stopped at that point, not at the end
    harness.rec.finish(finished(70, "internal"))
    assert check_trace_dir(harness.trace_dir) == []


def test_disable_detaches_and_the_program_runs_on(backend: str, tmp_path: Path) -> None:
    harness = Harness(tmp_path, backend)
    harness.policy = lambda exc, point: harness.rec.detach()
    crash_at("line", 4, ValueError("simulated"))
    harness.run()
    assert harness.namespace["total"] == 30  # 0 + 1 + 4 + 9 + 16
    assert harness.failures == [(ValueError, "line", True)]
    assert not hooks_installed()
    harness.rec.finish(finished(0, "exit"))
    assert check_trace_dir(harness.trace_dir) == []  # open frames were closed


def test_keyboard_interrupt_passes_through_untouched(backend: str, tmp_path: Path) -> None:
    harness = Harness(tmp_path, backend)
    crash_at("line", 2, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        harness.run()
    assert harness.failures == []


def test_output_failure_in_a_callback_reaches_on_failure(backend: str, tmp_path: Path) -> None:
    harness = Harness(tmp_path, backend, loops=3000, fail_after=100_000)
    harness.policy = lambda exc, point: harness.rec.detach()
    harness.run()
    assert harness.namespace["total"] == sum(i * i for i in range(3000))
    assert [(kind, installed) for kind, _, installed in harness.failures] == [
        (EnvironmentError, True)
    ]
    harness.rec.finish_partial(finished(None, None, partial="ERR_DISK_FULL"))
    assert check_trace_dir(harness.trace_dir) == []
    metadata = (harness.trace_dir / "trace_metadata.json").read_text()
    assert '"partial": true' in metadata and '"partial_reason": "ERR_DISK_FULL"' in metadata


def test_no_hook_means_raw_callbacks(backend: str, tmp_path: Path) -> None:
    harness = Harness(tmp_path, backend)
    harness.rec.start()
    try:
        tracer: Any = harness.rec.tracer
        if backend == "settrace":
            assert getattr(sys.gettrace(), "__func__", None) is type(tracer)._global
        else:
            monitoring: Any = sys.monitoring
            event = monitoring.events.LINE
            current = monitoring.register_callback(monitoring.DEBUGGER_ID, event, None)
            monitoring.register_callback(monitoring.DEBUGGER_ID, event, current)
            assert getattr(current, "__func__", None) is type(tracer)._line
        # The recording actions are the FrameRecorder's own methods, not seam wrappers.
        frames: Any = harness.rec.frames
        assert tracer._enter == frames.enter
        assert tracer._leave_return == frames.leave_return
    finally:
        harness.rec.detach()


def test_detach_is_idempotent_and_restores_streams(backend: str, tmp_path: Path) -> None:
    harness = Harness(tmp_path, backend)
    stdout, stderr = sys.stdout, sys.stderr
    harness.rec.start()
    assert sys.stdout is not stdout
    harness.rec.detach()
    harness.rec.detach()
    assert (sys.stdout, sys.stderr) == (stdout, stderr)
    assert not hooks_installed()


SECRET_PROGRAM = """\
def login(user, password):
    api_key = "sk-" + password
    for _ in range(3):
        api_key = api_key + "!"
    return len(api_key)

token = "tok-" + "hunter2"
login("alice", "hunter2")
token = token + "x"
"""


def test_secret_values_never_reach_the_trace(backend: str, tmp_path: Path) -> None:
    script = tmp_path / "secret.py"
    script.write_text(SECRET_PROGRAM)
    rec = Recording(DirLayer(tmp_path / "trace"), program=str(script), backend=backend,
                    filters=CodeFilter(), on_failure=lambda exc, point: None)
    rec.start()
    try:
        exec(compile(SECRET_PROGRAM, str(script), "exec"), {"__name__": "__main__"})
    finally:
        rec.detach()
    rec.finish(finished(0, None))
    text = (tmp_path / "trace" / "trace.json").read_text()
    assert "hunter2" not in text
    assert text.count("<redacted>") >= 8  # password, api_key and token at every step
    assert check_trace_dir(tmp_path / "trace") == []


def test_a_fault_hook_running_while_attached_is_not_reentered(
    backend: str, tmp_path: Path
) -> None:
    # Lifecycle seams (flush, stop) fire in program context while the tracer is attached: the
    # hook's own calls (here into the standard library) must not reach a seam again.
    lock = threading.Lock()
    reentered: list[str] = []

    def hook(point: str, path: str | None) -> None:
        if not lock.acquire(timeout=2):
            reentered.append(point)
            return
        try:
            counts: collections.Counter[str] = collections.Counter()
            counts[point] += 1  # Counter.__missing__ is Python code
        finally:
            lock.release()

    harness = Harness(tmp_path, backend)
    harness.code = compile(
        "from recorder import seams\nfor i in range(3):\n    seams.hit('flush')\n",
        str(harness.script), "exec",
    )
    seams.install(hook)
    harness.run()
    assert reentered == []
    assert harness.failures == []
