"""The ledger that keeps fd capture from recording what the proxies recorded (declarative)."""

from __future__ import annotations

import pytest

from recorder.tracing.fdledger import Expected, Ledger

# (announced (kind, bytes)..., reads from the channel..., what is left over per read)
CASES = [
    ("nothing announced", [], [b"raw\n"], [b"raw\n"]),
    ("all announced", [(0, b"hello\n")], [b"hello\n"], [b""]),
    ("split across reads", [(0, b"hello\n")], [b"hel", b"lo\n"], [b"", b""]),
    ("raw before proxied", [(0, b"p\n")], [b"raw\np\n"], [b"raw\n"]),
    ("raw after proxied", [(0, b"p\n")], [b"p\nraw\n"], [b"raw\n"]),
    ("raw in between", [(0, b"ab"), (0, b"cd")], [b"abXYcd"], [b"XY"]),
    # 2>&1: stderr (unbuffered) arrives before stdout announced earlier.
    ("two streams, reordered", [(0, b"out\n"), (2, b"err\n")], [b"err\nout\n"], [b""]),
    ("not yet flushed", [(0, b"later\n")], [b"raw\n", b"later\n"], [b"raw\n", b""]),
    # "t" of "function" starts "through": a match that stops inside the read is none.
    ("a prefix inside a read", [(0, b"through\n")], [b"raw function\n", b"through\n"],
     [b"raw function\n", b""]),
    ("expected bytes within a longer read", [(0, b"p\n")], [b"ab p\ncd"], [b"ab cd"]),
]


@pytest.mark.parametrize(("announced", "reads", "left"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_subtract(announced: list[tuple[int, bytes]], reads: list[bytes],
                  left: list[bytes]) -> None:
    ledger = Ledger((0, 2))
    for kind, data in announced:
        ledger.expect(kind, data)
    assert [ledger.subtract(read) for read in reads] == left


def test_a_failed_write_is_taken_back() -> None:
    ledger = Ledger((0,))
    Expected(ledger, 0, b"kept\n")
    Expected(ledger, 0, b"failed\n").cancel()
    assert ledger.subtract(b"kept\nfailed\n") == b"failed\n"


def test_a_stream_not_on_the_channel_is_ignored() -> None:
    ledger = Ledger((2,))
    ledger.expect(0, b"x")
    assert ledger.subtract(b"x") == b"x"
