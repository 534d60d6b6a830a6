"""Line-heavy workload: tight arithmetic loops with few calls and only small integer locals.

Usage: ``python lines.py SCALE``; SCALE is the number of outer iterations (linear).
"""

import sys


def churn(rounds: int) -> int:
    acc = 0
    i = 0
    while i < rounds:
        j = i % 7
        if j == 3:
            acc += i
        else:
            acc -= j
        acc ^= i << 1
        i += 1
    return acc


def main(scale: int) -> int:
    total = 0
    for k in range(scale):
        total += churn(1000) + k
    return total


if __name__ == "__main__":
    sys.stdout.write(f"{main(int(sys.argv[1]))}\n")
