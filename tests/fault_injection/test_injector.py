"""The injector: which hits fire, what a firing does, and the journal a parent reads."""

from __future__ import annotations

import errno
import signal
from pathlib import Path

import pytest

from fault_injection.errors import SimulatedCrash
from fault_injection.injector import Injector, injected, read_journal
from fault_injection.plan import parse_plan
from recorder import seams


def fired_hits(plan: str, hits: list[str]) -> list[tuple[str, int]]:
    """Drive an injector with ``hits``; the (point, hit number) of each firing."""
    injector = Injector(parse_plan(plan))
    failed = []
    for point in hits:
        try:
            injector(point, "/p")
        except (OSError, SimulatedCrash):
            failed.append(point)
    fired = [(f.point, f.hit) for f in injector.fired]
    assert [point for point, _ in fired] == failed  # every firing raised, nothing else did
    return fired


CASES = [
    ("enospc@write#3", ["write"] * 5, [("write", 3)]),
    ("enospc@write#3+", ["write"] * 5, [("write", 3), ("write", 4), ("write", 5)]),
    ("enospc@write#2x2", ["write"] * 5, [("write", 2), ("write", 3)]),
    ("enospc@write#2+x1", ["write"] * 5, [("write", 2)]),
    ("crash@fsync#1", ["write", "fsync", "write", "fsync"], [("fsync", 1)]),
    ("crash@*#3", ["open", "write", "fsync", "close"], [("fsync", 3)]),  # 3rd hit of any seam
    ("eio@write#9", ["write"] * 5, []),
    ("eio@open#1; crash@open#1", ["open", "open"], [("open", 1)]),  # first clause wins
    ("eio@write%1.0x2", ["write"] * 4, [("write", 1), ("write", 2)]),
]


@pytest.mark.parametrize(("plan", "hits", "expected"), CASES)
def test_which_hits_fire(plan: str, hits: list[str], expected: list[tuple[str, int]]) -> None:
    assert fired_hits(plan, hits) == expected


def test_probability_is_reproducible_from_the_seed() -> None:
    runs = [fired_hits("eio@write%0.3:seed=7", ["write"] * 200) for _ in range(2)]
    assert runs[0] == runs[1]
    assert 20 < len(runs[0]) < 100  # about 30% of 200
    assert runs[0] != fired_hits("eio@write%0.3:seed=8", ["write"] * 200)


@pytest.mark.parametrize(("kind", "code", "exc_type"), [
    ("enospc", errno.ENOSPC, OSError), ("eacces", errno.EACCES, PermissionError),
    ("erofs", errno.EROFS, OSError), ("eio", errno.EIO, OSError),
    ("efbig", errno.EFBIG, OSError)])
def test_errno_kinds_raise_the_oserror_a_syscall_would(
        kind: str, code: int, exc_type: type[OSError]) -> None:
    injector = Injector(parse_plan(f"{kind}@write#1"))
    with pytest.raises(exc_type) as info:
        injector("write", "/x/trace.json")
    assert info.value.errno == code
    assert info.value.filename == "/x/trace.json"


def test_crash_raises_something_the_recorder_does_not_expect() -> None:
    with pytest.raises(SimulatedCrash) as info:
        Injector(parse_plan("crash@line#1"))("line", None)
    assert not isinstance(info.value, OSError)


def test_sigint_delivers_a_real_signal() -> None:
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: received.append(signum))
    try:
        Injector(parse_plan("sigint@rename#1"))("rename", "/x")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert received == [signal.SIGINT]


def test_sigint_under_the_default_handler_is_keyboard_interrupt() -> None:
    with pytest.raises(KeyboardInterrupt):
        Injector(parse_plan("sigint@stop#1"))("stop", None)


def test_injected_installs_and_removes_the_hook() -> None:
    assert not seams.active()
    with injected("eio@fsync#1") as injector:
        assert seams.active()
        with pytest.raises(OSError):
            seams.hit("fsync", "/f")
        seams.hit("fsync", "/f")  # transient: the 2nd hit passes
    assert not seams.active()
    assert injector.hits["fsync"] == 2


def test_journal_records_firings_and_counts(tmp_path: Path) -> None:
    journal = tmp_path / "j.jsonl"
    injector = Injector(parse_plan("eio@write#2"), journal)
    injector("open", "/a")
    injector("write", "/a")
    with pytest.raises(OSError):
        injector("write", "/a")
    injector.write_counts()
    firings, counts = read_journal(journal)
    assert [(f.spec, f.point, f.hit, f.path) for f in firings] == [("eio@write#2", "write", 2,
                                                                     "/a")]
    assert firings[0].hits_of("write") == 2 and firings[0].hits_of("open") == 1
    assert counts == {"open": 1, "write": 2}
