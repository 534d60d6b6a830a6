"""Text helpers for the encoder: cut text to the limit visibly, keep it valid UTF-8, exact big ints.

Everything here works on *exact* ``str``/``bytes``/``int`` objects only, so no user code runs.
"""

from __future__ import annotations

import sys

__all__ = ["clip_bytes", "clip_text", "int_text", "utf8_safe"]

# ``str(int)`` refuses more than sys.get_int_max_str_digits() digits (CVE-2020-10735 guard) and
# that setting is process-global: the recorder must not change it, so big ints are split here.
# 500 digits is below the smallest value the setting accepts (640): chunk conversion always works.
_CHUNK_DIGITS = 500
_CHUNK = 10**_CHUNK_DIGITS
#: Above this many bits an int is summarised by its bit length only: computing even its leading
#: decimal digits needs a power of ten as large as the int itself (seconds for millions of digits).
MAX_DECIMAL_BITS = 1 << 20
_LOG10_2 = 0.30102999566398120


def utf8_safe(text: str) -> str:
    """``text`` with lone surrogates escaped, so the trace file can be written as UTF-8.

    Python strings may hold unpaired surrogates (``"\\ud800"``); ``json.dumps`` would escape them,
    but strict JSON readers (CodeTracer's serde_json) reject a lone surrogate escape.
    """
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def clip_text(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text``; a longer text ends with ``"… <+N chars>"``."""
    if len(text) <= limit:
        return utf8_safe(text)
    head = utf8_safe(text[:limit])[:limit]
    return f"{head}… <+{len(text) - limit} chars>"


def clip_bytes(data: bytes | bytearray, limit: int) -> str:
    """``repr`` of a bytes-like value cut to ``limit`` characters, ending ``"… <N bytes>"`` if cut.

    The buffer is sliced *before* ``repr``, so a huge buffer is never rendered whole.
    """
    size = len(data)
    text = repr(data[:limit])
    if size <= limit and len(text) <= limit:
        return text
    return f"{text[:limit]}… <{size} bytes>"


def _decimal(value: int) -> str:
    """Exact decimal text of a non-negative int of any size, without str()'s digit limit."""
    if value < _CHUNK:
        return int.__repr__(value)
    # Divide and conquer on powers 10**(500 * 2**k): quadratic at worst, and only reached for ints
    # that fit the text limit or are below MAX_DECIMAL_BITS.
    powers = [_CHUNK]
    while powers[-1] * powers[-1] <= value:
        powers.append(powers[-1] * powers[-1])
    return _split(value, powers, len(powers) - 1, pad=False)


def _split(value: int, powers: list[int], level: int, *, pad: bool) -> str:
    if level < 0:
        text = int.__repr__(value)
        return text.zfill(_CHUNK_DIGITS) if pad else text
    high, low = divmod(value, powers[level])
    if high == 0 and not pad:
        return _split(low, powers, level - 1, pad=False)
    # low < powers[level], so its padded text is exactly _CHUNK_DIGITS * 2**level digits.
    return _split(high, powers, level - 1, pad=pad) + _split(low, powers, level - 1, pad=True)


def _digit_count(magnitude: int) -> int:
    bits = magnitude.bit_length()
    # 2**(bits-1) <= m < 2**bits: the float estimate is off by at most one; one comparison fixes it.
    estimate = int(bits * _LOG10_2) + 1
    return estimate if magnitude >= 10 ** (estimate - 1) else estimate - 1


def int_text(value: int, limit: int) -> str:
    """Decimal text of an exact ``int``, exact when it fits ``limit`` characters.

    A longer one keeps its leading and trailing digits and its digit count:
    ``"-123…789 <10000 digits>"``; beyond :data:`MAX_DECIMAL_BITS` only the bit length is exact.
    """
    magnitude = -value if value < 0 else value
    sign = "-" if value < 0 else ""
    bits = magnitude.bit_length()
    if bits > MAX_DECIMAL_BITS:
        return f"{sign}<int of {bits} bits>"
    if bits * _LOG10_2 < sys.get_int_max_str_digits() - 1 or sys.get_int_max_str_digits() == 0:
        digits_text = int.__repr__(magnitude)
        count = len(digits_text)
        if count + len(sign) <= limit:
            return sign + digits_text
        keep = max(1, (limit - len(sign)) // 2)
        return f"{sign}{digits_text[:keep]}…{digits_text[-keep:]} <{count} digits>"
    count = _digit_count(magnitude)
    if count + len(sign) <= limit:
        return sign + _decimal(magnitude)
    keep = max(1, (limit - len(sign)) // 2)
    head = _decimal(magnitude // 10 ** (count - keep))
    tail = int.__repr__(magnitude % 10**keep).zfill(keep)
    return f"{sign}{head}…{tail} <{count} digits>"
