"""Start tracing at import time when ``CODETRACER_TRACE=DIR`` is set (the Rust recorder's switch).

The session is stopped, and its trace published, at interpreter exit. Auto-start never starts a
second session inside the recorder's own command line (which starts its own). A failure to start
is reported as one classified line on stderr; under the ``abort`` policy it is raised (the import
fails with a classified error, never a foreign one); under ``disable`` the program runs untraced.
``CODETRACER_FORMAT`` picks the format, as for the existing recorder (``json``; its ``binary``
is ``ERR_UNSUPPORTED_FORMAT``); ``CODETRACER_TRACE_FILTER`` adds filter files (``::``-separated),
the only filter source auto-start reads, as in 0.3.0.
"""

from __future__ import annotations

import atexit
import os
import sys

from recorder import logs
from recorder.compat import ENV_FORMAT
from recorder.errors import RecorderError
from recorder.filters import ENV_TRACE_FILTER
from recorder.policy import RecorderPolicy, policy_snapshot
from recorder.values.settings import resolve_value_settings

ENV_VAR = "CODETRACER_TRACE"


def _inside_recorder_cli() -> bool:
    argv = list(getattr(sys, "orig_argv", []))
    for i, arg in enumerate(argv[:-1]):
        if arg == "-m" and argv[i + 1] in {"recorder", "fault_injection"}:
            return True
    return os.path.basename(sys.argv[0] if sys.argv else "") == "recorder"


def _stop_at_exit() -> None:
    from recorder import session

    try:
        session.stop()
    except RecorderError as err:
        logs.report_failure(err, policy_snapshot())


def autostart_from_environment() -> None:
    """Start a session into ``$CODETRACER_TRACE`` if it is set (see the module docstring)."""
    trace_dir = os.environ.get(ENV_VAR)
    if not trace_dir or _inside_recorder_cli():
        return
    from recorder import session

    policy = RecorderPolicy()
    try:
        policy = policy_snapshot()
        logs.configure_logging(policy)
        fmt = os.environ.get(ENV_FORMAT, "json").strip().lower()
        started = session.start(trace_dir, policy=policy, format=fmt,  # raises per the policy
                                values=resolve_value_settings(),
                                trace_filter=os.environ.get(ENV_TRACE_FILTER))
    except RecorderError as err:
        logs.report_failure(err, policy)
        raise
    if started.failure is not None:  # logged by start(); the program runs untraced
        return
    atexit.register(_stop_at_exit)
