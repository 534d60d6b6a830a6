"""sys.exit with a status from inside a function."""
import sys


def finish(status):
    print("exiting with", status)
    sys.exit(status)


finish(3)
