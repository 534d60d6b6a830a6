"""What the recorder knows about one code object, computed once: :class:`CodeInfo`.

The frame recorder (:mod:`recorder.tracing.frames`) looks a code object's ``CodeInfo`` up at
every event; what can be known before the first event (whether it is traced, its value policy,
its kind of frame, its inlined comprehensions) is computed when it is created, and what needs a
frame (its function id, argument heads, per-line ``Step`` templates) at its first ``Call``.
"""

from __future__ import annotations

import opcode
from types import CodeType

from recorder.events import STEP
from recorder.filters import ScopeDecision
from recorder.tracing.comprehensions import inlined_comprehensions

__all__ = ["CodeInfo", "arg_names", "writes_locals"]

_NAMESPACE_FLAGS = 0x0001  # CO_OPTIMIZED: absent for module and class bodies
_VARARGS, _VARKEYWORDS = 0x0004, 0x0008
# The instructions that bind, unbind or clear a fast local (3.11-3.13 names; the ones an
# interpreter does not have are simply absent from its table).
_LOCAL_WRITES = frozenset(
    number for name, number in opcode.opmap.items()
    if "STORE_FAST" in name or "DELETE_FAST" in name or name == "LOAD_FAST_AND_CLEAR"
)


class CodeInfo:
    """What the recorder needs to know about one code object, computed once."""

    __slots__ = (
        "args",
        "args_only",
        "attr_action",
        "call_head",
        "code",
        "comprehensions",
        "exit_actions",
        "function_id",
        "line",
        "module",
        "name",
        "namespace",
        "object",
        "offset_lines",
        "opaque",
        "path_id",
        "plain",
        "prefixes",
        "ret_action",
        "reuse_args",
        "steps",
        "traced",
        "values",
    )

    def __init__(self, code: CodeType, decision: ScopeDecision) -> None:
        self.code = code  # keeps the code alive, so its id() cannot be reused while cached
        self.traced = traced = decision.traced
        self.values = decision.values
        self.object = decision.object or code.co_qualname  # the name ``ret:`` patterns match
        self.ret_action = "allow"  # of a Return (not a yield or unwind), set at the first Call
        self.exit_actions: dict[str, str] = {}  # of "<yield>" and "<unwind>", likewise
        self.function_id = -1  # declared at the first Call (module names need the frame)
        self.path_id = -1
        self.line = code.co_firstlineno
        self.name = code.co_qualname
        self.namespace = not code.co_flags & _NAMESPACE_FLAGS
        self.module = self.namespace and code.co_name == "<module>"
        # A class body with fast locals holds inlined comprehensions (3.12+, PEP 709). Its
        # namespace is only reachable through f_locals, which under 3.12's sys.settrace writes
        # the hidden comprehension variables back after the callback and breaks the class body.
        # Such frames get Steps without Values, on both backends so that their traces agree.
        self.opaque = self.namespace and not self.module and code.co_nlocals > 0
        self.args: list[tuple[str, str, str]] = []  # name, ARG_HEAD of its id, filter action
        # Inlined comprehension loops (3.12+): their steps record only their own variables.
        self.comprehensions = inlined_comprehensions(code) if traced else ()
        # A function frame's steps record its locals: the hot path of FrameRecorder.line.
        self.plain = not self.namespace
        self.prefixes = self.values.module_prefixes if self.module else self.values.prefixes
        self.attr_action = self.values.attr_action
        self.offset_lines: dict[int, int] | None = None  # bytecode offset -> line, on demand
        # Built once per code object rather than at every event: the start of its Call event,
        # and per line its (path id, line) location and Step event (set at the first Call).
        self.call_head = ""
        self.steps: dict[int, tuple[tuple[int, int], str]] = {}
        # The first Step's Values are the Call's argument Values (see FrameRecorder.enter); with
        # args_only, every Step's are, while the arguments are immutable scalars.
        self.reuse_args = False
        self.args_only = False

    def step(self, line: int) -> tuple[tuple[int, int], str]:
        """The location and ``Step`` event of ``line`` (cached in :attr:`steps`)."""
        location = (self.path_id, line)
        found = self.steps[line] = (location, STEP % location)
        return found

    def line_of(self, offset: int) -> int:
        """The source line of the instruction at ``offset`` (0 when it has none)."""
        table = self.offset_lines
        if table is None:
            table = self.offset_lines = {}
            for start, end, line in self.code.co_lines():
                for off in range(start, end, 2):
                    table[off] = line or 0
        return table.get(offset, 0)


def writes_locals(code: CodeType) -> bool:
    """True when ``code`` has an instruction that binds, deletes or clears a fast local.

    ``co_code`` is the plain bytecode (no specialised or instrumented instructions, inline caches
    zeroed), one 2-byte unit per instruction or cache entry with the opcode first.
    """
    raw = code.co_code
    return any(raw[offset] in _LOCAL_WRITES for offset in range(0, len(raw), 2))


def arg_names(code: CodeType) -> tuple[str, ...]:
    count = code.co_argcount + code.co_kwonlyargcount
    count += bool(code.co_flags & _VARARGS) + bool(code.co_flags & _VARKEYWORDS)
    return code.co_varnames[:count]
