"""The HTML report in a real browser: Debian's Chromium driven by Playwright.

Files are opened from a temporary directory by ``file://``; every test checks that the page
made no request but for the file itself. Screenshots go to a temporary directory (and to
``$TRIAL_LINKER_SCREENSHOTS`` when set, e.g. ``docs/img`` to refresh the README's).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from large_result import large_result

from linker.models import Classification, Registry, Role
from linker.registries.interface import OutcomeKind, PartialDate
from linker.report.html import HtmlReporter
from linker.results import (
    Finding,
    IdentifierResult,
    PublicationResult,
    RecordSummary,
    RunResult,
    Severity,
)

GOLDEN_SEED = Path(__file__).resolve().parents[1] / "golden" / "seed" / "report.html"
HOSTILE = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "<svg onload=alert(1)>"]
HEADERS = [
    "Key", "Title", "Location", "Year", "Classification", "Identifiers",
    "Errors", "Warnings", "Info", "Worst",
]  # fmt: skip


def wait_until(page: Any, expression: str, timeout: float = 30.0) -> None:
    """Poll ``expression`` with ``page.evaluate`` until it is true.

    Not ``page.wait_for_function``: under the report's Content-Security-Policy (no
    'unsafe-eval') Playwright's repeated polling of a string predicate can be refused as an
    eval, which made the test fail now and then (microsoft/playwright#36982). One evaluation
    at a time goes through the DevTools protocol, which the policy does not block.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {timeout:.0f} s: {expression}")
        time.sleep(0.02)


@dataclass
class Opened:
    page: Any
    console: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def rows(self) -> int:
        return int(self.page.locator("#rows tr:not(.detail):not(.nothing)").count())

    def keys(self) -> list[str]:
        return [t.strip("+− \n") for t in self.page.locator("#rows td.key code").all_inner_texts()]

    def cards(self) -> int:
        return int(self.page.locator("#findings article.finding").count())

    def status(self) -> str:
        return str(self.page.locator("#f-status").inner_text())

    def assert_quiet(self, path: Path) -> None:
        assert self.console == []
        assert self.dialogs == []
        assert set(self.requests) <= {path.as_uri()}


@pytest.fixture
def opener(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []

    def open_report(path: Path, fragment: str = "", width: int = 1400) -> Opened:
        context = browser.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        # A second wall beside the browser's own settings: a report links to the live
        # registries, and no request for one leaves the browser (each is still recorded).
        context.route(re.compile(r"^(?:https?|wss?)://"), lambda route: route.abort())
        page = context.new_page()
        opened = Opened(page)
        page.on(
            "console", lambda m: m.type in ("error", "warning") and opened.console.append(m.text)
        )
        page.on("pageerror", lambda e: opened.console.append(f"pageerror: {e}"))
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(path.as_uri() + fragment)
        wait_until(page, "document.documentElement.dataset.ready === 'true'")
        return opened

    yield open_report
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "report.html"
    shutil.copyfile(GOLDEN_SEED, path)
    return path


def _write(result: RunResult, directory: Path, name: str = "report.html") -> Path:
    path = directory / name
    path.write_text(HtmlReporter().render(result), encoding="utf-8")
    return path


def _screenshots(opened: Opened, directory: Path) -> list[Path]:
    """Desktop, phone and print views, whole pages into ``directory``; the first screen of
    each into ``$TRIAL_LINKER_SCREENSHOTS`` (the README's, kept small)."""
    page, saved = opened.page, []
    docs = os.environ.get("TRIAL_LINKER_SCREENSHOTS")
    shots = [("desktop", 1400, 1000, "screen"), ("phone", 390, 844, "screen")]
    shots.append(("print", 794, 1123, "print"))  # A4 at 96 dpi
    for name, width, height, media in shots:
        page.set_viewport_size({"width": width, "height": height})
        page.emulate_media(media=media)
        saved.append(directory / f"report-{name}.png")
        page.screenshot(path=str(saved[-1]), full_page=True)
        if docs:
            Path(docs).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(docs) / f"report-{name}.png"))
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1400, "height": 900})
    return saved


def test_seed_report_renders_quietly_and_fits(
    opener: Any, seed_report: Path, tmp_path: Path
) -> None:
    opened = opener(seed_report)
    assert opened.rows() == 11
    assert opened.cards() == 1
    assert opened.status() == "Showing 11 of 11 publications and 1 of 1 findings."
    page = opened.page
    wrap = page.evaluate("[document.querySelector('#publications').scrollWidth, innerWidth]")
    assert wrap[0] <= wrap[1], "the table overflows at 1,400 px"
    assert page.locator("#verdict").inner_text().startswith("✓ Pass")
    suggested = page.locator("article.finding .suggestions a")
    assert suggested.all_inner_texts() == ["ISRCTN13790648", "ISRCTN83571366"]
    saved = _screenshots(opened, tmp_path)
    assert all(path.stat().st_size > 10_000 for path in saved)
    opened.assert_quiet(seed_report)


