"""Where a code object runs inlined comprehensions (PEP 709, Python 3.12+), and their variables.

Python 3.12 inlines list, dict and set comprehensions into the enclosing code: their iterations
are line steps of the enclosing frame, so recording every variable of that frame at each
iteration re-encodes all of it (a module with a big list and a 20,000-step comprehension wrote a
1.4 GB trace). Python 3.11 ran a comprehension in its own frame, whose steps showed only the
comprehension's variables. This module finds, from the bytecode, the offsets of each inlined
comprehension's loop and the names it binds, so the frame recorder can record at those steps what
3.11 records: the comprehension's own variables.

An inlined comprehension saves its variables with ``LOAD_FAST_AND_CLEAR`` before its loop; the
loop is the ``FOR_ITER`` that follows and runs to that instruction's jump target. Python 3.11 has
no such instruction: nothing is found there.
"""

from __future__ import annotations

import dis
from types import CodeType

__all__ = ["Comprehension", "inlined_comprehensions", "names_at"]

_SAVE = dis.opmap.get("LOAD_FAST_AND_CLEAR", -1)
_FOR_ITER = dis.opmap["FOR_ITER"]
_BETWEEN = frozenset(dis.opmap[name] for name in ("SWAP", "BUILD_LIST", "BUILD_MAP", "BUILD_SET")
                     if name in dis.opmap)

#: (first offset of the loop, offset where it ends, the names the comprehension binds)
Comprehension = tuple[int, int, frozenset[str]]


def inlined_comprehensions(code: CodeType) -> tuple[Comprehension, ...]:
    """The inlined comprehension loops of ``code`` (not of nested code objects)."""
    if _SAVE < 0:
        return ()
    found: list[Comprehension] = []
    saved: list[str] = []
    for ins in dis.get_instructions(code):
        if ins.opcode == _SAVE:
            saved.append(str(ins.argval))
        elif ins.opcode == _FOR_ITER and saved:
            found.append((ins.offset, int(ins.argval), frozenset(saved)))
            saved = []
        elif ins.opcode not in _BETWEEN:
            saved = []  # LOAD_FAST_AND_CLEAR belongs to the loop that follows it directly
    return tuple(found)


def names_at(comprehensions: tuple[Comprehension, ...], offset: int) -> frozenset[str] | None:
    """The names bound by the comprehensions running at ``offset``, or None outside all."""
    names: frozenset[str] | None = None
    for start, end, bound in comprehensions:
        if start <= offset < end:
            names = bound if names is None else names | bound
    return names
