"""The concurrency rules of ``recorder.tracing.threads``, one test each, with the broken variant.

Every rule is checked on the real recorder (``variant == "real"``: the rule must hold) and on a
deliberately broken recorder (``variant == "broken"``, a patch applied before the command line
runs: the same check must see the rule broken), so a check that cannot fail fails the suite.
Programs run in a subprocess with a timeout: a deadlock is a timeout, never a hung suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from recorder.errors import CATALOG, ErrorCode
from recorder.trace_check import check_trace_dir
from recorder.trace_compare import deinterleave

VARIANTS = ["real", "broken"]
#: Enough for any of these programs on a loaded machine; a deadlocked one never finishes.
HANG = 60
HAMMER_TIMEOUT = 120


def _record(run_recorder: Any, tmp_path: Path, program: str, *, backend: str,
            broken: str | None = None, options: tuple[str, ...] = (),
            timeout: float = HANG) -> subprocess.CompletedProcess[bytes] | None:
    """Record ``program``; None when it did not finish within ``timeout`` s."""
    (tmp_path / "prog.py").write_text(textwrap.dedent(program))
    try:
        done: subprocess.CompletedProcess[bytes] = run_recorder(
            ["--backend", backend, "--trace-dir", "trace", *options, "prog.py"],
            prelude=textwrap.dedent(broken) if broken else None, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    return done


def _events(tmp_path: Path) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = json.loads((tmp_path / "trace" / "trace.json").read_text())
    return events


def _metadata(tmp_path: Path) -> dict[str, Any]:
    metadata: dict[str, Any] = json.loads(
        (tmp_path / "trace" / "trace_metadata.json").read_text())
    return metadata


def _functions(tmp_path: Path) -> set[str]:
    return {e["Function"]["name"] for e in _events(tmp_path) if "Function" in e}


# Rule 1: no recorder lock is held while the program's code (here a __repr__) runs. The repr
# starts a thread that runs traced code: it must be able to record while the repr waits for it.
NO_LOCK_IN_REPR = """
    import threading

    SEEN = []


    def ping():
        return 1


    class Probe:
        def __repr__(self):
            helper = threading.Thread(target=ping)
            helper.start()
            helper.join(3)
            SEEN.append("blocked" if helper.is_alive() else "free")
            return "Probe()"


    def main():
        probe = Probe()
        done = 1
        return done


    main()
    print(sorted(set(SEEN)))
