"""Every option, option value and environment variable of ``codetracer-python-recorder`` 0.3.0.

The lists below are that recorder's (its ``--help`` and the variables its sources read, see
``recorder/compat.py``). Each entry is run through our command line and must be accepted and have
its effect, or be the usage error that names what is not built yet (``--format binary``).
Nothing may be accepted and silently ignored: each case checks something the setting changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

import pytest

PROG = """\
import sys
def bump(x):
    return x + 1
print(bump(1))
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
"""
AUTO = "import recorder\nprint('auto')\n"
#: Written next to the script as f.toml: a 0.3.0 filter file that skips ``bump``.
FILTER = """\
[meta]
name = "skip-bump"
version = 1
[scope]
default_exec = "trace"
default_value_action = "allow"
[[scope.rules]]
selector = "obj:__main__.bump"
exec = "skip"
"""  # CODETRACER_TRACE starts tracing at this import

Check = Callable[[CompletedProcess[bytes], Path], None]


def _meta(tmp: Path, trace: str = "trace-out") -> dict[str, object]:
    return dict(json.loads((tmp / trace / "trace_metadata.json").read_text(encoding="utf-8")))


def _policy(field: str, value: object) -> Check:
    def check(proc: CompletedProcess[bytes], tmp: Path) -> None:
        assert proc.returncode == 0, proc.stderr
        policy = _meta(tmp)["policy"]
        assert isinstance(policy, dict) and policy[field] == value
    return check


def _usage(code: str) -> Check:
    def check(proc: CompletedProcess[bytes], tmp: Path) -> None:
        assert proc.returncode == 2 and f"[{code}]" in proc.stderr.decode(), proc.stderr
        assert not (tmp / "trace-out").exists()
    return check


def _exit(status: int) -> Check:
    def check(proc: CompletedProcess[bytes], tmp: Path) -> None:
        assert proc.returncode == status, proc.stderr
        assert _meta(tmp)["process_exit_status"] == {"code": 3, "label": "exit"}
    return check


def _io(mode: str, stdout_events: int) -> Check:
    """The metadata names ``mode``; the trace has that many stdout ``Event`` records."""
    def check(proc: CompletedProcess[bytes], tmp: Path) -> None:
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout == b"2\n"  # the program's output, unchanged
        assert _meta(tmp)["io_capture"] == {"mode": mode, **(
            {"fd_forwarding_failed": False} if mode == "proxies+fd" else {})}
        events = json.loads((tmp / "trace-out" / "trace.json").read_text(encoding="utf-8"))
        outputs = [e["Event"] for e in events if "Event" in e and e["Event"]["kind"] == 0]
        assert len(outputs) == stdout_events
    return check


def _module_name(name: str) -> Check:
    def check(proc: CompletedProcess[bytes], tmp: Path) -> None:
        assert proc.returncode == 0, proc.stderr
        events = json.loads((tmp / "trace-out" / "trace.json").read_text(encoding="utf-8"))
        assert [e["Function"]["name"] for e in events if "Function" in e][1] == name
    return check


def _filtered(proc: CompletedProcess[bytes], tmp: Path) -> None:
    assert proc.returncode == 0, proc.stderr
    events = json.loads((tmp / "trace-out" / "trace.json").read_text(encoding="utf-8"))
    assert "bump" not in [e["Function"]["name"] for e in events if "Function" in e]
    trace_filter = _meta(tmp)["trace_filter"]
    assert isinstance(trace_filter, dict)
    assert [f["name"] for f in trace_filter["filters"]] == ["builtin-default", "skip-bump"]
    assert trace_filter["stats"]["scopes_skipped"] >= 1


def _trace_in(directory: str) -> Check:
    def check(proc: CompletedProcess[bytes], tmp: Path) -> None:
        assert proc.returncode == 0, proc.stderr
        assert (tmp / directory / "trace.json").is_file()
    return check


def _logged(proc: CompletedProcess[bytes], tmp: Path) -> None:
    assert proc.returncode == 0 and b'"tracing started"' in proc.stderr, proc.stderr


def _log_file(proc: CompletedProcess[bytes], tmp: Path) -> None:
    assert proc.returncode == 0 and b"tracing started" not in proc.stderr
    assert "tracing started" in (tmp / "rec.log").read_text(encoding="utf-8")


def _activated(proc: CompletedProcess[bytes], tmp: Path) -> None:
    assert proc.returncode == 0, proc.stderr
    paths = json.loads((tmp / "trace-out" / "trace_paths.json").read_text(encoding="utf-8"))
    assert paths[0] == str(tmp / "prog.py")


# (id, recorder options, environment, the script's arguments, check)
OPTIONS: list[tuple[str, list[str], dict[str, str], list[str], Check]] = [
    ("--trace-dir", ["--trace-dir", "elsewhere"], {}, [], _trace_in("elsewhere")),
    ("--format json", ["--format", "json"], {}, [], _trace_in("trace-out")),
    ("--format JSON", ["--format", "JSON"], {}, [], _trace_in("trace-out")),
    ("--format binary", ["--format", "binary"], {}, [], _usage("ERR_UNSUPPORTED_FORMAT")),
    ("--activation-path", ["--activation-path", "prog.py"], {}, [], _activated),
    ("--trace-filter", ["--trace-filter", "f.toml"], {}, [], _filtered),
    ("--on-recorder-error abort", ["--on-recorder-error", "abort"], {}, [],
     _policy("on_recorder_error", "abort")),
    ("--on-recorder-error disable", ["--on-recorder-error", "disable"], {}, [],
     _policy("on_recorder_error", "disable")),
    ("--require-trace", ["--require-trace"], {}, [], _policy("require_trace", True)),
    ("--keep-partial-trace", ["--keep-partial-trace"], {}, [],
     _policy("keep_partial_trace", True)),
    ("--log-level info", ["--log-level", "info"], {}, [], _logged),
    ("--log-level debug", ["--log-level", "debug"], {}, [], _logged),
    ("--log-level trace", ["--log-level", "trace"], {}, [], _logged),
    ("--log-level warn", ["--log-level", "warn"], {}, [], _policy("log_level", "warning")),
    ("--log-level error", ["--log-level", "error"], {}, [], _policy("log_level", "error")),
    ("--log-file", ["--log-level", "info", "--log-file", "rec.log"], {}, [], _log_file),
    ("--json-errors", ["--json-errors"], {}, [], _policy("json_errors", True)),
    ("--io-capture off", ["--io-capture", "off"], {}, [], _io("off", 0)),
    ("--io-capture proxies", ["--io-capture", "proxies"], {}, [], _io("proxies", 1)),
    # The print() is recorded once, by the proxy, not a second time from fd 1.
    ("--io-capture proxies+fd", ["--io-capture", "proxies+fd"], {}, [], _io("proxies+fd", 1)),
    ("--module-name-from-globals", ["--module-name-from-globals"], {}, [],
     _module_name("<__main__>")),
    ("--no-module-name-from-globals", ["--no-module-name-from-globals"], {}, [],
     _module_name("<prog>")),
    ("--propagate-script-exit", ["--propagate-script-exit"], {}, ["3"], _exit(3)),
    ("--no-propagate-script-exit", ["--no-propagate-script-exit"], {}, ["3"], _exit(0)),
]

VARIABLES: list[tuple[str, list[str], dict[str, str], list[str], Check]] = [
    ("CODETRACER_ON_RECORDER_ERROR", [], {"CODETRACER_ON_RECORDER_ERROR": "disable"}, [],
     _policy("on_recorder_error", "disable")),
    ("CODETRACER_REQUIRE_TRACE", [], {"CODETRACER_REQUIRE_TRACE": "t"}, [],
     _policy("require_trace", True)),
    ("CODETRACER_KEEP_PARTIAL_TRACE", [], {"CODETRACER_KEEP_PARTIAL_TRACE": "y"}, [],
     _policy("keep_partial_trace", True)),
    ("CODETRACER_LOG_LEVEL", [], {"CODETRACER_LOG_LEVEL": "info"}, [], _logged),
    ("CODETRACER_LOG_FILE", [], {"CODETRACER_LOG_LEVEL": "info", "CODETRACER_LOG_FILE": "rec.log"},
     [], _log_file),
    ("CODETRACER_JSON_ERRORS", [], {"CODETRACER_JSON_ERRORS": "yes"}, [],
     _policy("json_errors", True)),
    # Every spelling codetracer-python-recorder 0.3.0 accepts (recorder.iomode).
    *[(f"CODETRACER_CAPTURE_IO={value}", [], {"CODETRACER_CAPTURE_IO": value}, [],
       _io(mode, 0 if mode == "off" else 1))
      for value, mode in [("", "proxies"), ("off", "off"), ("0", "off"), ("None", "off"),
                          ("disabled", "off"), ("on", "proxies"), ("1", "proxies"),
                          ("Enable", "proxies"), ("proxies", "proxies"), ("proxy", "proxies"),
                          ("fd", "proxies+fd"), ("mirror", "proxies+fd"),
                          ("proxies,fd", "proxies+fd"), (" PROXIES+FD ", "proxies+fd"),
                          ("proxy+fallback", "proxies+fd")]],
    ("--io-capture over CODETRACER_CAPTURE_IO", ["--io-capture", "off"],
     {"CODETRACER_CAPTURE_IO": "proxies+fd"}, [], _io("off", 0)),
    ("CODETRACER_TRACE_FILTER", [], {"CODETRACER_TRACE_FILTER": "f.toml"}, [], _filtered),
    ("CODETRACER_MODULE_NAME_FROM_GLOBALS", [], {"CODETRACER_MODULE_NAME_FROM_GLOBALS": "n"}, [],
     _module_name("<prog>")),
    ("CODETRACER_PROPAGATE_SCRIPT_EXIT", [], {"CODETRACER_PROPAGATE_SCRIPT_EXIT": "f"}, ["3"],
     _exit(0)),
    # Flags win over variables.
    ("flag over variable", ["--propagate-script-exit"],
     {"CODETRACER_PROPAGATE_SCRIPT_EXIT": "false"}, ["3"], _exit(3)),
]


@pytest.mark.parametrize(("options", "env", "args", "check"),
                         [case[1:] for case in OPTIONS + VARIABLES],
                         ids=[case[0] for case in OPTIONS + VARIABLES])
def test_existing_recorders_setting_is_accepted_and_has_its_effect(
    run_recorder, script, make_env, tmp_path: Path, options: list[str], env: dict[str, str],
    args: list[str], check: Check,
) -> None:
    script(PROG)
    (tmp_path / "f.toml").write_text(FILTER, encoding="utf-8")
    check(run_recorder([*options, "prog.py", *args], env=make_env(**env)), tmp_path)


@pytest.mark.parametrize(("fmt", "expected"), [("json", 0), ("JSON", 0), ("binary", 1)])
def test_auto_start_variables(tmp_path: Path, script, make_env, fmt: str, expected: int) -> None:
    import subprocess
    import sys

    script(AUTO)
    proc = subprocess.run([sys.executable, "prog.py"], cwd=tmp_path, capture_output=True,
                          env=make_env(CODETRACER_TRACE="auto-out", CODETRACER_FORMAT=fmt),
                          timeout=60)
    assert proc.returncode == expected, proc.stderr
    if expected == 0:
        assert proc.stdout == b"auto\n"
        assert (tmp_path / "auto-out" / "trace.json").is_file()
    else:
        assert b"[ERR_UNSUPPORTED_FORMAT]" in proc.stderr
        assert not (tmp_path / "auto-out").exists()


def test_every_listed_option_of_the_existing_recorder_is_covered() -> None:
    """The 0.3.0 ``--help`` options and source variables: each has a case above."""
    theirs_options = ["--trace-dir", "--format", "--activation-path", "--trace-filter",
                      "--on-recorder-error", "--require-trace", "--keep-partial-trace",
                      "--log-level", "--log-file", "--json-errors", "--io-capture",
                      "--module-name-from-globals", "--no-module-name-from-globals",
                      "--propagate-script-exit", "--no-propagate-script-exit"]
    theirs_variables = ["CODETRACER_ON_RECORDER_ERROR", "CODETRACER_REQUIRE_TRACE",
                        "CODETRACER_KEEP_PARTIAL_TRACE", "CODETRACER_LOG_LEVEL",
                        "CODETRACER_LOG_FILE", "CODETRACER_JSON_ERRORS", "CODETRACER_CAPTURE_IO",
                        "CODETRACER_MODULE_NAME_FROM_GLOBALS",
                        "CODETRACER_PROPAGATE_SCRIPT_EXIT", "CODETRACER_TRACE_FILTER"]
    covered = {word for case in OPTIONS for word in case[1]}
    assert [o for o in theirs_options if o not in covered] == []
    named = {c[0].split("=")[0] for c in VARIABLES}
    assert [v for v in theirs_variables if v not in named] == []
