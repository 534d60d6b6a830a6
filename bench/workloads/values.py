"""Value-heavy workload: locals holding strings, dicts, lists and objects, rebuilt every line.

A recorder spends its time encoding these values at each step, so this measures the value
encoder rather than the hooks. Usage: ``python values.py SCALE`` (linear).
"""

import sys


class Point:
    def __init__(self, x: int, y: int) -> None:
        self.x = x
        self.y = y

    def __repr__(self) -> str:
        return f"Point({self.x}, {self.y})"


def build(i: int) -> int:
    name = f"item-{i:05d}" * 3
    point = Point(i, i * 2)
    record: dict[str, object] = {"id": i, "name": name, "tags": ["a", "b", str(i)]}
    record["pos"] = (point.x, point.y)
    words = name.split("-")
    matrix = [[i, i + 1, i + 2], [i * 2, i * 3], []]
    size = len(words) + len(matrix)
    record["size"] = size
    return size + len(name)


def main(scale: int) -> int:
    total = 0
    for i in range(scale):
        total += build(i)
    return total


if __name__ == "__main__":
    sys.stdout.write(f"{main(int(sys.argv[1]))}\n")
