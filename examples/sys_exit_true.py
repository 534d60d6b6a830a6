"""sys.exit(True): a bool is an int to Python's exit path, so the status is 1."""
import sys


def failed(results):
    return any(not ok for ok in results)


sys.exit(failed([True, False]))
