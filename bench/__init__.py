"""Benchmarks for the recorder, the lint rules and the fault sweep (`make bench`).

``python -m bench [--quick] --out BENCHMARKS.md`` measures every comparison side by side in the
same run (the variants of one comparison alternate within each repetition) and writes a Markdown
report whose figures all come from that run. The parts:

* ``bench.part_recorder``: overhead and peak memory of our recorder, the Rust recorder and no-op
  hooks against untraced runs of the workloads in ``bench/workloads``;
* ``bench.part_lint``: lint speed on the standard library against flake8, ruff and the ``ast.parse``
  reference;
* ``bench.part_faults``: fault-sweep throughput and the cost of the fault seams.
"""
