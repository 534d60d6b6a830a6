"""Scenario: generators, a comprehension, an exception raised and caught; exit 0."""


def squares(n: int):  # type: ignore[no-untyped-def]
    for i in range(n):
        yield i * i


def checked(value: int) -> int:
    if value % 3 == 0:
        raise ValueError(f"multiple of three: {value}")  # noqa: REC003 - the traced program
    return value


kept = []
for value in squares(7):
    try:
        kept.append(checked(value))
    except ValueError as exc:
        print("skipped", exc)  # noqa: REC001 - the traced program's own output
print("kept", kept, [v + 1 for v in kept])  # noqa: REC001 - the traced program's own output
