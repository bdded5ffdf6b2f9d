"""The self-contained HTML report, read as a document (the browser tests are in ``browser/``).

Registry URLs here are links inside rendered fixture results: nothing is fetched.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser

from linker.registries.interface import OutcomeKind
from linker.report.html import HtmlReporter, css_string
from linker.report.html_data import embed, publication_ids, report_data
from linker.report.summary import sorted_result
from linker.results import RunResult

RESOURCE_TAGS = {"link", "script", "img", "style", "iframe", "source", "video", "audio", "embed"}
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>"]


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._open: str | None = None
        self._attrs: dict[str, str | None] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._attrs = tag, dict(attrs)

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            self.scripts.append((self._attrs, data))
        elif self._open == "style":
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._open:
            self._open = None


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def _policy(page: _Collector) -> str:
    policies = [
        attrs["content"]
        for tag, attrs in page.tags
        if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy"
    ]
    assert len(policies) == 1 and policies[0] is not None
    return policies[0]


def _data(page: _Collector) -> dict[str, object]:
    blocks = [text for attrs, text in page.scripts if attrs.get("type") == "application/json"]
    assert len(blocks) == 1
    document: dict[str, object] = json.loads(blocks[0])
    return document


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_no_external_resources(run_result: RunResult) -> None:
    html = HtmlReporter().render(run_result)
    page = _parse(html)
    for tag, attrs in page.tags:
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            if tag in RESOURCE_TAGS:
                assert not value, f"<{tag} {name}={value}>"
            elif tag != "a":
                assert "http://" not in value and "https://" not in value, f"<{tag}>"
    assert "@import" not in html
    assert "url(" not in html


def test_policy_allows_only_the_page_own_script_and_style_by_hash(run_result: RunResult) -> None:
    page = _parse(HtmlReporter().render(run_result))
    policy = _policy(page)
    assert "default-src 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    executable = [text for attrs, text in page.scripts if "type" not in attrs]
    assert len(executable) == 1
    assert f"script-src {_sha256(executable[0])};" in policy
    assert len(page.styles) == 1
    assert f"style-src {_sha256(page.styles[0])};" in policy
    assert not [attrs for _, attrs in page.tags if "style" in attrs or "onclick" in attrs]


def test_data_is_embedded_once_and_reads_back(run_result: RunResult) -> None:
    html = HtmlReporter().render(run_result)
    data = _data(_parse(html))
    assert data == report_data(sorted_result(run_result))
    assert html.count('"publications":') == 1


def test_hostile_text_cannot_close_the_data_block(run_result: RunResult) -> None:
    publication = run_result.publications[2]
    publication.title = HOSTILE[0] + " </SCRIPT><!-- \u2028"
    publication.key = HOSTILE[1]
    publication.file = HOSTILE[2]
    html = HtmlReporter().render(run_result)
    for payload in HOSTILE:
        assert payload not in html
    page = _parse(html)
    assert sum(tag == "script" for tag, _ in page.tags) == 2
    keys = [p["k"] for p in _data(page)["publications"]]  # type: ignore[attr-defined]
    assert HOSTILE[1] in keys


def test_embedded_json_has_no_markup_characters() -> None:
    text = embed({"t": "<b>&</b>\u2028\u2029"})
    assert not re.search("[<>&\u2028\u2029]", text)
    assert json.loads(text) == {"t": "<b>&</b>\u2028\u2029"}


def test_javascript_urls_are_not_links(run_result: RunResult) -> None:
    identifier = run_result.publications[2].identifiers[0]
    identifier.url = "javascript:alert(1)"
    html = HtmlReporter().render(run_result)
    assert "javascript:alert" not in html


def test_registry_links_and_both_titles_are_in_the_data(run_result: RunResult) -> None:
    data = report_data(sorted_result(run_result))
    publications = {p["k"]: p for p in data["publications"]}
    matching = publications["24552320"]
    identifier = matching["i"][0]
    assert identifier["u"] == "https://clinicaltrials.gov/study/NCT01506986"
    assert identifier["rec"]["t"] == "Drug X Versus Placebo in Older Adults (ZURICH-X)"
    assert identifier["rec"]["reg"] == "2012-01-05"
    assert matching["t"].startswith("Drug X | placebo in <65-year-olds & older, Zürich")
    assert "pm" not in matching  # the key is the PMID: the script reads it from there
    assert publication_ids(run_result.publications[4]) == ("24552320", None)
    assert publication_ids(run_result.publications[2]) == (None, "10.1000/mobile.2019.7")


def test_static_links_are_rule_pages_with_noopener(run_result: RunResult) -> None:
    page = _parse(HtmlReporter().render(run_result))
    anchors = [attrs for tag, attrs in page.tags if tag == "a" and attrs.get("href", "#") != "#"]
    anchors = [a for a in anchors if not (a.get("href") or "").startswith("#")]
    assert anchors
    for attrs in anchors:
        assert attrs["rel"] == "noopener noreferrer"
        assert (attrs["href"] or "").startswith("https://")


def test_verdict_settings_cards_and_charts(run_result: RunResult) -> None:
    html = HtmlReporter().render(run_result)
    assert 'class="verdict fail"' in html
    assert "Fail: 4 findings at or above --fail-on warning." in html
    page = _parse(html)
    ids = {attrs.get("id") for _, attrs in page.tags}
    assert {"chart-rule", "chart-registry", "chart-year", "chart-coverage"} <= ids
    assert {"publications", "f-text", "f-severity", "f-rule", "f-registry", "f-kind"} <= ids
    assert "<dt>Fail on</dt><dd>warning</dd>" in html
    assert "<dt>Registries</dt><dd>ctgov live (data of 2025-03-13)" in html
    run_result.settings = None
    html = HtmlReporter().render(run_result)
    assert "<dt>Fail on</dt><dd>error (default; not recorded)</dd>" in html


def test_suppressed_and_baselined_findings_keep_their_reasons(run_result: RunResult) -> None:
    data = report_data(sorted_result(run_result))
    accepted = {(row["c"], row["kind"], row["why"]) for row in data["suppressed"]}
    reason = "Sponsor asked to add the cross-reference <2025-03>."
    assert accepted == {
        ("TL303", "suppressed", f"suppressed, until 2025-06-30: {reason}"),
        ("TL304", "baselined", "baseline trial-linker-baseline.json"),
    }
    assert "<b>2</b> suppressed" in HtmlReporter().render(run_result)


def test_pass_verdict_counts_what_is_below_the_threshold(run_result: RunResult) -> None:
    run_result.settings = None  # --fail-on error, unverified not allowed
    for publication in run_result.publications:
        publication.findings = [f for f in publication.findings if f.severity.value != "error"]
    html = HtmlReporter().render(run_result)
    assert "Incomplete: no finding at or above --fail-on error, but 1 identifier could" in html
    for identifier in run_result.identifiers:
        identifier.outcome = OutcomeKind.FOUND
    html = HtmlReporter().render(run_result)
    assert "Pass: no finding at or above --fail-on error (2 warnings, 1 info below it)." in html


def test_chart_colours_follow_the_reported_severity(run_result: RunResult) -> None:
    html = HtmlReporter().render(run_result)
    rule_chart = html.split('id="chart-rule"')[1].split("</figure>")[0]
    row = rule_chart.split("TL101 missing-registration")[1].split("</tr>")[0]
    assert 'class="sev-warning"' in row and 'class="sev-error"' not in row


def test_every_control_has_a_label(run_result: RunResult) -> None:
    page = _parse(HtmlReporter().render(run_result))
    labelled = {attrs.get("for") for tag, attrs in page.tags if tag == "label"}
    controls = [attrs.get("id") for tag, attrs in page.tags if tag in ("input", "select")]
    assert controls and set(controls) <= labelled


def test_print_header_is_a_safe_css_string() -> None:
    escaped = '"a\\000022 b\\00005c c\\00003c /style\\00003e  \\0000b7 "'
    assert css_string('a"b\\c</style> ·') == escaped
