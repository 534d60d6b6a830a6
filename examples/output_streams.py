"""Writes to stdout and stderr: print, sys.stdout.write, print to stderr, partial lines."""
import sys


def report(name, value):
    print(name, "=", value)


report("answer", 42)
sys.stdout.write("no newline yet...")
sys.stdout.write(" done\n")
print("warning: something", file=sys.stderr)
sys.stderr.write("error line\n")
print("multi\nline", end="")
print()
