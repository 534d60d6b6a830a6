"""Scenario: calls, recursion, a class, a loop; ends normally (exit 0)."""

import sys


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 1) + fib(n - 2)


class Counter:
    def __init__(self) -> None:
        self.total = 0

    def add(self, value: int) -> int:
        self.total += value
        return self.total


counter = Counter()
for i in range(6):
    counter.add(fib(i))
print("total", counter.total)  # noqa: REC001 - the traced program's own output
sys.stderr.write("a line on stderr\n")
