"""The self-contained HTML report.

Registry URLs here are links inside rendered fixture results: nothing is fetched.
"""

from __future__ import annotations

from html.parser import HTMLParser

from linker.report.html import HtmlReporter
from linker.results import RunResult

RESOURCE_TAGS = {"link", "script", "img", "style", "iframe", "source", "video", "audio", "embed"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_no_external_resources(run_result: RunResult) -> None:
    page = _parse(HtmlReporter().render(run_result))
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if tag in RESOURCE_TAGS:
                assert not value, f"<{tag} {name}={value}>"
            elif tag != "a":
                assert "http://" not in value and "https://" not in value, f"<{tag}>"
    assert "@import" not in HtmlReporter().render(run_result)
    assert "url(" not in HtmlReporter().render(run_result)


def test_external_links_are_registry_or_rule_pages_with_noopener(run_result: RunResult) -> None:
    page = _parse(HtmlReporter().render(run_result))
    anchors = [attrs for tag, attrs in page.tags if tag == "a"]
    assert anchors
    for attrs in anchors:
        assert attrs["rel"] == "noopener noreferrer"
    hrefs = {attrs["href"] for attrs in anchors}
    assert "https://clinicaltrials.gov/study/NCT01506986" in hrefs
    assert "https://www.isrctn.com/ISRCTN12345678" in hrefs


def test_script_in_title_is_escaped(run_result: RunResult) -> None:
    run_result.publications[2].title = "<script>alert(1)</script>"
    html = HtmlReporter().render(run_result)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert sum(tag == "script" for tag, _ in _parse(html).tags) == 1


def test_attribute_injection_is_escaped(run_result: RunResult) -> None:
    run_result.publications[2].key = '" onmouseover="alert(1)'
    html = HtmlReporter().render(run_result)
    assert 'onmouseover="alert(1)' not in html


def test_javascript_urls_are_not_links(run_result: RunResult) -> None:
    identifier = run_result.publications[2].identifiers[0]
    identifier.url = "javascript:alert(1)"
    html = HtmlReporter().render(run_result)
    assert "javascript:alert" not in html


def test_paper_and_registry_titles_side_by_side(run_result: RunResult) -> None:
    html = HtmlReporter().render(run_result)
    assert "Drug X Versus Placebo in Older Adults (ZURICH-X)" in html
    assert "Drug X | placebo in &lt;65-year-olds &amp; older, Zürich" in html


def test_headline_charts_and_table(run_result: RunResult) -> None:
    page = _parse(HtmlReporter().render(run_result))
    tags = [tag for tag, _ in page.tags]
    assert tags.count("svg") == 2
    assert tags.count("tr") == 1 + len(run_result.publications)
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {"publications", "filter", "severity"} <= ids


def test_content_security_policy_forbids_requests(run_result: RunResult) -> None:
    page = _parse(HtmlReporter().render(run_result))
    policies = [
        attrs["content"]
        for tag, attrs in page.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert policies and policies[0] is not None and "default-src 'none'" in policies[0]
