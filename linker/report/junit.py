"""JUnit XML for test-report UIs (GitLab, Jenkins, GitHub test-reporter actions).

One ``testsuite`` per input file, one ``testcase`` per publication. Error and warning findings
are ``failure`` elements (``type`` = rule code); info findings are advisory and go to the
test case's ``system-out``, so they never turn a report red.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from linker.report.escape import xml_text
from linker.report.interface import Reporter
from linker.report.summary import location, short_title, sorted_result
from linker.results import Finding, PublicationResult, RunResult, Severity


def is_failure(finding: Finding) -> bool:
    return finding.severity is not Severity.INFO


def _describe(finding: Finding) -> str:
    where = location(finding.file, finding.line, finding.column)
    return f"{where} {finding.code} [{finding.severity.value}] {finding.name}: {finding.message}"


def _testcase(parent: ET.Element, publication: PublicationResult) -> None:
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


class JunitReporter(Reporter):
    def render(self, result: RunResult) -> str:
        result = sorted_result(result)
        files = sorted({*result.inputs, *(p.file for p in result.publications)})
        root = ET.Element("testsuites", {"name": xml_text(result.tool)})
        total_tests = total_failures = 0
        for file in files:
            publications = [p for p in result.publications if p.file == file]
            failures = sum(any(is_failure(f) for f in p.findings) for p in publications)
            suite = ET.SubElement(
                root,
                "testsuite",
                {
                    "name": xml_text(file),
                    "tests": str(len(publications)),
                    "failures": str(failures),
                    "errors": "0",
                    "skipped": "0",
                    "timestamp": result.generated_at.isoformat(),
                },
            )
            for publication in publications:
                _testcase(suite, publication)
            total_tests += len(publications)
            total_failures += failures
        root.set("tests", str(total_tests))
        root.set("failures", str(total_failures))
        root.set("errors", "0")
        ET.indent(root)
        body = ET.tostring(root, encoding="unicode")
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
