"""The fd-capture workload: ``write_loop.py ROUTE COUNT`` writes COUNT lines of 64 bytes.

ROUTE ``raw`` writes each with ``os.write(1, ...)`` (what only ``proxies+fd`` records),
``print`` with ``print()`` (through the ``sys.stdout`` proxy, then fd 1). A function call per
write keeps the recorder's work per line the same for both routes.
"""

import os
import sys

LINE = b"x" * 63 + b"\n"
TEXT = LINE.decode()[:-1]


def raw(count):
    for _ in range(count):
        os.write(1, LINE)


def printed(count):
    for _ in range(count):
        print(TEXT)


if __name__ == "__main__":
    (raw if sys.argv[1] == "raw" else printed)(int(sys.argv[2]))
