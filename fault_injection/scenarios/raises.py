"""Scenario: an uncaught exception ends the script (traced exit status 20)."""


def parse(text: str) -> int:
    return int(text)


print("parsed", parse("41") + 1)  # noqa: REC001 - the traced program's own output
parse("not a number")