"""
#: The broken variant: the writer lock held around encoding a step (which runs the repr).
HOLD_LOCK_AROUND_LINE = """
    from recorder.tracing.frames import FrameRecorder
    _line = FrameRecorder.line
    def line(self, *args):
        with self.writer.lock:
            return _line(self, *args)
    FrameRecorder.line = line
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_recorder_lock_is_held_while_user_code_runs(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    done = _record(run_recorder, tmp_path, NO_LOCK_IN_REPR, backend=backend,
                   options=("--value-repr", "repr"),
                   broken=HOLD_LOCK_AROUND_LINE if variant == "broken" else None)
    assert done is not None, "the recording hung"
    held = done.stdout.strip() != b"['free']"
    assert held == (variant == "broken"), done.stdout + done.stderr


# Rule 2: a __repr__ that takes a lock another traced thread holds does not deadlock: the other
# thread records steps while it holds the lock, and needs no lock the repr's thread holds.
REPR_TAKES_A_HELD_LOCK = """
    import threading
    import time

    user_lock = threading.Lock()
    holding = threading.Event()


    class Guarded:
        def __repr__(self):
            with user_lock:
                return "Guarded()"


    def worker():
        with user_lock:
            holding.set()
            time.sleep(0.3)
            x = 1
            x += 1
        return x


    def main():
        thread = threading.Thread(target=worker)
        thread.start()
        holding.wait()
        guarded = Guarded()
        thread.join()
        return guarded


    main()
    print("finished")
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_a_repr_taking_a_lock_held_by_a_traced_thread_does_not_deadlock(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    done = _record(run_recorder, tmp_path, REPR_TAKES_A_HELD_LOCK, backend=backend,
                   options=("--value-repr", "repr"), timeout=30,
                   broken=HOLD_LOCK_AROUND_LINE if variant == "broken" else None)
    if variant == "broken":
        assert done is None, "the broken recorder was expected to deadlock"
        return
    assert done is not None, "deadlock"
    assert (done.returncode, done.stdout) == (0, b"finished\n"), done.stderr
    assert check_trace_dir(tmp_path / "trace") == []


# Rule 3: 16 threads hammering shared containers: the program's result is unchanged, the trace
# is valid and every thread has the steps one thread running the same function alone has.
HAMMER = """
    import sys
    import threading

    shared_list = []
    shared_dict = {}
    ROUNDS = 40


    def hammer(worker):
        for i in range(ROUNDS):
            shared_list.append(i)
            shared_dict[worker, i] = shared_dict.get((worker, i - 1), 0) + i
        return None


    def main(count):
        threads = [threading.Thread(target=hammer, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(len(shared_list), sum(shared_list), len(shared_dict), sum(shared_dict.values()))


    main(int(sys.argv[1]))
"""
#: The broken variant: the writer never leaves single-thread mode (no lock, no thread events).
NEVER_SHARE = """
    from recorder.trace_writer import TraceWriter
    TraceWriter.start_sharing = lambda self: None
"""


def _steps_per_thread(tmp_path: Path) -> list[int]:
    """Steps of each thread but the first, in the de-interleaved trace."""
    lines = deinterleave(_events(tmp_path))
    counts: list[int] = []
    for line in lines:
        if line == "== thread ==":
            counts.append(0)
        elif counts and line.startswith('{"Step"'):
            counts[-1] += 1
    return counts


@pytest.mark.parametrize("variant", VARIANTS)
def test_sixteen_threads_hammering_shared_containers(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    (tmp_path / "prog.py").write_text(textwrap.dedent(HAMMER))
    plain = subprocess.run([sys.executable, "prog.py", "16"], cwd=tmp_path, capture_output=True,
                           timeout=HAMMER_TIMEOUT)
    # One thread alone: how many steps the function takes (measured, not hard-coded).
    one = run_recorder(["--backend", backend, "--trace-dir", "trace", "prog.py", "1"],
                       timeout=HAMMER_TIMEOUT)
    assert one.returncode == 0, one.stderr
    (expected,) = _steps_per_thread(tmp_path)
    broken = NEVER_SHARE if variant == "broken" else None
    many = run_recorder(["--backend", backend, "--trace-dir", "trace", "prog.py", "16"],
                        prelude=textwrap.dedent(broken) if broken else None,
                        timeout=HAMMER_TIMEOUT)
    assert (many.returncode, many.stdout) == (0, plain.stdout), many.stderr
    correct = (check_trace_dir(tmp_path / "trace") == []
               and _steps_per_thread(tmp_path) == [expected] * 16)
    assert correct == (variant == "real")



# Rule 4: a recorder failure in a worker thread detaches everywhere and is reported once; under
# abort the process ends with the failure's status and the main thread goes no further.
FAILING_WORKER = """
    import threading


    def work(n):
        x = n
        y = x + 1
        return y


    def main():
        for n in range(2):
            thread = threading.Thread(target=work, args=(n,), name=f"worker-{n}")
            thread.start()
            thread.join()
        after = 1
        return after


    main()
    print("main continued")
"""
#: A simulated recorder bug at every line event of a worker thread.
CRASH_IN_WORKERS = """
    import threading
    from recorder import seams
    def hook(point, path):
        if point == "line" and threading.current_thread().name.startswith("worker-"):
            raise RuntimeError("simulated recorder bug")
    seams.install(hook)
"""
#: The containment's log line for the failure (once, whichever thread failed first).
REPORTED = b'"error_code": "ERR_CALLBACK_FAILED"'
#: The broken variant: the main thread is never told (the failure stays in the worker).
NO_INTERRUPT = """
    import recorder.recording
    recorder.recording.interrupt_main = lambda: None
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_abort_from_a_worker_ends_the_process_with_the_failures_status(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    prelude = CRASH_IN_WORKERS + (NO_INTERRUPT if variant == "broken" else "")
    done = _record(run_recorder, tmp_path, FAILING_WORKER, backend=backend, broken=prelude)
    assert done is not None
    status = int(CATALOG[ErrorCode.CALLBACK_FAILED].kind.exit_code)  # what decide() says
    stopped = done.returncode == status and b"main continued" not in done.stdout
    assert stopped == (variant == "real"), (done.returncode, done.stdout, done.stderr)
    assert done.stderr.count(REPORTED) == 1, done.stderr


def test_disable_detaches_every_thread_and_reports_once(
    backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    done = _record(run_recorder, tmp_path, FAILING_WORKER, backend=backend,
                   broken=CRASH_IN_WORKERS,
                   options=("--on-recorder-error", "disable", "--keep-partial-trace"))
    assert done is not None
    assert (done.returncode, done.stdout) == (0, b"main continued\n"), done.stderr
    assert done.stderr.count(REPORTED) == 1, done.stderr
    assert check_trace_dir(tmp_path / "trace") == []  # published partial, still well-formed
    assert _metadata(tmp_path)["partial"] is True
    # Nothing after the failure: no second worker, no step of the main thread after the joins.
    calls = [e for e in _events(tmp_path) if "Call" in e]
    assert len(calls) <= 4, calls  # toplevel, <module>, main, the failing worker's work


#: Four workers whose first line events all fail at once (they meet at a barrier inside the
#: failing callback), so that four failures reach the containment together.
FAILING_TOGETHER = """
    import threading


    def work(n):
        x = n
        return x + 1


    threads = [threading.Thread(target=work, args=(n,), name=f"worker-{n}") for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("main continued")
"""
CRASH_TOGETHER = """
    import threading
    from recorder import seams
    together = threading.Barrier(4)
    def hook(point, path):
        if point == "line" and threading.current_thread().name.startswith("worker-"):
            try:
                together.wait(timeout=10)
            except threading.BrokenBarrierError:
                pass
            raise RuntimeError("simulated recorder bug")
    seams.install(hook)
"""
#: The broken variant: every failure is reported as if it were the first.
REPORT_EVERY_FAILURE = """
    import recorder.guard
    class _AlwaysFirst:
        failure = property(lambda self: None, lambda self, value: None)
    recorder.guard.Containment.failure = _AlwaysFirst.failure
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_failures_in_several_threads_at_once_are_reported_once(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    prelude = CRASH_TOGETHER + (REPORT_EVERY_FAILURE if variant == "broken" else "")
    done = _record(run_recorder, tmp_path, FAILING_TOGETHER, backend=backend, broken=prelude,
                   options=("--on-recorder-error", "disable"))
    assert done is not None
    assert (done.returncode, done.stdout) == (0, b"main continued\n"), done.stderr
    assert (done.stderr.count(REPORTED) == 1) == (variant == "real"), done.stderr


# Rule 5: fork() from a thread leaves the child untraced and the parent's trace intact.
FORK_FROM_A_THREAD = """
    import os
    import threading
    import warnings

    warnings.simplefilter("ignore", DeprecationWarning)  # fork() in a multi-threaded process


    def child_work():
        total = 0
        for i in range(3000):
            total += i
        return total


    def forker():
        pid = os.fork()
        if pid == 0:
            child_work()
            os._exit(0)
        os.waitpid(pid, 0)


    thread = threading.Thread(target=forker)
    thread.start()
    thread.join()
    print("parent done")
"""
#: The broken variant: the child keeps recording into the parent's trace file.
CHILD_KEEPS_RECORDING = """
    from recorder.recording import Recording
    Recording.forked = lambda self: None
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_fork_from_a_thread_leaves_the_parents_trace_intact(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    done = _record(run_recorder, tmp_path, FORK_FROM_A_THREAD, backend=backend,
                   broken=CHILD_KEEPS_RECORDING if variant == "broken" else None)
    assert done is not None
    assert (done.returncode, done.stdout) == (0, b"parent done\n"), done.stderr
    problems = check_trace_dir(tmp_path / "trace")
    intact = problems == [] and "child_work" not in _functions(tmp_path)
    assert intact == (variant == "real"), problems


# Rule 6: stop() never waits forever on the writer lock a frozen (daemon) thread holds.
# The thread takes the lock when the recording finishes (as a daemon thread frozen at shutdown
# may hold it): before that, the main thread would wait for it at its next flush, which a frozen
# thread never allows and which is not what this rule is about.
FREEZE_AT_FINISH = """
    import sys
    import threading
    import types

    import recorder.recording

    cue = sys.modules["freeze_cue"] = types.ModuleType("freeze_cue")
    cue.go, cue.grabbed = threading.Event(), threading.Event()
    finish = recorder.recording.Recording.finish

    def finish_once_the_lock_is_held(self, metadata):
        cue.go.set()
        cue.grabbed.wait()
        return finish(self, metadata)

    recorder.recording.Recording.finish = finish_once_the_lock_is_held
"""
FROZEN_LOCK_HOLDER = """
    import gc
    import threading

    from freeze_cue import go, grabbed
    from recorder.trace_writer import TraceWriter

    writer = next(o for o in gc.get_objects() if type(o) is TraceWriter)


    def freeze():
        go.wait()
        writer.lock.acquire()
        grabbed.set()
        threading.Event().wait()


    # A recorder-owned name: this thread is not recorded.
    threading.Thread(target=freeze, name="codetracer-frozen", daemon=True).start()
"""
#: The broken variant: finishing waits for the lock without a time limit.
WAIT_FOREVER = FREEZE_AT_FINISH + """
    import recorder.tracing.threads
    recorder.tracing.threads.STOP_LOCK_TIMEOUT = -1
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_stop_does_not_wait_forever_for_a_lock_a_frozen_thread_holds(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    done = _record(run_recorder, tmp_path, FROZEN_LOCK_HOLDER, backend=backend, timeout=20,
                   broken=WAIT_FOREVER if variant == "broken" else FREEZE_AT_FINISH)
    if variant == "broken":
        assert done is None, "the broken recorder was expected to hang"
        return
    assert done is not None, "stop() hung on the writer lock"
    assert done.returncode == 0, done.stderr
    assert check_trace_dir(tmp_path / "trace") == []


# Rule 7: threads the recorder owns (name prefix codetracer-) are never traced.
OWNED_THREAD = """
    import threading


    def reader_loop():
        chunks = 0
        for _ in range(3):
            chunks += 1
        return chunks


    def visible():
        return 1


    for target, name in ((reader_loop, "codetracer-fd-reader"), (visible, "worker")):
        thread = threading.Thread(target=target, name=name)
        thread.start()
        thread.join()
"""
#: The broken variant: the owned-thread prefix is not recognised.
NO_OWNED_PREFIX = """
    import recorder.tracing.threads
    recorder.tracing.threads.OWNED_PREFIX = "nothing-is-owned-"
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_recorder_owned_threads_are_never_traced(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    done = _record(run_recorder, tmp_path, OWNED_THREAD, backend=backend,
                   broken=NO_OWNED_PREFIX if variant == "broken" else None)
    assert done is not None and done.returncode == 0, done
    assert check_trace_dir(tmp_path / "trace") == []
    functions = _functions(tmp_path)
    assert "visible" in functions
    untraced = "reader_loop" not in functions
    assert untraced == (variant == "real"), functions


# Rule 8: the number of recorded threads is limited; a limit that cuts is in the metadata.
MANY_THREADS = """
    import threading


    def work(n):
        return n * 2


    for n in range(5):
        thread = threading.Thread(target=work, args=(n,))
        thread.start()
        thread.join()
"""


LIMIT_THREE = """
    import recorder.tracing.threads
    recorder.tracing.threads.THREAD_LIMIT = 3
"""
#: The broken variant: the limit is read (and reported) but not enforced.
LIMIT_NOT_ENFORCED = LIMIT_THREE + """
    registry = recorder.tracing.threads.ThreadRegistry
    register = registry._register

    def unlimited(self):
        limit, self.limit = self.limit, 10**9
        try:
            return register(self)
        finally:
            self.limit = limit

    registry._register = unlimited
"""


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_thread_limit_cuts_and_says_so(
    variant: str, backend: str, run_recorder: Any, tmp_path: Path,
) -> None:
    done = _record(run_recorder, tmp_path, MANY_THREADS, backend=backend,
                   broken=LIMIT_NOT_ENFORCED if variant == "broken" else LIMIT_THREE)
    assert done is not None and done.returncode == 0, done
    assert check_trace_dir(tmp_path / "trace") == []
    metadata = _metadata(tmp_path)
    assert metadata["threads"]["limit"] == 3
    calls = Counter(e["Call"]["function_id"] for e in _events(tmp_path) if "Call" in e)
    cut = (
        metadata["threads"]["limit_reached"] is True
        and [t["number"] for t in metadata["threads"]["recorded"]] == [1, 2, 3]
        and metadata["events_dropped"].get("thread_limit", 0) > 0
        and sum(calls.values()) == 2 + 2  # toplevel, <module>, two of the five work() calls
    )
    assert cut == (variant == "real"), (metadata["threads"], calls)
