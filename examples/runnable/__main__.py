"""Run as ``python -m runnable a b``: __main__ with a spec, argv[0] is this file."""
import sys

from runnable import tally


def main(args):
    print("module", __name__, __spec__.name, "args", args)
    return tally.count(args)


sys.exit(main(sys.argv[1:]))
