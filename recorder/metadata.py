"""``trace_metadata.json`` as one object, filled by the session and written once.

The session creates a :class:`TraceMetadata` when it starts (program, arguments, working
directory, policy, ids: captured *then*, so a program that changes directory or ``sys.argv``
cannot change them), the recording adds what only it knows when it finishes (dropped events, the
metrics snapshot), the session adds the exit status and the partial state at the end, and the
writer turns it into JSON once (:meth:`TraceMetadata.to_json`). Nobody merges dictionaries, so no
layer can silently overwrite another's field.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from recorder.about import RECORDER_NAME, VERSION
from recorder.policy import RecorderPolicy
from recorder.structs import field, struct

__all__ = ["THREAD_EVENTS_READER", "TRACE_SCHEMA_VERSION", "TraceMetadata"]

#: Version of what this project writes into a trace directory (bumped on incompatible changes).
TRACE_SCHEMA_VERSION = 1
#: The oldest CodeTracer trace reader that knows ``ThreadStart``/``ThreadSwitch``/``ThreadExit``.
THREAD_EVENTS_READER = "runtime_tracing 0.15.0"


@struct()
class TraceMetadata:
    """Everything ``trace_metadata.json`` says about one recording."""

    program: str
    args: list[str]
    workdir: str
    policy: RecorderPolicy
    run_id: str
    trace_id: str
    module: str | None = None  # the module name of ``-m MODULE`` (``program`` is its file)
    backend: str = ""
    exit_code: int | None = None
    exit_label: str | None = None
    partial_reason: str | None = None  # the failure's ERR_* code when the trace is partial
    events_dropped: dict[str, int] = field(default_factory=dict)
    metrics: dict[str, object] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)  # the value mode and budgets
    #: The filter chain and its counters (0.3.0's ``trace_filter`` object).
    trace_filter: dict[str, object] = field(default_factory=dict)
    io_capture: dict[str, object] = field(default_factory=dict)  # the mode, fd forwarding
    files: dict[str, object] | None = None  # the files/ copies (recorder.sources)
    #: The recorded threads (None when only one was: the trace then has no thread events).
    threads: dict[str, object] | None = None

    @classmethod
    def at_start(
        cls, *, program: str, args: Sequence[str], policy: RecorderPolicy, run_id: str,
        trace_id: str,
    ) -> TraceMetadata:
        """The metadata of a recording that starts now (the working directory is read now)."""
        return cls(program=os.path.abspath(program), args=list(args), workdir=os.getcwd(),
                   policy=policy, run_id=run_id, trace_id=trace_id)

    @property
    def partial(self) -> bool:
        return self.partial_reason is not None

    def to_json(self) -> dict[str, object]:
        """The file's content: the trace-format fields first, then this recorder's own."""
        fields: dict[str, object] = {
            "workdir": self.workdir,
            "program": self.program,
            "args": list(self.args),
            "process_exit_status": {"code": self.exit_code, "label": self.exit_label},
            "recorder": {"name": RECORDER_NAME, "version": VERSION,
                         "target_script": self.program},
            "schema_version": TRACE_SCHEMA_VERSION,
            "python_version": ".".join(str(part) for part in sys.version_info[:3]),
            "python_implementation": sys.implementation.name,
            "partial": self.partial,
            "backend": self.backend,
            "events_dropped": dict(self.events_dropped),
            "metrics": dict(self.metrics),
            "policy_hash": self.policy.digest(),
            "policy": self.policy.to_json(),
            "values": dict(self.values),
            "run_id": self.run_id,
            "trace_id": self.trace_id,
            "partial_reason": self.partial_reason,
            "module": self.module,
            "trace_filter": dict(self.trace_filter),
            "io_capture": dict(self.io_capture),
            "files": None if self.files is None else dict(self.files),
        }
        if self.threads is not None:  # only traces with thread events: others stay as they were
            fields["threads"] = self.threads
            fields["min_reader_version"] = THREAD_EVENTS_READER
        return fields
