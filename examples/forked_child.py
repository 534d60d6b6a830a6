"""A child process made with os.fork: only the parent is recorded, its trace stays intact."""
import os


def child_work(n):
    return sum(range(n))


if os.fork() == 0:
    value = child_work(10)
    os._exit(0 if value == 45 else 1)
status = os.wait()[1]
print("child exit status", os.waitstatus_to_exitcode(status))
