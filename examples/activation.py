"""Recorded with --activation-path lib/stages.py: only what runs inside stages' first frame."""


def before():
    return "runs before activation"


print(before())
from lib import stages  # noqa: E402 - the import is what activates the recording

print("after activation:", stages.double(21))
