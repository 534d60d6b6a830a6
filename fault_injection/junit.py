"""A sweep's report as JUnit XML (``--junit-xml FILE``), so CI systems show a sweep like tests.

One ``<testcase>`` per run: ``classname`` is ``fault_sweep.SCENARIO.KIND``, ``name`` the run's
name (scenario, plan, policy), ``time`` its seconds. A run that broke a promise has a
``<failure>`` whose ``message`` is the first broken promise and whose text lists them all and the
command that reproduces the run. The elements and attributes are those every JUnit reader
(Jenkins, GitLab, GitHub actions) takes: ``testsuites > testsuite > testcase > failure``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from fault_injection.report import SweepReport


def junit_xml(rep: SweepReport, suite: str = "fault-sweep") -> str:
    """The JUnit XML text of ``rep`` (test cases sorted by name, for stable output)."""
    failures = {failure.case: failure for failure in rep.failures}
    total = sum(record.time for record in rep.records)
    root = ET.Element("testsuites", name=suite, tests=str(len(rep.records)),
                      failures=str(len(failures)), errors="0", time=f"{total:.3f}")
    node = ET.SubElement(root, "testsuite", name=suite, tests=str(len(rep.records)),
                         failures=str(len(failures)), errors="0", skipped="0",
                         time=f"{total:.3f}")
    for record in sorted(rep.records, key=lambda r: r.name):
        case = ET.SubElement(node, "testcase", classname=f"fault_sweep.{record.scenario}."
                             f"{record.kind}", name=record.name, time=f"{record.time:.3f}")
        failure = failures.get(record.name)
        if failure is not None:
            text = "\n".join([*(f"- {v}" for v in failure.violations),
                              f"exit status {failure.returncode}",
                              f"reproduce: {failure.reproduce}"])
            element = ET.SubElement(case, "failure", message=failure.violations[0]
                                    if failure.violations else "failed", type="BrokenPromise")
            element.text = text
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def write_junit(rep: SweepReport, path: Path) -> None:
    """Write :func:`junit_xml` of ``rep`` to ``path``."""
    path.write_text(junit_xml(rep), encoding="utf-8")
