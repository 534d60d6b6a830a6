"""The fd-capture workload: ``write_loop.py ROUTE COUNT`` writes COUNT lines of 64 bytes.

ROUTE ``raw`` writes each with ``os.write(1, ...)`` (what only ``proxies+fd`` records),
``print`` with ``print()`` (through the ``sys.stdout`` proxy, then fd 1). The loops live in
``write_body.py``, which the benchmark excludes from tracing (``--exclude``): the recorder's
per-line work would otherwise drown the cost of capturing the writes, which is what is measured.
"""

import sys

import write_body

if __name__ == "__main__":
    (write_body.raw if sys.argv[1] == "raw" else write_body.printed)(int(sys.argv[2]))