def test_phone_width_has_no_horizontal_overflow(opener: Any, seed_report: Path) -> None:
    opened = opener(seed_report, width=390)
    assert opened.page.evaluate("document.documentElement.scrollWidth") <= 390
    opened.assert_quiet(seed_report)


# Every element with its own text: its colour against the first opaque background behind it,
# against WCAG AA (4.5:1, or 3:1 for large text).
CONTRAST = """() => {
  const rgb = (c) => (c.match(/[0-9.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || c[3] > 0.9) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === "hidden" || el.getClientRects().length === 0) continue;
    if (el.closest(".visually-hidden, .skip")) continue;
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (!(ratio >= needed)) failures.push(el.tagName + "." + el.className + " " + ratio);
  }
  return failures;
}"""


def test_text_contrast_meets_wcag_aa(opener: Any, seed_report: Path) -> None:
    opened = opener(seed_report)
    for toggle in opened.page.locator("button.toggle").all():
        toggle.click()
    opened.page.locator("#suppressed-details summary").click()
    assert opened.page.evaluate(CONTRAST) == []


def test_sorting_is_typed_and_orders_the_findings_too(opener: Any, seed_report: Path) -> None:
    opened = opener(seed_report)
    page = opened.page
    key = page.locator("th[data-sort=key] button")
    key.click()
    expected = [f"fixtures/publications/publications.txt#{n}" for n in range(1, 12)]
    assert opened.keys() == expected
    assert page.locator("th[data-sort=key]").get_attribute("aria-sort") == "ascending"
    key.click()
    assert opened.keys() == expected[::-1]
    first_card = page.locator("#findings article.finding").first.inner_text()
    assert "publications.txt#8" in first_card
    page.locator("th[data-sort=warning] button").click()
    assert page.locator("th[data-sort=warning]").get_attribute("aria-sort") == "descending"
    warnings = page.locator("#rows tr td:nth-child(8)").all_inner_texts()
    assert warnings == sorted(warnings, reverse=True) and warnings[0] == "1"
    page.locator("th[data-sort=year] button").click()
    assert "sort=year" in page.evaluate("location.hash")
    opened.assert_quiet(seed_report)


def test_keyboard_sorts_and_filters(opener: Any, seed_report: Path) -> None:
    opened = opener(seed_report)
    page = opened.page
    page.locator("th[data-sort=key] button").focus()
    page.keyboard.press("Enter")
    assert opened.keys()[-1].endswith("#11")
    page.locator("#f-text").focus()
    page.keyboard.type("helicobacter")
    assert opened.rows() == 1
    opened.assert_quiet(seed_report)


def test_one_filter_for_table_and_findings_restored_from_the_hash(
    opener: Any, run_result: RunResult, tmp_path: Path
) -> None:
    path = _write(run_result, tmp_path)
    opened = opener(path)
    page = opened.page
    assert (opened.rows(), opened.cards()) == (5, 5)
    page.select_option("#f-severity", "warning")
    assert (opened.rows(), opened.cards()) == (2, 2)
    page.select_option("#f-rule", "TL203")
    assert (opened.rows(), opened.cards()) == (1, 1)
    page.select_option("#f-severity", "error")
    assert (opened.rows(), opened.cards()) == (0, 0)
    page.select_option("#f-severity", "")
    page.select_option("#f-rule", "")
    page.select_option("#f-registry", "ctgov")
    assert (opened.rows(), opened.cards()) == (2, 3)
    page.fill("#f-text", "mobile trial")
    fragment = page.evaluate("location.hash")
    assert "reg=ctgov" in fragment and "q=mobile+trial" in fragment
    assert (opened.keys(), opened.cards()) == (["10.1000/mobile.2019.7"], 2)
    again = opener(path, fragment)
    assert (again.keys(), again.cards()) == (["10.1000/mobile.2019.7"], 2)
    assert again.page.input_value("#f-text") == "mobile trial"
    assert again.page.input_value("#f-registry") == "ctgov"
    again.page.select_option("#f-kind", "not-trial")
    assert again.rows() == 0 and again.cards() == 0
    again.page.click("#f-clear")
    wait_until(again.page, "document.querySelectorAll('#rows tr').length === 5")
    assert again.page.evaluate("location.hash") == ""
    opened.assert_quiet(path)
    again.assert_quiet(path)


