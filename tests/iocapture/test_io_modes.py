"""``--io-capture``, ``CODETRACER_CAPTURE_IO``, ``io_capture=``: accepted spellings, refusals.

The command-line cases (and each mode's effect on a trace) are in
``tests/cli/test_dropin_options.py``; here the parser itself and the API keyword.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from recorder.errors import UsageError
from recorder.iomode import IO_CAPTURE_MODES, parse_io_capture
from tests.iocapture.iocap_support import recorder_env

# (value, mode): codetracer-python-recorder 0.3.0's parse_capture_io, case and blanks included.
ACCEPTED = [
    ("", "proxies"), ("  ", "proxies"),
    ("0", "off"), ("off", "off"), ("FALSE", "off"), ("disable", "off"), ("disabled", "off"),
    ("none", "off"),
    ("1", "proxies"), ("on", "proxies"), ("true", "proxies"), ("enable", "proxies"),
    ("Enabled", "proxies"),
    ("proxies", "proxies"), ("proxy", "proxies"), ("proxies,", "proxies"),
    ("fd", "proxies+fd"), ("mirror", "proxies+fd"), ("fallback", "proxies+fd"),
    ("proxies+fd", "proxies+fd"), ("proxies,fd", "proxies+fd"), ("fd+proxies", "proxies+fd"),
    (" Proxy , Mirror ", "proxies+fd"),
]
REFUSED = ["loud", "proxies+loud", ",", "+", "off+fd", "yes"]


@pytest.mark.parametrize(("value", "mode"), ACCEPTED)
def test_accepted_spellings(value: str, mode: str) -> None:
    assert parse_io_capture(value) == mode


@pytest.mark.parametrize("value", REFUSED)
def test_refused_spellings_are_usage_errors_naming_the_source(value: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_io_capture(value, "SOURCE")
    assert caught.value.code.value == "ERR_INVALID_POLICY_VALUE"
    assert "SOURCE" in str(caught.value)


def test_canonical_modes_parse_to_themselves() -> None:
    assert [parse_io_capture(mode) for mode in IO_CAPTURE_MODES] == list(IO_CAPTURE_MODES)


API_PROGRAM = """\
import os, sys
import recorder
with recorder.trace(sys.argv[1], io_capture=sys.argv[2]):
    print("proxied")
    os.write(1, b"raw\\n")
"""


@pytest.mark.parametrize(("mode", "expected"), [
    ("off", []), ("proxies", [("proxied\n", "ThreadId(1)")]),
    ("proxies,fd", [("proxied\n", "ThreadId(1)"), ("raw\n", None)]),
])
def test_api_keyword(tmp_path: Path, mode: str, expected: list[tuple[str, str | None]]) -> None:
    (tmp_path / "prog.py").write_text(API_PROGRAM, encoding="utf-8")
    done = subprocess.run([sys.executable, "prog.py", "out", mode], cwd=tmp_path,
                          env=recorder_env(), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == b"proxied\nraw\n"
    events = json.loads((tmp_path / "out" / "trace.json").read_text(encoding="utf-8"))
    seen = [(e["Event"]["content"], json.loads(e["Event"]["metadata"])["thread"])
            for e in events if "Event" in e]
    assert seen == expected


def test_api_keyword_refuses_an_unknown_mode(tmp_path: Path) -> None:
    (tmp_path / "prog.py").write_text(API_PROGRAM, encoding="utf-8")
    done = subprocess.run([sys.executable, "prog.py", "out", "loud"], cwd=tmp_path,
                          env=recorder_env(), capture_output=True, timeout=60)
    assert done.returncode != 0 and b"ERR_INVALID_POLICY_VALUE" in done.stderr
    assert not (tmp_path / "out").exists()
