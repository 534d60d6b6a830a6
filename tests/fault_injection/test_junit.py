"""``--junit-xml``: a small sweep as JUnit XML, checked against a golden file and the structure
JUnit readers take (testsuites > testsuite > testcase > failure, with their attributes)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "save_settings" / "inplace"
GOLDEN = Path(__file__).parent / "fixtures" / "junit-golden.xml"

# Required attributes of each element, as the JUnit XML schema CI systems read has them.
REQUIRED = {
    "testsuites": {"tests", "failures", "errors"},
    "testsuite": {"name", "tests", "failures", "errors", "skipped", "time"},
    "testcase": {"name", "classname", "time"},
    "failure": {"message", "type"},
}
CHILDREN = {"testsuites": {"testsuite"}, "testsuite": {"testcase"}, "testcase": {"failure"},
            "failure": set()}


def normalized(text: str) -> str:
    """Without what changes from one machine or run to the next (times, paths)."""
    text = re.sub(r'time="[0-9.]+"', 'time="T"', text)
    return text.replace(str(FIXTURE.resolve()), "FIXTURE").replace(sys.executable, "PYTHON")


def test_a_small_sweep_as_junit_xml(tmp_path: Path) -> None:
    xml = tmp_path / "sweep.xml"
    done = subprocess.run(
        [sys.executable, "-m", "fault_injection", "sweep", "--fixture", str(FIXTURE), "--oracle",
         str(FIXTURE / "fault-oracle.toml"), "--kind", "enospc", "--point", "os.write",
         "--json", str(tmp_path / "r.json"), "--junit-xml", str(xml), "--", sys.executable,
         "save_settings.py", "a=b"], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 1, done.stderr
    text = xml.read_text(encoding="utf-8")
    assert normalized(text) == GOLDEN.read_text(encoding="utf-8")
    root = ET.fromstring(text)
    for element in root.iter():
        assert element.tag in REQUIRED
        assert REQUIRED[element.tag] <= set(element.attrib), element.tag
        assert {child.tag for child in element} <= CHILDREN[element.tag]
    cases = root.findall("./testsuite/testcase")
    assert root.find("testsuite").get("tests") == str(len(cases)) == "2"  # type: ignore[union-attr]
    assert [case.find("failure") is not None for case in cases] == [False, True]
