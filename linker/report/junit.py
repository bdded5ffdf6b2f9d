"""JUnit XML for test-report UIs (GitLab, Jenkins, GitHub test-reporter actions).

One ``testsuite`` per input file, one ``testcase`` per publication. Error and warning findings
are ``failure`` elements (``type`` = rule code); info findings are advisory and go to the
test case's ``system-out``, so they never turn a report red.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from linker.report.escape import xml_text
from linker.report.interface import StreamingReporter
from linker.report.summary import location, short_title, sorted_result
from linker.results import Finding, PublicationResult, RunResult, Severity


def is_failure(finding: Finding) -> bool:
    return finding.severity is not Severity.INFO


def _describe(finding: Finding) -> str:
    where = location(finding.file, finding.line, finding.column)
    return f"{where} {finding.code} [{finding.severity.value}] {finding.name}: {finding.message}"


def _testcase(parent: ET.Element, publication: PublicationResult) -> ET.Element:
    case = ET.SubElement(
        parent,
        "testcase",
        {
            "name": xml_text(f"{publication.key} {short_title(publication.title)}".strip()),
            "classname": xml_text(publication.file),
            "file": xml_text(publication.file),
            "line": str(publication.line),
        },
    )
    for finding in publication.findings:
        if is_failure(finding):
            failure = ET.SubElement(
                case,
                "failure",
                {
                    "type": finding.code,
                    "message": xml_text(f"{finding.code} {finding.name}: {finding.message}"),
                },
            )
            failure.text = xml_text(_describe(finding))
    notes = [_describe(f) for f in publication.findings if not is_failure(f)]
    if notes:
        ET.SubElement(case, "system-out").text = xml_text("\n".join(notes))
    return case


class JunitReporter(StreamingReporter):
    """Written test case by test case, as ``ET.indent`` and ``ET.tostring`` would write the
    whole tree: one pass over the publications counts each suite's tests and failures (its
    attributes come first), a second writes them, so a long result is never one tree."""

    def write(self, result: RunResult, stream: TextIO) -> None:
        result = sorted_result(result)
        counts: dict[str, list[int]] = {file: [0, 0] for file in result.inputs}
        for publication in result.publications:
            tally = counts.setdefault(publication.file, [0, 0])
            tally[0] += 1
            tally[1] += any(is_failure(f) for f in publication.findings)
        root = ET.Element("testsuites", {"name": xml_text(result.tool)})
        root.set("tests", str(sum(tests for tests, _ in counts.values())))
        root.set("failures", str(sum(failures for _, failures in counts.values())))
        root.set("errors", "0")
        stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        if not counts:
            stream.write(ET.tostring(root, encoding="unicode") + "\n")
            return
        stream.write(_start_tag(root))
        publications = iter(result.publications)
        upcoming = next(publications, None)
        for file in sorted(counts):
            tests, failures = counts[file]
            suite = ET.Element(
                "testsuite",
                {
                    "name": xml_text(file),
                    "tests": str(tests),
                    "failures": str(failures),
                    "errors": "0",
                    "skipped": "0",
                    "timestamp": result.generated_at.isoformat(),
                },
            )
            if not tests:
                stream.write("\n  " + ET.tostring(suite, encoding="unicode"))
                continue
            stream.write("\n  " + _start_tag(suite))
            while upcoming is not None and upcoming.file == file:
                case = _testcase(suite, upcoming)
                ET.indent(case, level=2)
                stream.write("\n    " + ET.tostring(case, encoding="unicode"))
                suite.remove(case)
                upcoming = next(publications, None)
            stream.write("\n  </testsuite>")
        stream.write("\n</testsuites>\n")


def _start_tag(element: ET.Element) -> str:
    """The start tag of ``element`` (which has no children yet), as ``ET.tostring`` writes it."""
    empty = ET.tostring(element, encoding="unicode")
    return empty.removesuffix(" />") + ">"
