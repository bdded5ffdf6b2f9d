"""The Markdown report for PR comments and job summaries."""

from __future__ import annotations

from linker.report.markdown import MarkdownReporter, escape, link
from linker.results import RunResult


def test_escape_table_and_html_metacharacters() -> None:
    assert escape("a | b <i>&</i> *x* [y](z) `c`") == (
        r"a \| b &lt;i&gt;&amp;&lt;/i&gt; \*x\* \[y\](z) \`c\`"
    )
    assert escape("two\nlines") == "two lines"


def test_links_only_to_web_addresses() -> None:
    assert link("x", None) == "x"
    assert link("x", "https://a.example/p (1)") == "[x](https://a.example/p%20%281%29)"


def test_headline_then_findings_then_details(run_result: RunResult) -> None:
    output = MarkdownReporter().render(run_result)
    headline = output.index("| Publications |")
    findings = output.index("### Findings")
    details = output.index("<details>")
    assert headline < findings < details
    # one per publication with findings, then the accepted findings and the run settings
    assert output.count("<details>") == output.count("</details>") == 6


def test_title_is_escaped_in_summary(run_result: RunResult) -> None:
    output = MarkdownReporter().render(run_result)
    assert run_result.publications[4].title.startswith("Drug X | placebo")
    assert run_result.publications[4].title not in output
    assert "Drug X | placebo in &lt;65-year-olds &amp; older, Zürich" in output


def test_every_table_row_has_the_same_number_of_cells(run_result: RunResult) -> None:
    run_result.publications[1].findings[0].message = "pipes | in | message"
    output = MarkdownReporter().render(run_result)
    table = output.split("### Findings")[1].split("###")[0].strip().splitlines()
    cells = {line.replace(r"\|", "").count("|") for line in table}
    assert cells == {6}


def test_script_in_title_is_inert(run_result: RunResult) -> None:
    run_result.publications[2].title = "<script>alert(1)</script>"
    output = MarkdownReporter().render(run_result)
    assert "<script>" not in output


def test_clean_run(empty_result: RunResult) -> None:
    output = MarkdownReporter().render(empty_result)
    assert "No findings in 0 publications." in output
    assert "<details>" not in output
