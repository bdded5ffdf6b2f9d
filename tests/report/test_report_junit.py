"""JUnit XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from linker.report.junit import JunitReporter
from linker.results import RunResult


def _root(result: RunResult) -> ET.Element:
    return ET.fromstring(JunitReporter().render(result).encode("utf-8"))


def test_a_suite_per_input_and_a_case_per_publication(run_result: RunResult) -> None:
    root = _root(run_result)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == run_result.inputs
    assert [s.get("tests") for s in suites] == ["2", "3"]
    assert root.get("tests") == "5"
    case = suites[0].findall("testcase")[1]
    assert case.get("classname") == "lists/publications.txt"
    assert case.get("file") == "lists/publications.txt"
    assert case.get("line") == "5"
    assert case.get("name", "").startswith("10.1000/mobile.2019.7 Early mobilisation")


def test_errors_and_warnings_fail_info_is_output(run_result: RunResult) -> None:
    root = _root(run_result)
    failures = root.findall(".//failure")
    assert [f.get("type") for f in failures] == ["TL102", "TL201", "TL101", "TL203"]
    assert root.get("failures") == "3"
    outputs = root.findall(".//system-out")
    assert len(outputs) == 1 and "TL304" in (outputs[0].text or "")


def test_special_characters_round_trip(run_result: RunResult) -> None:
    run_result.publications[4].title = 'a <b> & "c" \x01 ü'
    case = _root(run_result).find(".//testcase")
    assert case is not None
    assert case.get("name") == '24552320 a <b> & "c" \ufffd ü'


def test_empty_input_file_still_has_a_suite(empty_result: RunResult) -> None:
    suites = _root(empty_result).findall("testsuite")
    assert [(s.get("name"), s.get("tests")) for s in suites] == [("lists/publications.txt", "0")]
