"""Usage mistakes: exit 2, a classified code and a one-line remedy, never a Python traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

OK_SCRIPT = "print('hello')\n"

# (argv, extra env, expected code, text in the message). "prog.py" exists in the run's directory.
CASES = [
    ([], {}, "ERR_INVALID_ARGUMENT", "no script given"),
    (["--bogus", "prog.py"], {}, "ERR_INVALID_ARGUMENT", "--bogus"),
    (["--trace-dir"], {}, "ERR_INVALID_ARGUMENT", "--trace-dir"),
    (["--format", "xml", "prog.py"], {}, "ERR_UNSUPPORTED_FORMAT", "xml"),
    (["--on-recorder-error", "explode", "prog.py"], {}, "ERR_INVALID_POLICY_VALUE",
     "--on-recorder-error"),
    (["--log-level", "loud", "prog.py"], {}, "ERR_INVALID_POLICY_VALUE", "--log-level"),
    (["--backend", "dtrace", "prog.py"], {}, "ERR_INVALID_ARGUMENT", "dtrace"),
    (["--threads", "some", "prog.py"], {}, "ERR_INVALID_ARGUMENT", "--threads"),
    (["prog.py"], {"CODETRACER_THREADS": "few"}, "ERR_INVALID_ARGUMENT", "CODETRACER_THREADS"),
    (["missing.py"], {}, "ERR_SCRIPT_NOT_FOUND", "missing.py"),
    (["prog.py"], {"CODETRACER_REQUIRE_TRACE": "maybe"}, "ERR_INVALID_POLICY_VALUE",
     "CODETRACER_REQUIRE_TRACE"),
    (["prog.py"], {"CODETRACER_ON_RECORDER_ERROR": "ignore"}, "ERR_INVALID_POLICY_VALUE",
     "CODETRACER_ON_RECORDER_ERROR"),
    (["--trace-dir", "afile", "prog.py"], {}, "ERR_TRACE_DIR_CONFLICT", "afile"),
    # -m and the existing recorder's options (recorder.compat)
    (["-m", "no_such_module_here"], {}, "ERR_MODULE_NOT_FOUND", "no_such_module_here"),
    (["-m"], {}, "ERR_INVALID_ARGUMENT", "-m needs a module name"),
    (["--format", "binary", "prog.py"], {}, "ERR_UNSUPPORTED_FORMAT", "binary"),
    (["--io-capture", "loud", "prog.py"], {}, "ERR_INVALID_ARGUMENT", "--io-capture"),
    (["prog.py"], {"CODETRACER_CAPTURE_IO": "proxies+loud"}, "ERR_INVALID_POLICY_VALUE",
     "CODETRACER_CAPTURE_IO"),
    (["prog.py"], {"CODETRACER_CAPTURE_IO": ","}, "ERR_INVALID_POLICY_VALUE",
     "CODETRACER_CAPTURE_IO"),
    (["--trace-filter", "f.toml", "prog.py"], {}, "ERR_TRACE_FILTER_NOT_FOUND", "f.toml"),
    (["prog.py"], {"CODETRACER_TRACE_FILTER": "a.toml::f.toml"}, "ERR_TRACE_FILTER_NOT_FOUND",
     "a.toml"),
    (["--activation-path", "nowhere.py", "prog.py"], {}, "ERR_ACTIVATION_PATH_NOT_FOUND",
     "nowhere.py"),
    (["prog.py"], {"CODETRACER_PROPAGATE_SCRIPT_EXIT": "sometimes"}, "ERR_INVALID_POLICY_VALUE",
     "CODETRACER_PROPAGATE_SCRIPT_EXIT"),
    (["prog.py"], {"CODETRACER_MODULE_NAME_FROM_GLOBALS": "2"}, "ERR_INVALID_POLICY_VALUE",
     "CODETRACER_MODULE_NAME_FROM_GLOBALS"),
]
if sys.version_info < (3, 12):
    CASES.append((["--backend", "monitoring", "prog.py"], {}, "ERR_BACKEND_UNAVAILABLE", "3.12"))


@pytest.mark.parametrize("json_errors", [False, True], ids=["human", "json"])
@pytest.mark.parametrize(("argv", "env", "code", "text"), CASES,
                         ids=[" ".join(c[0]) or "no-args" for c in CASES])
def test_usage_mistake(run_recorder, script, make_env, tmp_path: Path,
                       argv: list[str], env: dict[str, str], code: str, text: str,
                       json_errors: bool) -> None:
    script(OK_SCRIPT)
    (tmp_path / "afile").write_text("not a directory")
    args = (["--json-errors"] if json_errors else []) + argv
    proc = run_recorder(args, env=make_env(**env))
    stderr = proc.stderr.decode()
    assert proc.returncode == 2, stderr
    assert proc.stdout == b"", "the recorder never writes to stdout"
    assert "Traceback" not in stderr
    last = stderr.splitlines()[-1]
    if json_errors:
        trailer = json.loads(last)
        assert trailer["error_code"] == code and trailer["error_kind"] == "Usage"
        assert text in trailer["message"] + json.dumps(trailer["context"])
    else:
        assert last.startswith(f"recorder: [{code}] ") and " - " in last
        assert text in last
    assert not (tmp_path / "trace-out").exists()


def test_version_and_help_go_to_stdout(run_recorder) -> None:
    version = run_recorder(["--version"])
    assert version.returncode == 0 and b"0.1.0" in version.stdout
    helped = run_recorder(["--help"])
    text = helped.stdout.decode()
    assert helped.returncode == 0
    for word in ("--trace-dir", "--on-recorder-error", "--keep-partial-trace", "exit status",
                 "CODETRACER_ON_RECORDER_ERROR", "70"):
        assert word in text

