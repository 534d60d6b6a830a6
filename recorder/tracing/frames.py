"""Frame observations -> trace events: the one place both backends share.

A backend only translates its interpreter events into five calls: :meth:`FrameRecorder.enter`
(a frame starts or a generator/coroutine resumes), :meth:`~FrameRecorder.line`,
:meth:`~FrameRecorder.leave_return`, :meth:`~FrameRecorder.leave_yield` and
:meth:`~FrameRecorder.leave_unwind`. Everything the trace format says about those events lives here,
so the two backends cannot drift apart:

* ``enter``: one ``Value`` per argument, a ``Step`` at the definition line, then ``Call`` (rule 4).
  A resumed generator is entered again, so it starts with a new ``Call`` (rule 6).
* ``line``: a ``Step``, then one ``Value`` per visible variable (rule 5): the frame's locals, or for
  namespace frames (module and class bodies) the namespace without dunder names and modules.
* every way out (return, yield, unwind) writes one ``Return`` (rule 6).

The recorder keeps a shadow stack of the frames whose ``Call`` it wrote. Events for any other frame
(frames that started before tracing) are ignored and counted, which keeps calls and returns
balanced whatever the backend delivers. There is one :class:`FrameRecorder` per recorded thread
(:meth:`FrameRecorder.sibling`, see :mod:`recorder.tracing.threads`): its own shadow stack, value
encoder and :class:`~recorder.trace_threads.ThreadSlot`; the code cache is shared.

Per code object, everything that does not change between calls is computed once (:class:`CodeInfo`),
including the trace filter's decision (:mod:`recorder.tracing.filters`): whether it is traced, and
its value policy. A name the policy redacts is recorded as ``<redacted>``; one it drops is absent
(no ``Value`` event, not among the ``Call`` arguments); a dropped return value is ``<dropped>``
(the ``Return`` event stays, so calls and returns balance). Each is counted for the metadata.
"""

from __future__ import annotations

import os
import sys
from types import CodeType, FrameType, ModuleType

from recorder.events import (
    ARG_HEAD,
    ARG_VALUE_HEAD,
    CALL_HEAD,
    CALL_TAIL,
    NONE_VALUE,
    VALUE_PREFIX,
    VALUE_SUFFIX,
)
from recorder.filters.modnames import module_name_from_path
from recorder.trace_threads import ThreadSlot
from recorder.trace_writer import TraceWriter
from recorder.tracing.codeinfo import CodeInfo, arg_names, writes_locals
from recorder.tracing.comprehensions import names_at
from recorder.tracing.filters import CodeFilter
from recorder.tracing.valuejson import ValueJson

__all__ = ["FrameRecorder"]

# CO_GENERATOR, CO_COROUTINE, CO_ITERABLE_COROUTINE, CO_ASYNC_GENERATOR: frames that resume.
_RESUMABLE = 0x0020 | 0x0080 | 0x0100 | 0x0200
_gettrace, _getprofile = sys.gettrace, sys.getprofile
_ABSENT = object()  # an argument name missing from f_locals (deleted before a resume)
_EXIT_LABELS = ("<yield>", "<unwind>")  # the "return values" of the other ways out (0.3.0's)
# Exact types whose recorded text depends on nothing but the object, which cannot change.
_SCALARS = frozenset({int, str, float, bool, bytes, type(None)})
# From 3.13 on, f_locals writes through to the frame (PEP 667): any code that runs while a frame
# waits for its callee (the callee itself, another thread) may rebind its variables.
_LOCALS_PRIVATE = sys.version_info < (3, 13)


