"""CI limits: GitHub's 1 MiB step summary; GitLab Code Quality's shape."""

from __future__ import annotations

import json

from linker.report.gitlab import GitlabReporter
from linker.report.markdown import MAX_BYTES, MarkdownReporter
from linker.results import RunResult


def many(result: RunResult, copies: int) -> RunResult:
    publications = [
        p.model_copy(update={"key": f"{p.key}-{n}", "line": p.line + 1000 * n})
        for n in range(copies)
        for p in result.publications
    ]
    return result.model_copy(update={"publications": publications})


def test_markdown_summary_stays_under_the_cap_most_serious_first(run_result: RunResult) -> None:
    big = many(run_result, 3000)  # 15,000 findings
    text = MarkdownReporter().render(big)
    assert len(text.encode("utf-8")) <= MAX_BYTES < 1024 * 1024
    assert "left out** (the most serious are listed)" in text
    rows = [line for line in text.splitlines() if line.startswith("| 🔴") or "| 🟡" in line[:8]]
    assert rows[0].startswith("| 🔴")
    small = MarkdownReporter(max_bytes=4000).render(big)
    assert len(small.encode("utf-8")) <= 4000
    assert "left out" in small


def test_markdown_small_result_is_not_capped(run_result: RunResult) -> None:
    assert "left out" not in MarkdownReporter().render(run_result)


def test_gitlab_code_quality_shape(run_result: RunResult) -> None:
    issues = json.loads(GitlabReporter().render(run_result))
    assert len(issues) == len(run_result.findings)
    fingerprints = [i["fingerprint"] for i in issues]
    assert len(set(fingerprints)) == len(fingerprints)
    assert fingerprints == [
        i["fingerprint"] for i in json.loads(GitlabReporter().render(run_result))
    ]
    for item in issues:
        assert set(item) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert item["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert isinstance(item["location"]["path"], str)
        assert isinstance(item["location"]["lines"]["begin"], int)
    assert {i["severity"] for i in issues} == {"major", "minor", "info"}
    doubled = many(run_result, 2).model_copy()
    for publication in doubled.publications:  # the same findings twice: still unique
        publication.key = "same"
    again = json.loads(GitlabReporter().render(doubled))
    assert len({i["fingerprint"] for i in again}) == len(again)
    assert (
        json.loads(GitlabReporter().render(run_result.model_copy(update={"publications": []})))
        == []
    )
