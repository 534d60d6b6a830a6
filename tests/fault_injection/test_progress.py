"""The sweep's progress: a live line on a terminal, plain periodic lines elsewhere, on stderr."""

from __future__ import annotations

import pytest

from fault_injection.progress import Progress


class Clock:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_plain_lines_every_tenth_with_the_time_left(capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    progress = Progress(40, live=False, clock=clock)
    for done in range(1, 41):
        clock.now += 1.5
        progress.update(done, failed=1 if done > 30 else 0)
    progress.finish()
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 10
    assert lines[0] == "sweep: 4/40 runs, 0 failed, 6s elapsed, about 54s left"
    assert lines[7] == "sweep: 32/40 runs, 1 failed, 48s elapsed, about 12s left"
    assert lines[-1] == "sweep: 40/40 runs, 1 failed, 1m00s elapsed"


def test_a_live_line_is_rewritten_then_ended(capsys: pytest.CaptureFixture[str]) -> None:
    clock = Clock()
    progress = Progress(3, live=True, clock=clock)
    progress.update(1, 0)
    clock.now += 0.1
    progress.update(2, 0)  # within the interval: not redrawn
    clock.now += 0.1
    progress.update(3, 1)
    progress.finish()
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("\rsweep: 1/3 runs, 0 failed, 0s elapsed, about 0s left\x1b[K"
                   "\rsweep: 3/3 runs, 1 failed, 0s elapsed\x1b[K\n")


def test_every_n_runs_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    progress = Progress(7, live=False, every=3, clock=Clock())
    for done in range(1, 8):
        progress.update(done, 0)
    assert [line.split(",")[0] for line in capsys.readouterr().err.splitlines()] == [
        "sweep: 3/7 runs", "sweep: 6/7 runs", "sweep: 7/7 runs"]
