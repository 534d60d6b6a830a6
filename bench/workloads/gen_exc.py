"""Generator- and exception-heavy workload: every yield suspends a frame, every raise unwinds one.

Usage: ``python gen_exc.py SCALE`` (linear).
"""

import sys
from collections.abc import Iterator


class Stop(Exception):
    pass


def numbers(limit: int) -> Iterator[int]:
    n = 0
    while n < limit:
        yield n
        n += 1


def check(n: int) -> int:
    if n % 3 == 0:
        raise Stop(n)
    return n


def deep(n: int, depth: int) -> int:
    if depth == 0:
        return check(n)
    return deep(n, depth - 1)


def main(scale: int) -> int:
    total = 0
    for _ in range(scale):
        for n in numbers(30):
            try:
                total += deep(n, 3)
            except Stop:
                total -= 1
        total += sum(x for x in numbers(20) if x % 2)
    return total


if __name__ == "__main__":
    sys.stdout.write(f"{main(int(sys.argv[1]))}\n")
