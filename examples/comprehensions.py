"""List, dict and set comprehensions, nested, and one with a condition."""


def evens(limit):
    return [n for n in range(limit) if n % 2 == 0]


squares = {n: n * n for n in range(3)}
letters = {c for c in "abca"}
grid = [[r * c for c in range(2)] for r in range(2)]
print(evens(6), squares, sorted(letters), grid)


class Table:
    size = 3
    cells = [i * 10 for i in range(3)]  # noqa: RUF012


print(Table.cells)
