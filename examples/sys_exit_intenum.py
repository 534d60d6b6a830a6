"""sys.exit with an IntEnum member (pytest's ExitCode is one): the status is its int value."""
import enum
import sys


class ExitCode(enum.IntEnum):
    OK = 0
    TESTS_FAILED = 1
    NO_TESTS = 5


def main():
    print("no tests ran")
    return ExitCode.NO_TESTS


sys.exit(main())
