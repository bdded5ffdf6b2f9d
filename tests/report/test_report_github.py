"""GitHub workflow-command annotations."""

from __future__ import annotations

from linker.report.github import GithubReporter, annotation, escape_data, escape_property
from linker.results import RunResult


def test_one_command_per_finding_with_mapped_severity(run_result: RunResult) -> None:
    lines = GithubReporter().render(run_result).splitlines()
    assert len(lines) == len(run_result.findings) + 1  # and one summary notice
    assert [line.split(" ", 1)[0] for line in lines] == [
        "::error",
        "::error",
        "::warning",
        "::warning",
        "::notice",
        "::notice",
    ]  # fmt: skip  errors first
    assert lines[-1].startswith("::notice title=trial-linker::5 findings")


def test_max_annotations_keeps_the_errors_and_says_how_many_were_left_out(
    run_result: RunResult,
) -> None:
    lines = GithubReporter(max_annotations=2).render(run_result).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::notice"]
    assert "3 not shown as annotations (--max-annotations 2)" in lines[-1]


def test_message_escaping() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"


def test_property_escaping() -> None:
    assert escape_property("C:\\a,b%\n") == "C%3A\\a%2Cb%25%0A"


def test_file_with_comma_and_no_column(run_result: RunResult) -> None:
    finding = next(f for f in run_result.findings if f.code == "TL101")
    assert annotation(finding) == (
        "::warning file=refs/second list%2C v2.ris,line=1,title=TL101 missing-registration"
        "::A secondary analysis of ALLHAT, SPRINT cites no registration of them."
    )


def test_multi_line_message_stays_one_command(run_result: RunResult) -> None:
    finding = run_result.findings[0].model_copy(update={"message": "one\ntwo: 50%"})
    assert annotation(finding).endswith("::one%0Atwo: 50%25")
    assert "\n" not in annotation(finding)