def test_grouped_findings_have_a_heading_per_rule(
    opener: Any, run_result: RunResult, tmp_path: Path
) -> None:
    path = _write(run_result, tmp_path)
    opened = opener(path, "#group=rule")
    assert opened.page.locator("#findings h3.group").all_inner_texts() == [
        "TL101 missing-registration (1)",
        "TL102 malformed-id (1)",
        "TL201 id-not-found (1)",
        "TL203 unverified-id (1)",
        "TL304 results-not-posted (1)",
    ]
    opened.page.select_option("#f-group", "severity")
    assert "group=severity" in opened.page.evaluate("location.hash")
    assert opened.page.locator("#findings h3.group").all_inner_texts() == [
        "error (2)",
        "warning (2)",
        "info (1)",
    ]
    opened.assert_quiet(path)


def _cross_registered() -> PublicationResult:
    """The HEAT paper with its ISRCTN and CT.gov records, neither listing the other."""
    title = "Eradication of Helicobacter pylori for prevention of ulcer bleeding: the HEAT RCT"
    ids = [
        (Registry.ISRCTN, "ISRCTN10134725", "https://www.isrctn.com/", "2012-02-06"),
        (Registry.CTGOV, "NCT01506986", "https://clinicaltrials.gov/study/", "2012-01-05"),
    ]
    identifiers = [
        IdentifierResult(
            registry=registry,
            id=id_,
            raw=id_,
            file="heat.txt",
            line=3,
            column=10 * n + 1,
            role=Role.OWN,
            valid_format=True,
            outcome=OutcomeKind.FOUND,
            url=url,
            record=RecordSummary(
                registry=registry,
                id=id_,
                url=url,
                title="Helicobacter pylori eradication for the prevention of ulcer bleeding",
                registration_date=PartialDate(value=registered),
                start_date=PartialDate(value="2012-09-14"),
            ),
        )
        for n, (registry, id_, site, registered) in enumerate(ids)
        for url in [site + id_]
    ]
    finding = Finding(
        code="TL303",
        name="unlinked-cross-registration",
        severity=Severity.WARNING,
        message="ISRCTN10134725 and NCT01506986 look like registrations of one trial",
        publication="heat",
        file="heat.txt",
        line=3,
        column=11,
        identifier="ISRCTN10134725+NCT01506986",
        fingerprint="heat-303",
    )
    return PublicationResult(
        key="heat",
        title=title,
        file="heat.txt",
        line=1,
        end_line=4,
        classification=Classification.TRIAL_RESULTS,
        identifiers=identifiers,
        findings=[finding],
    )


def test_cross_registration_shows_both_records_and_shared_words(
    opener: Any, run_result: RunResult, tmp_path: Path
) -> None:
    run_result.publications.append(_cross_registered())
    path = _write(run_result, tmp_path)
    opened = opener(path, "#rule=TL303")
    card = opened.page.locator("#findings article.finding")
    assert card.count() == 1
    panels = card.locator(".side > div")
    assert panels.count() == 2
    assert "ISRCTN10134725" in panels.nth(0).inner_text()
    assert "NCT01506986" in panels.nth(1).inner_text()
    assert "lists\nno other registration" in panels.nth(1).inner_text()
    opened.page.fill("#f-text", "")
    opened.page.select_option("#f-rule", "TL304")
    marks = opened.page.locator("#findings mark").all_inner_texts()
    assert {"Drug", "Placebo"} <= set(marks)
    opened.assert_quiet(path)


def test_details_show_links_and_a_timeline_with_the_retrospective_gap(
    opener: Any, run_result: RunResult, tmp_path: Path
) -> None:
    publication = next(p for p in run_result.publications if p.key == "24552320")
    record = publication.identifiers[0].record
    assert record is not None
    record.registration_date = PartialDate(value="2012-05-01")
    path = _write(run_result, tmp_path)
    opened = opener(path)
    page = opened.page
    page.locator('button.toggle[aria-label="Details of 24552320"]').click()
    detail = page.locator("tr.detail")
    assert detail.locator(".events li").all_inner_texts() == [
        "started 2012-02",
        "registered 2012-05-01",
        "completed 2014-06",
        "published 2014",
    ]
    assert "Registered 3 month(s) after the trial started" in detail.inner_text()
    links = page.locator("#rows a").evaluate_all("(links) => links.map((a) => a.href)")
    assert "https://pubmed.ncbi.nlm.nih.gov/24552320/" in links
    assert "https://doi.org/10.1000/mobile.2019.7" in links
    assert page.locator("button.toggle[aria-expanded=true]").count() == 1
    opened.assert_quiet(path)


