"""Call-heavy workload: naive recursion, so almost every line is a call or a return.

Usage: ``python calls.py SCALE``; SCALE repeats the recursion (the run grows linearly with it).
"""

import sys


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def main(scale: int) -> int:
    total = 0
    for _ in range(scale):
        total += fib(15)
    return total


if __name__ == "__main__":
    sys.stdout.write(f"{main(int(sys.argv[1]))}\n")
