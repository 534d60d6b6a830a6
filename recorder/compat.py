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
``CODETRACER_MODULE_NAME_FROM_GLOBALS``   from the file path (``recorder.filters.modnames``)
``--propagate-script-exit`` / ``no-``     ours propagates by default (ADR 0004); ``--no-...``
``CODETRACER_PROPAGATE_SCRIPT_EXIT``      ends a clean recording with 0, as theirs did
``--io-capture MODE``                     ``off``, ``proxies`` (default) or ``proxies+fd``
``CODETRACER_CAPTURE_IO``                 (every spelling theirs accepts: ``recorder.iomode``)
``--trace-filter``, ``CODETRACER_TRACE_FILTER``  filter files (``recorder.filters``), after the
                                          project's ``.codetracer/trace-filter.toml``
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
from typing import Any

from recorder.errors import ErrorCode, usage
from recorder.iomode import DEFAULT_IO_CAPTURE, IO_CAPTURE_MODES, parse_io_capture
from recorder.policy import parse_bool
from recorder.structs import struct

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
    "resolve_io_capture",
    "resolve_settings",
]

ENV_FORMAT = "CODETRACER_FORMAT"
ENV_CAPTURE_IO = "CODETRACER_CAPTURE_IO"
ENV_MODULE_NAME_FROM_GLOBALS = "CODETRACER_MODULE_NAME_FROM_GLOBALS"
ENV_PROPAGATE_SCRIPT_EXIT = "CODETRACER_PROPAGATE_SCRIPT_EXIT"
ENV_TRACE_FILTER = "CODETRACER_TRACE_FILTER"
ENV_THREADS = "CODETRACER_THREADS"
THREAD_MODES = ("all", "main")  # recorder.tracing.threads.THREAD_MODES (checked by a test)
#: The drop-in options that take a value (the command line splits options from the script).
VALUE_OPTIONS = frozenset({"--activation-path", "--trace-filter", "--io-capture"})


@struct(frozen=True)
class RunSettings:
    """How a program is recorded, beyond the policy (defaults: today's behaviour)."""

    module_name_from_globals: bool = True
    propagate_script_exit: bool = True
    activation_path: str | None = None
    io_capture: str = DEFAULT_IO_CAPTURE  # one of recorder.iomode.IO_CAPTURE_MODES
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
                        help="off: record no stdout/stderr/stdin Events; proxies (default): "
                             "what goes through sys.stdout/sys.stderr/sys.stdin; proxies+fd: "
                             "also raw writes to file descriptors 1 and 2 (os.write, C code, "
                             "child processes), recorded without a thread or line")
    parser.add_argument("--trace-filter", action="append", metavar="PATH",
                        help="a TOML trace filter file (0.3.0's language: which packages, files "
                             "and functions are traced, which values redacted or dropped); "
                             "repeatable, several per value separated by '::'; applied after "
                             "the built-in filter, the nearest .codetracer/trace-filter.toml "
                             "and $CODETRACER_TRACE_FILTER")




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
        activation_path=activation,
        io_capture=resolve_io_capture(get("io_capture"), environ))


def resolve_io_capture(flag: str | None, env: Mapping[str, str], filters: str | None = None,
                       source: str = "--io-capture") -> str:
    """The I/O capture mode: the flag (``source`` names it in errors) wins over
    ``CODETRACER_CAPTURE_IO``, which wins over the trace filters' ``[io]`` section (``filters``,
    already a canonical mode), which wins over the default."""
    if flag is not None:
        return parse_io_capture(flag, source)
    if ENV_CAPTURE_IO in env:
        return parse_io_capture(env[ENV_CAPTURE_IO], ENV_CAPTURE_IO)
    return filters if filters is not None else DEFAULT_IO_CAPTURE
