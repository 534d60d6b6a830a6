"""The atomic output layer: the only code in the recorder that creates, renames or deletes trace
files (ADR 0004 principle 6; issue 4).

A trace is staged in a hidden directory next to the target, streamed there, made durable and
renamed into place, so the target directory shows nothing new or a complete trace, never a torn
file or a mix of two runs. See :mod:`recorder.output.layer` for the life cycle,
:mod:`recorder.output.swap` for replacing an older trace, :mod:`recorder.output.staging` for
leftovers of killed processes and :mod:`recorder.output.syscalls` for the fault seams.
``docs/output-layer.md`` has the whole story.
"""

from recorder.output.files import FileState, OutputFile
from recorder.output.layer import LayerState, OutputLayer
from recorder.output.staging import METADATA_NAME, SideName, is_trace_dir

__all__ = ["METADATA_NAME", "FileState", "LayerState", "OutputFile", "OutputLayer", "SideName",
           "is_trace_dir"]
