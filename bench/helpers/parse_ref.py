"""The reference cost for a linter: read and ``ast.parse`` every file of a list, on N cores.

Usage: ``python -m bench.helpers.parse_ref --jobs N LISTFILE`` (one path per line). Prints the
number of files parsed and how many failed to parse.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from multiprocessing import Pool


def parse_one(path: str) -> bool:
    """True when ``path`` parses; reading the bytes is part of the cost, as for a linter."""
    with open(path, "rb") as fh:
        source = fh.read()
    try:
        ast.parse(source, filename=path)
    except SyntaxError:
        return False
    return True


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="parse_ref")
    parser.add_argument("--jobs", type=int, default=1, help="0 = one per core")
    parser.add_argument("listfile")
    ns = parser.parse_args(argv)
    with open(ns.listfile, encoding="utf-8") as fh:
        paths = [line.strip() for line in fh if line.strip()]
    jobs = ns.jobs if ns.jobs > 0 else (os.cpu_count() or 1)
    if jobs <= 1:
        results = [parse_one(p) for p in paths]
    else:
        with Pool(jobs) as pool:
            results = pool.map(parse_one, paths, chunksize=8)
    sys.stdout.write(f"parsed {sum(results)} failed {len(results) - sum(results)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
