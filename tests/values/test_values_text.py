"""Exact big-integer text and text clipping, checked against independent oracles (``decimal``)."""

from __future__ import annotations

import decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.values import MARKER_SLACK
from recorder.values.text import MAX_DECIMAL_BITS, clip_bytes, clip_text, int_text, utf8_safe


def oracle(value: int) -> str:
    """Decimal digits computed by the decimal module (not subject to the int->str digit limit)."""
    with decimal.localcontext() as ctx:
        ctx.prec = decimal.MAX_PREC
        return f"{decimal.Decimal(value):f}"


@pytest.mark.parametrize(
    "value",
    [0, 1, -1, 10**499, 10**500, 10**500 - 1, 10**4300, 10**4301 - 1, -(10**5000) - 7,
     3**20000, 2**65536, -(2**99999)],
    ids=lambda v: f"{len(oracle(v))}-digits",
)
def test_fits_the_limit_exactly(value: int) -> None:
    assert int_text(value, 200_000) == oracle(value)


# Big ints with varied leading and trailing digits, without asking hypothesis for 30k digits.
BIG_INTS = st.one_of(
    st.integers(min_value=0),
    st.builds(pow, st.integers(2, 99), st.integers(0, 15_000)),
    st.builds(
        lambda head, exp, tail: head * 10**exp + tail,
        st.integers(0, 10**40), st.integers(0, 30_000), st.integers(0, 10**40),
    ),
)


@given(BIG_INTS, st.integers(min_value=1, max_value=3000))
@settings(max_examples=80, deadline=None)
def test_big_int_text_is_exact_or_an_exact_summary(value: int, limit: int) -> None:
    text = int_text(value, limit)
    digits = oracle(value)
    if len(digits) <= limit:
        assert text == digits
        return
    head, rest = text.split("…")
    tail, count = rest.split(" <")
    assert count == f"{len(digits)} digits>"
    assert digits.startswith(head) and digits.endswith(tail)
    assert len(head) == len(tail) == max(1, limit // 2)
    assert len(text) <= limit + MARKER_SLACK


def test_negative_summary_keeps_the_sign() -> None:
    value = -(10**9999) - 5
    text = int_text(value, 100)
    assert text.startswith("-1" + "0" * 48 + "…")
    assert text.endswith("5 <10000 digits>")


def test_ints_beyond_the_decimal_ceiling_give_their_bit_length() -> None:
    value = 1 << MAX_DECIMAL_BITS  # bit length MAX_DECIMAL_BITS + 1
    assert int_text(-value, 1000) == f"-<int of {MAX_DECIMAL_BITS + 1} bits>"


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("abc", 3, "abc"),
        ("abcd", 3, "abc… <+1 chars>"),
        ("é" * 5, 2, "éé… <+3 chars>"),
        ("\udc80x", 10, "\\udc80x"),
        ("a\ud800b", 2, "a\\… <+1 chars>"),
    ],
)
def test_clip_text(text: str, limit: int, expected: str) -> None:
    assert clip_text(text, limit) == expected


@pytest.mark.parametrize(
    ("data", "limit", "expected"),
    [
        (b"ab", 10, "b'ab'"),
        (b"abcdef", 3, "b'a… <6 bytes>"),
        (bytearray(b"x" * 20), 12, "bytearray(b'… <20 bytes>"),
        (b"\x00" * 3, 20, "b'\\x00\\x00\\x00'"),
    ],
)
def test_clip_bytes(data: bytes, limit: int, expected: str) -> None:
    assert clip_bytes(data, limit) == expected


@given(st.text())
def test_utf8_safe_output_always_encodes(text: str) -> None:
    safe = utf8_safe(text)
    safe.encode("utf-8")
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        assert safe == text
