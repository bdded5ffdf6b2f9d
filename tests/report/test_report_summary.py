"""Sorting and headline figures shared by the reporters."""

from __future__ import annotations

from linker.report.summary import Summary, plural, severity_counts, sorted_result
from linker.results import RunResult, Severity


def test_sorted_by_file_line_then_identifier_and_finding_position(run_result: RunResult) -> None:
    result = sorted_result(run_result)
    assert [(p.file, p.line) for p in result.publications] == sorted(
        (p.file, p.line) for p in result.publications
    )
    mobile = next(p for p in result.publications if p.key == "10.1000/mobile.2019.7")
    assert [(i.line, i.column) for i in mobile.identifiers] == [(6, 80), (7, 12)]
    assert [f.code for f in mobile.findings] == ["TL102", "TL201"]


def test_sorting_does_not_touch_the_input(run_result: RunResult) -> None:
    before = run_result.model_dump()
    sorted_result(run_result)
    assert run_result.model_dump() == before


def test_summary_figures(run_result: RunResult) -> None:
    summary = Summary.of(run_result)
    assert summary.publications == 5
    assert summary.trial_reports == 3
    assert summary.trial_reports_registered == 3
    assert summary.identifiers == 4
    assert summary.verified == 1
    assert summary.by_outcome["not_found"] == 1
    assert summary.by_outcome["unverified"] == 1
    assert summary.by_outcome["not_checked"] == 1
    assert summary.by_severity == {Severity.ERROR: 2, Severity.WARNING: 2, Severity.INFO: 1}
    assert list(summary.by_rule) == ["TL101", "TL102", "TL201", "TL203", "TL304"]
    assert summary.findings == 5


def test_plurals(run_result: RunResult) -> None:
    assert plural(1, "error") == "1 error"
    assert plural(2, "warning") == "2 warnings"
    assert plural(3, "info") == "3 info"
    assert severity_counts(run_result.findings) == "2 errors, 2 warnings, 1 info"
