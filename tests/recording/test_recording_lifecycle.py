"""A recording moves NEW -> TRACING -> DETACHED -> STOPPED; anything else is a loud bug."""

from __future__ import annotations

import pytest
from recording_support import DirLayer, finished

from recorder.errors import ErrorCode, InternalError
from recorder.lifecycle import State
from recorder.recording import Recording
from recorder.tracing import available_backends
from recorder.tracing.filters import CodeFilter


def test_a_recording_cannot_be_restarted_after_it_stopped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rec = Recording(DirLayer(tmp_path / "trace"), program=str(tmp_path / "prog.py"),
                    backend=available_backends()[0], filters=CodeFilter(),
                    on_failure=lambda exc, point: None)
    rec.start()
    rec.detach()
    rec.finish(finished(0, None))
    assert rec.state is State.STOPPED
    with pytest.raises(InternalError) as raised:
        rec.start()  # the writer is closed and the hooks are gone: a bug, not a no-op
    assert raised.value.code is ErrorCode.INVARIANT_VIOLATED
    assert rec.state is State.STOPPED and not rec.attached


