"""Keeps a large list alive in a loop: the list is a visible local at every step.

A recorder that encodes the whole list at each step writes a huge trace (and holds it in
memory if it does not stream); one with length limits writes a truncated value. Usage:
``python biglist.py SCALE`` (linear in the number of loop iterations).
"""

import sys


def main(scale: int) -> int:
    data = list(range(5000))
    total = 0
    for i in range(scale):
        total += data[i % len(data)]
        data[i % len(data)] = total % 1000
    return total


if __name__ == "__main__":
    sys.stdout.write(f"{main(int(sys.argv[1]))}\n")