def test_hostile_text_is_shown_as_text_and_runs_nothing(
    opener: Any, run_result: RunResult, tmp_path: Path
) -> None:
    publication = run_result.publications[2]
    publication.title = " ".join(HOSTILE)
    publication.key = HOSTILE[1]
    publication.file = HOSTILE[2]
    publication.evidence = [f"abstract: {HOSTILE[0]}"]
    publication.trial_names = [HOSTILE[2]]
    for finding in publication.findings:
        finding.message = HOSTILE[1]
        finding.publication = publication.key
        finding.file = publication.file
        finding.paper_title = publication.title
    for identifier in publication.identifiers:
        identifier.file = publication.file
        identifier.reason = HOSTILE[0]
    run_result.inputs.append(publication.file)
    path = _write(run_result, tmp_path)
    opened = opener(path)
    page = opened.page
    for toggle in page.locator("button.toggle").all():
        toggle.click()
    text = page.locator("body").inner_text()
    for payload in HOSTILE:
        assert payload in text
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.querySelectorAll('[onload], [onerror]').length") == 0
    assert page.evaluate("document.querySelectorAll('script').length") == 2
    opened.assert_quiet(path)


def test_print_to_pdf_keeps_every_column_and_the_header(
    opener: Any, seed_report: Path, tmp_path: Path
) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    opened = opener(seed_report)
    pdf = tmp_path / "report.pdf"
    opened.page.pdf(path=str(pdf), prefer_css_page_size=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = [page for page in text.split("\f") if page.strip()]
    lines = [line for page in pages for line in page.splitlines()]
    header_line = next(line for line in lines if "Warnings" in line and "Worst" in line)
    for header in HEADERS:
        assert header in header_line, header
    assert all("trial-linker report: publications.txt" in page for page in pages)
    assert "Download CSV" not in text and "Clear filters" not in text
    assert "<https://clinicaltrials.gov/study/NCT01506986>" in re.sub(r"\s+", "", text)
    opened.assert_quiet(seed_report)


def test_print_shows_every_row_of_the_view_not_only_the_page(opener: Any, tmp_path: Path) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = large_result(120)
    path = _write(result, tmp_path)
    opened = opener(path)
    assert opened.rows() == 50
    pdf = tmp_path / "report.pdf"
    opened.page.pdf(path=str(pdf), prefer_css_page_size=True)
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True).stdout
    printed = set(re.findall(r"\b2000\d{4}\b", text.decode()))
    assert printed == {p.key for p in result.publications if p.key.isdigit()}
    assert opened.rows() == 50  # back to one page after printing
    opened.assert_quiet(path)


def test_csv_download_is_the_filtered_view_and_formula_safe(
    opener: Any, run_result: RunResult, tmp_path: Path
) -> None:
    run_result.publications[2].title = '=HYPERLINK("http://example.invalid","x")'
    path = _write(run_result, tmp_path)
    opened = opener(path)
    page = opened.page
    page.select_option("#f-severity", "error")
    with page.expect_download() as download:
        page.click("#csv")
    content = Path(download.value.path()).read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert [row["key"] for row in rows] == opened.keys()
    assert len(rows) == 1 and rows[0]["errors"] == "2"
    assert rows[0]["title"].startswith("'=HYPERLINK(")
    local = {path.as_uri()} | {r for r in opened.requests if r.startswith("blob:")}
    assert set(opened.requests) <= local
    assert opened.console == [] and opened.dialogs == []


@pytest.fixture(scope="module")
def large_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    result = large_result(50_000)
    return _write(result, tmp_path_factory.mktemp("large")), result


def test_a_50000_publication_report_opens_and_filters(
    opener: Any, large_report: tuple[Path, RunResult]
) -> None:
    path, result = large_report
    assert path.stat().st_size < 15_000_000
    opened = opener(path)
    page = opened.page
    errors = sum(any(f.severity is Severity.ERROR for f in p.findings) for p in result.publications)
    findings = sum(f.severity is Severity.ERROR for f in result.findings)
    assert opened.status().startswith("Showing 50,000 of 50,000 publications")
    assert opened.rows() == 50
    page.select_option("#f-severity", "error")
    total = len(result.findings)
    assert opened.status() == (
        f"Showing {errors:,} of 50,000 publications and {findings:,} of {total:,} findings."
    )
    page.locator("th[data-sort=error] button").click()
    assert int(page.locator("#rows tr td:nth-child(7)").first.inner_text()) >= 1
    page.select_option("#f-severity", "")
    page.fill("#f-text", "20012345")
    assert opened.keys() == ["20012345"]
    page.fill("#f-text", "")
    page.locator("#rows-pager button", has_text="Next").click()
    assert "page=2" in page.evaluate("location.hash")
    opened.assert_quiet(path)
