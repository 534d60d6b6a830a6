"""The loops of ``write_loop.py`` (excluded from tracing by the benchmark, see there)."""

import os

LINE = b"x" * 63 + b"\n"
TEXT = LINE.decode()[:-1]


def raw(count: int) -> None:
    for _ in range(count):
        os.write(1, LINE)


def printed(count: int) -> None:
    for _ in range(count):
        print(TEXT)
