"""The existing recorder's options and variables (``codetracer-python-recorder`` 0.3.0), accepted.

Its users switch by swapping the command: every option, option value and environment variable
it accepts is accepted here, and each either has its effect or is a usage error with its own code
naming what is missing. Nothing is accepted and silently ignored.

========================================  ===================================================
theirs                                    here
========================================  ===================================================
``--activation-path FILE``                no events until code of FILE runs; stops when that
                                          frame returns (``recorder.tracing.activation``)
``--module-name-from-globals`` / ``no-``  module frames named from ``__name__`` (default) or
``CODETRACER_MODULE_NAME_FROM_GLOBALS``   from the file path (``recorder.tracing.modnames``)
``--propagate-script-exit`` / ``no-``     ours propagates by default (ADR 0004); ``--no-...``
``CODETRACER_PROPAGATE_SCRIPT_EXIT``      ends a clean recording with 0, as theirs did
``--io-capture``, ``CODETRACER_CAPTURE_IO``  usage error ``ERR_IO_CAPTURE_UNSUPPORTED``
``--trace-filter``, ``CODETRACER_TRACE_FILTER``  usage error ``ERR_TRACE_FILTER_UNSUPPORTED``
``CODETRACER_FORMAT`` (auto-start)        the format of an auto-started session
========================================  ===================================================

Ours only: ``--threads {all,main}`` / ``CODETRACER_THREADS`` (default ``all``): record every thread
or only the one that starts tracing (:mod:`recorder.tracing.threads`).

The policy flags and variables (``--on-recorder-error`` ...) are :mod:`recorder.policy`'s.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from recorder.errors import ErrorCode, usage
from recorder.policy import parse_bool

__all__ = [
    "ENV_CAPTURE_IO",
    "ENV_FORMAT",
    "ENV_MODULE_NAME_FROM_GLOBALS",
    "ENV_PROPAGATE_SCRIPT_EXIT",
    "ENV_THREADS",
    "ENV_TRACE_FILTER",
    "IO_CAPTURE_MODES",
    "VALUE_OPTIONS",
    "RunSettings",
    "add_dropin_options",
    "refuse_unimplemented",
    "resolve_settings",
]

ENV_FORMAT = "CODETRACER_FORMAT"
ENV_CAPTURE_IO = "CODETRACER_CAPTURE_IO"
ENV_MODULE_NAME_FROM_GLOBALS = "CODETRACER_MODULE_NAME_FROM_GLOBALS"
ENV_PROPAGATE_SCRIPT_EXIT = "CODETRACER_PROPAGATE_SCRIPT_EXIT"
ENV_TRACE_FILTER = "CODETRACER_TRACE_FILTER"
ENV_THREADS = "CODETRACER_THREADS"
THREAD_MODES = ("all", "main")  # recorder.tracing.threads.THREAD_MODES (checked by a test)
IO_CAPTURE_MODES = ("off", "proxies", "proxies+fd")
#: The drop-in options that take a value (the command line splits options from the script).
VALUE_OPTIONS = frozenset({"--activation-path", "--trace-filter", "--io-capture"})


@dataclass(frozen=True)
class RunSettings:
    """How a program is recorded, beyond the policy (defaults: today's behaviour)."""

    module_name_from_globals: bool = True
    propagate_script_exit: bool = True
    activation_path: str | None = None
    threads: str = "all"  # --threads: every thread, or only the one that starts tracing


def add_dropin_options(parser: argparse.ArgumentParser) -> None:
    """The existing recorder's options that are not policy switches (one block of the parser)."""
    parser.add_argument("--activation-path", metavar="FILE",
                        help="record nothing until code of FILE runs; stop when that frame "
                             "returns (default: the whole program)")
    parser.add_argument("--module-name-from-globals", action=argparse.BooleanOptionalAction,
                        default=None,
                        help="name module frames from __name__ (default) or, with --no-..., "
                             "from the file path")
    parser.add_argument("--propagate-script-exit", action=argparse.BooleanOptionalAction,
                        default=None,
                        help="end with the script's exit status (default); --no-... ends a "
                             "clean recording with 0")
    parser.add_argument("--io-capture", choices=IO_CAPTURE_MODES,
                        help="not implemented yet: a usage error (stdout/stderr writes are "
                             "captured by default)")
    parser.add_argument("--trace-filter", action="append", metavar="PATH",
                        help="not implemented yet: a usage error (use --include/--exclude)")


def refuse_unimplemented(
    io_capture: str | None, trace_filter: list[str] | None, env: Mapping[str, str],
) -> None:
    """Usage errors for the options whose features are not built yet (never silently ignored)."""
    if io_capture is not None or ENV_CAPTURE_IO in env:
        source = "--io-capture" if io_capture is not None else ENV_CAPTURE_IO
        raise usage(ErrorCode.IO_CAPTURE_UNSUPPORTED,
                    f"{source} is not implemented by this recorder yet: the script's "
                    "sys.stdout/sys.stderr writes are always captured, raw file-descriptor "
                    "writes never", option=source)
    if trace_filter or ENV_TRACE_FILTER in env:
        source = "--trace-filter" if trace_filter else ENV_TRACE_FILTER
        raise usage(ErrorCode.TRACE_FILTER_UNSUPPORTED,
                    f"{source} is not implemented by this recorder yet: trace filter files "
                    "cannot be read; select files with --include/--exclude", option=source)


def _flag_or_env(flag: bool | None, var: str, env: Mapping[str, str], default: bool) -> bool:
    if flag is not None:
        return flag
    if var in env:
        return parse_bool(var, env[var])
    return default


def resolve_settings(
    options: argparse.Namespace | None = None, env: Mapping[str, str] | None = None,
) -> RunSettings:
    """The run settings from the flags (``options``; win) and the environment (``env``)."""
    environ = os.environ if env is None else env

    def get(name: str) -> Any:
        return getattr(options, name, None) if options is not None else None

    refuse_unimplemented(get("io_capture"), get("trace_filter"), environ)
    activation = get("activation_path")
    if activation is not None:
        activation = os.path.abspath(os.path.expanduser(activation))
        if not os.path.isfile(activation):
            raise usage(ErrorCode.ACTIVATION_PATH_NOT_FOUND,
                        f"--activation-path {activation!r} is not a file", path=activation)
    threads = get("threads")
    source = "--threads"
    if threads is None:
        threads, source = environ.get(ENV_THREADS, "all"), ENV_THREADS
    if threads.lower() not in THREAD_MODES:
        raise usage(ErrorCode.INVALID_ARGUMENT, f"{source} {threads!r} is not one of "
                    f"{', '.join(THREAD_MODES)}", option=source, accepted=", ".join(THREAD_MODES))
    return RunSettings(
        threads=threads.lower(),
        module_name_from_globals=_flag_or_env(
            get("module_name_from_globals"), ENV_MODULE_NAME_FROM_GLOBALS, environ, True),
        propagate_script_exit=_flag_or_env(
            get("propagate_script_exit"), ENV_PROPAGATE_SCRIPT_EXIT, environ, True),
        activation_path=activation)