class FrameRecorder:
    """Writes the events of one thread's frames (see the module docstring)."""

    #: Module frames are named from ``__name__`` (True) or from their file's path (False).
    module_names_from_globals = True

    def __init__(
        self, writer: TraceWriter, values: ValueJson, code_filter: CodeFilter,
        slot: ThreadSlot | None = None,
    ) -> None:
        self.writer = writer
        self.values = values
        # Bound once: the hot paths use them at every step (the cache dict is never replaced).
        self._value_json = values.value
        self._cached = values.cache.get
        self._encoder = values.encoder
        self.filter = code_filter
        self.slot = slot or writer.main  # the thread whose frames these are
        self.infos: dict[int, CodeInfo] = {}
        self.frames: list[FrameType] = []  # shadow stack of recorded frames
        self._ordinals: list[int] = []  # the Call ordinal of each recorded frame (its frame id)
        self._locations: list[tuple[int, int]] = []  # (path id, line) of each frame's last Step
        self.ignored = 0  # events of frames that are not on the shadow stack
        self.lost_exits = 0  # frames whose exit event never arrived (see _resync)
        self.owed = 0  # Returns not yet written for frames already popped (see leave_return)
        self._last_location = (0, 0)  # the last Step's (path id, line), for I/O at toplevel
        # The frame of the last Call, its argument Value events and their size, until its first
        # line (see _first_step_is_args).
        self._first: FrameType | None = None
        self._first_values: list[str] = []
        self._first_size = 0
        # The same for every Step of the args_only frames on the stack, innermost last.
        self._held: list[tuple[FrameType, list[str], int]] = []
        #: The trace function the settrace backend installs in this thread (None: sys.monitoring):
        #: any other trace or profile hook may change a frame's variables before its first line.
        self.own_trace: object = None

    def sibling(self, values: ValueJson) -> FrameRecorder:
        """The recorder of another thread: same writer, filter and code cache, its own stack.

        The value encoder is the thread's own (an encoding in progress keeps state), but shares
        the cache of small values, so memory per thread stays small.
        """
        values.cache = self.values.cache
        other = FrameRecorder(self.writer, values, self.filter, ThreadSlot())
        other.infos = self.infos  # dict operations are atomic: threads may fill it together
        other.module_names_from_globals = self.module_names_from_globals
        return other

    @property
    def depth(self) -> int:
        """Frames whose ``Call`` was written and whose ``Return`` was not (yet)."""
        return len(self.frames) + self.owed

    def info(self, code: CodeType, frame: FrameType | None = None) -> CodeInfo:
        """The cached :class:`CodeInfo` of ``code`` (with the filter's decision).

        ``frame`` (one of ``code``'s frames) gives the module's ``__name__`` to ``pkg`` rules.
        """
        info = self.infos.get(id(code))
        if info is None:
            decision = self.filter.decide(code, frame)
            if not decision.traced and decision.filtered:
                self.filter.chain.stats.scopes_skipped += 1
            info = self.infos[id(code)] = CodeInfo(code, decision)
        return info

    @property
    def current_frame_id(self) -> int:
        """Frame id for I/O events: the ordinal of the current frame's ``Call`` (0 = toplevel)."""
        return self._ordinals[-1] if self._ordinals else 0

    @property
    def current_location(self) -> tuple[int, int]:
        """(path id, line) of the current frame's last ``Step``, for I/O events."""
        if self._locations:
            return self._locations[-1]
        return self._last_location

    # ----------------------------------------------------------------------------- entering

    def _declare(self, frame: FrameType, info: CodeInfo) -> int:
        writer = self.writer
        name = info.name
        if info.module:
            if self.module_names_from_globals:
                module = frame.f_globals.get("__name__")
                name = f"<{module if type(module) is str else '?'}>"  # exact: no user code
            else:  # --no-module-name-from-globals: the existing recorder's path-based names
                name = f"<{module_name_from_path(info.code.co_filename)}>"
        info.path_id = writer.path_id(os.path.abspath(info.code.co_filename))
        policy = info.values
        info.args = [(arg, ARG_HEAD % writer.variable_id(arg), policy.action("arg", arg))
                     for arg in arg_names(info.code)]
        info.ret_action = policy.action("ret", info.object)
        info.exit_actions = {label: policy.action("ret", label) for label in _EXIT_LABELS}
        info.reuse_args = self._first_step_is_args(info)
        info.args_only = info.reuse_args and _LOCALS_PRIVATE and not writes_locals(info.code)
        info.function_id = writer.function_id(info.path_id, info.line, name)
        info.call_head = CALL_HEAD % info.function_id
        return info.function_id

    def _first_step_is_args(self, info: CodeInfo) -> bool:
        """True when the first ``Step`` of every call records exactly the ``Call``'s arguments.

        Between ``PY_START`` and the first line no code of the frame runs, so its visible
        variables are its arguments (in ``co_varnames`` order, as the ``Call`` lists them), plus
        any free variables and cells, which rule it out; so do resumable frames (their first
        event is also a resumption), inlined comprehensions, any filter action but ``allow``
        for an argument or a local of that name, and ``--value-repr repr`` (a ``repr`` may give
        another text the second time). The ``Value`` events are then the same text, unless
        another hook of the program changes the frame's variables in between: :meth:`line`
        reads them when a ``sys.settrace``/``sys.setprofile`` hook is set.

        Where the code has no instruction that binds or deletes a local (``args_only``), every
        later ``Step`` has the same variables; they hold the same objects, so a call whose
        arguments are all immutable scalars (exact types) reuses them at every ``Step``. Only
        before 3.13: from then on other code may rebind a frame's variables through ``f_locals``.
        """
        code = info.code
        if (not info.plain or info.comprehensions or code.co_freevars or code.co_cellvars
                or code.co_flags & _RESUMABLE or not info.args or self._encoder.value_repr):
            return False
        prefixes = info.prefixes
        return all(action == "allow" and (prefixes.get(name) or self._prefix(name, info, prefixes))
                   for name, _, action in info.args)

    def enter(self, frame: FrameType, info: CodeInfo) -> None:
        """A frame of traced code starts running, or a suspended one resumes.

        Second hottest path: the argument ``Value`` events, the ``Step`` at the definition line
        and the ``Call`` are handed to the writer as one unit.
        """
        if self.owed:
            self.pay_owed()
        if info.function_id < 0:
            self._declare(frame, info)
        location, step = info.steps.get(info.line) or info.step(info.line)
        if info.args:
            values: list[str] = []
            parts: list[str] = []
            size = 0
            every = info.args_only  # until an argument that is not an immutable scalar
            local = frame.f_locals
            self._encoder.attr_action = info.attr_action
            for name, head, action in info.args:
                value = local.get(name, _ABSENT)
                if value is _ABSENT:
                    continue
                if action == "allow":
                    cls = type(value)
                    record = (self._cached(value) if cls is int or cls is str else None) or (
                        self._value_json(value))
                    if every and cls not in _SCALARS:
                        every = False
                else:
                    info.values.count("arg", action)
                    if action == "drop":
                        continue
                    record = self.values.redacted
                part = f"{head}{record}}}"
                event = f"{ARG_VALUE_HEAD}{part}}}"
                values.append(event)
                size += len(event)
                parts.append(part)
            values_size = size
            call = f"{info.call_head}{','.join(parts)}{CALL_TAIL}"
            unit = [*values, step, call]
            size += len(step) + len(call)
        else:
            call = info.call_head + CALL_TAIL
            unit = [step, call]
            size = len(step) + len(call)
        # The writer flushes before it appends: a failure leaves the Call out and the stack as it
        # was, so they cannot disagree.
        self._ordinals.append(self.writer.call(unit, size, self.slot))
        self._locations.append(location)
        self._last_location = location
        self.frames.append(frame)
        if info.reuse_args:  # (a frame with arguments: values and every are set)
            if every:
                self._held.append((frame, values, values_size))
            else:  # taken by the first line() of this frame
                self._first = frame
                self._first_values = values
                self._first_size = values_size

    # --------------------------------------------------------------------------------- lines

    def line(self, frame: FrameType, info: CodeInfo, line: int) -> None:
        """A line of a recorded frame is about to run: ``Step`` and the visible variables.

        The hottest path of the recorder: a precomputed ``Value`` prefix per variable name, and
        one batch of events handed to the writer per step.
        """
        frames = self.frames
        if (not frames or frames[-1] is not frame) and not self._resync(frame):
            return
        if self.owed:
            self.pay_owed()
        location, event = info.steps.get(line) or info.step(line)
        self._locations[-1] = self._last_location = location
        if self._first is not None:
            first, self._first = self._first, None
            # The first Step after the Call: its Values are the arguments (unless a hook of the
            # program, which runs before this one, may have changed them).
            if first is frame and _gettrace() is self.own_trace and _getprofile() is None:
                self.writer.emit_batch(
                    [event, *self._first_values], len(event) + self._first_size, self.slot)
                return
        held = self._held
        if held and held[-1][0] is frame:
            # Every Step: likewise (once a hook is seen, they are read from then on).
            if _gettrace() is self.own_trace and _getprofile() is None:
                _, values, values_size = held[-1]
                self.writer.emit_batch([event, *values], len(event) + values_size, self.slot)
                return
            held.pop()
        batch = [event]
        size = len(event)
        inlined = names_at(info.comprehensions, frame.f_lasti) if info.comprehensions else None
        if inlined is None and info.plain:
            prefixes = info.prefixes
            value_json = self._value_json
            cached = self._cached
            self._encoder.attr_action = info.attr_action
            local = frame.f_locals
            # A snapshot in one C call (another thread may read this frame's locals meanwhile):
            # before 3.13 the frame's own dict, copied; from 3.13 a proxy whose items() is a list.
            for name, value in (local.copy().items() if _LOCALS_PRIVATE else local.items()):
                prefix = prefixes.get(name)
                if not prefix:
                    event = self._unlisted_value(name, value, info, prefixes)
                    if event:
                        batch.append(event)
                        size += len(event)
                    continue
                cls = type(value)
                record = cached(value) if cls is int or cls is str else None
                event = f"{prefix}{record or value_json(value)}}}}}"
                batch.append(event)
                size += len(event)
        else:
            size += self._other_values(frame, info, batch, inlined)
        self.writer.emit_batch(batch, size, self.slot)

    def _unlisted_value(
        self, name: str, value: object, info: CodeInfo, prefixes: dict[str, str],
    ) -> str:
        """The ``Value`` event of a name without a prefix: new, or one the filter redacts/drops."""
        prefix = prefixes.get(name)
        if prefix is None:
            prefix = self._prefix(name, info, prefixes)
        if prefix:
            return prefix + self._value_json(value) + VALUE_SUFFIX
        return self._value_event(name, value, info)

    def _other_values(
        self, frame: FrameType, info: CodeInfo, batch: list[str], inlined: frozenset[str] | None,
    ) -> int:
        """The ``Value`` events of a step in a namespace or inlined comprehension: their size."""
        if inlined is not None:
            return self._comprehension_values(frame, info, inlined, batch)
        if info.opaque:
            return 0
        size = 0
        self._encoder.attr_action = info.attr_action
        for name, value in self._namespace_items(frame, info):
            event = self._unlisted_value(name, value, info, info.prefixes)
            if event:
                batch.append(event)
                size += len(event)
        return size

    def _comprehension_values(
        self, frame: FrameType, info: CodeInfo, names: frozenset[str], batch: list[str],
    ) -> int:
        """A step inside an inlined comprehension: its own variables only, as on 3.11.

        In a module or class body they are hidden fast locals that only ``f_locals`` would show,
        and reading that there changes the program under 3.12's ``sys.settrace`` (see
        :meth:`_namespace_items`): such steps carry no values.
        """
        if info.namespace:
            return 0
        size = 0
        local = frame.f_locals
        self.values.encoder.attr_action = info.values.attr_action
        for name in sorted(names):
            if name in local:
                event = self._value_event(name, local[name], info)
                if event:
                    batch.append(event)
                    size += len(event)
        return size

    def _namespace_items(self, frame: FrameType, info: CodeInfo) -> list[tuple[str, object]]:
        # A module frame's namespace is its globals. Reading f_locals instead would make Python
        # 3.12's sys.settrace write the frame's hidden comprehension variables back as None after
        # the callback (PEP 709 inlining), changing the program.
        namespace = frame.f_globals if info.module else frame.f_locals
        return [
            (name, value)
            for name, value in list(namespace.items())
            # Exact type checks only: isinstance() could run a hostile __class__ property.
            if type(name) is str
            and type(value) is not ModuleType
            and not (name[:2] == "__" and name[-2:] == "__")
        ]

    def _prefix(self, name: str, info: CodeInfo, prefixes: dict[str, str]) -> str:
        """``{"Value":{"variable_id":N,"value":`` for ``name`` ("" when it is not allowed)."""
        _, action = info.values.variable(name, info.module)
        prefix = VALUE_PREFIX % self.writer.variable_id(name) if action == "allow" else ""
        prefixes[name] = prefix
        return prefix

    def _value_event(self, name: str, value: object, info: CodeInfo) -> str:
        """The ``Value`` event of ``name`` as the filter says ("" when it is dropped)."""
        kind, action = info.values.variable(name, info.module)
        if action == "allow":
            record = self.values.value(value)
        else:
            info.values.count(kind, action)
            if action == "drop":
                return ""
            record = self.values.redacted
        return VALUE_PREFIX % self.writer.variable_id(name) + record + VALUE_SUFFIX

    # ------------------------------------------------------------------------------- leaving

    def leave_return(self, frame: FrameType, value: object, label: str | None = None) -> None:
        """A recorded frame ends: its ``Return`` (``label``: how, when not by a return)."""
        frames = self.frames
        if (not frames or frames[-1] is not frame) and not self._resync(frame):
            return
        if self.owed:
            self.pay_owed()
        frames.pop()
        self._ordinals.pop()
        self._locations.pop()
        self._first = None  # never keep a frame alive after it left
        held = self._held
        if held and held[-1][0] is frame:
            held.pop()
        # If encoding the value or the output fails half-way (a RecursionError at the
        # interpreter's stack limit, a full disk), the Return is still owed and is written by
        # the next event.
        self.owed += 1
        info = self.infos[id(frame.f_code)]
        action = info.ret_action if label is None else info.exit_actions[label]
        if action == "allow":
            self._encoder.attr_action = info.attr_action
            cls = type(value)
            record = (self._cached(value) if cls is int or cls is str else None) or (
                self._value_json(value))
        else:
            info.values.count("ret", action)
            record = self.values.redacted if action == "redact" else self.values.dropped
        self.writer.ret(record, self.slot)
        self.owed -= 1

    def _resync(self, frame: FrameType) -> bool:
        """``frame`` is not on top: close the frames above it if it is on the stack at all.

        Frames above it ended without their exit reaching the recorder (a callback that could not
        even start at the interpreter's recursion limit); they get ``Return None`` (counted as
        ``lost_exit``). A frame not on the stack is not recorded: its event is ignored.
        """
        frames = self.frames
        for index in range(len(frames) - 1, -1, -1):
            if frames[index] is frame:
                lost = len(frames) - 1 - index
                self.lost_exits += lost
                self.owed += lost
                del frames[index + 1 :]
                del self._ordinals[index + 1 :]
                held = self._held
                while held and held[-1][0] not in frames:  # (frames compare by identity)
                    held.pop()
                del self._locations[index + 1 :]
                return True
        self.ignored += 1
        return False

    def pay_owed(self) -> None:
        """Write the ``Return`` events that could not be written when their frames ended."""
        while self.owed:
            self.writer.ret(NONE_VALUE, self.slot)
            self.owed -= 1

    def leave_yield(self, frame: FrameType, value: object) -> None:
        # A yield (or an await that suspends) ends this activation with the value it hands out.
        self.leave_return(frame, value, "<yield>")

    def leave_unwind(self, frame: FrameType, exc: object) -> None:
        # The exception that leaves the frame is its "return value" (rule 6).
        self.leave_return(frame, exc, "<unwind>")

    def close_open_frames(self) -> int:
        """``Return None`` for every frame still open (tracing stopped inside them)."""
        self.pay_owed()
        self._first = None
        self._held.clear()
        count = len(self.frames)
        for _ in range(count):
            self.frames.pop()
            self._ordinals.pop()
            self._locations.pop()
            self.writer.ret(NONE_VALUE, self.slot)
        return count
