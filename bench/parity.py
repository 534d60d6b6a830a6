"""Content parity: two traces of one program compared after masking only run-dependent fields.

What differs between two runs of the same recorder on the same program, and is masked (by
:mod:`recorder.trace_compare`, the normalisation the recorder's golden tests apply too):

* the absolute path of the directory the programs ran from (``<ROOT>``);
* object addresses in reprs (``0x7f...`` -> ``0xADDR``);
* a thread's state and ident in its repr (``<Thread(name, started 1403...)>``);
* the fields of thread and thread-pool objects (another thread moves them on while a step is
  recorded): their ``Struct`` values keep only their type;
* with several threads, how their events interleave: each thread's events are compared on their
  own with ids (paths, functions, types, variable names) replaced by what they name, threads other
  than the first sorted by content, and an I/O event's thread number and frame id masked.

Times, pids, run and trace ids only appear in ``trace_metadata.json``, which is not compared.
"""

from __future__ import annotations

from collections.abc import Sequence

from recorder.trace_compare import mask_text, normalise

__all__ = ["MASKED_FIELDS", "first_difference", "mask_text", "normalise"]

MASKED_FIELDS: tuple[str, ...] = (
    "absolute path of the programs' directory",
    "object addresses in reprs (`0x...`)",
    "thread state and ident in thread reprs",
    "field values of `threading.Thread`, `threading._MainThread` and "
    "`ThreadPoolExecutor` objects (type kept)",
    "the interleaving of threads (each thread compared on its own, ids resolved to names), "
    "and the thread number and frame id of I/O events",
)


def first_difference(a: Sequence[str], b: Sequence[str]) -> tuple[int, str, str] | None:
    """Index and both lines of the first difference (``<end>`` past a shorter side), or None."""
    for index in range(max(len(a), len(b))):
        left = a[index] if index < len(a) else "<end>"
        right = b[index] if index < len(b) else "<end>"
        if left != right:
            return index, left, right
    return None
