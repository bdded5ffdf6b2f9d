"""Benchmark: the HTML report of a large list, opened and filtered in Chromium.

Renders a synthetic 50,000-publication result (``tests/report/browser/large_result.py``), opens
it from disk in headless Debian Chromium (Playwright, no browser download) and reads the
browser's own clock: ``performance.mark("trial-linker:ready")``, set when the first page of the
table and the findings are drawn, for the time to open; ``performance.now()`` around each
filter or sort, up to the next frame, for the time to apply it. Prints the medians against the
budgets of issue 12 (at most ~15 MB, opens in < 2 s, filters in < 200 ms) as ratios; nothing is
asserted. Run once:

    python bench/report.py                      # 50,000 publications, 3 runs
    python bench/report.py --publications 13000 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "report" / "browser"))

from chromium import launch, missing_reason  # noqa: E402
from large_result import large_result  # noqa: E402

from linker.report.html import HtmlReporter  # noqa: E402

BUDGET_MB = 15.0
BUDGET_OPEN_MS = 2000.0
BUDGET_FILTER_MS = 200.0


def _set(control: str, value: str, event: str = "change") -> str:
    return f"s = $('{control}'); s.value = '{value}'; s.dispatchEvent(new Event('{event}'))"


def _click(selector: str) -> str:
    return f"document.querySelector('{selector}').click()"


# Each step: (label, JavaScript that changes the view). The page redraws synchronously; the
# measurement runs until the next animation frame has been laid out.
STEPS = [
    ("text filter 'randomised'", _set("f-text", "randomised", "input")),
    ("text filter, no match", _set("f-text", "zz-no-such-term", "input")),
    ("clear text filter", _set("f-text", "", "input")),
    ("severity = error", _set("f-severity", "error")),
    ("rule = TL203", _set("f-rule", "TL203")),
    ("clear rule", _set("f-rule", "")),
    ("clear severity", _set("f-severity", "")),
    ("sort by title (first time)", _click("th[data-sort=title] button")),
    ("sort by key (natural order)", _click("th[data-sort=key] button")),
    ("sort by key again (descending)", _click("th[data-sort=key] button")),
    ("next page of the table", _click("#rows-pager button[data-go=next]")),
]

MEASURE = """async (code) => {
  const $ = (id) => document.getElementById(id);
  let s;
  const start = performance.now();
  eval(code);
  await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
  return performance.now() - start;
}"""


def _open(browser: Any, path: Path) -> tuple[Any, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("document.documentElement.dataset.ready === 'true'", timeout=60_000)
    ready = page.evaluate("performance.getEntriesByName('trial-linker:ready')[0].startTime")
    return context, float(ready)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publications", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    reason = missing_reason()
    if reason:
        sys.exit(f"bench/report.py needs Chromium and Playwright: {reason}")
    from playwright.sync_api import sync_playwright

    result = large_result(args.publications)
    started = time.perf_counter()
    html = HtmlReporter().render(result)
    render_s = time.perf_counter() - started
    size_mb = len(html.encode("utf-8")) / 1e6
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        path = Path(tmp) / "report.html"
        path.write_text(html, encoding="utf-8")
        browser = launch(playwright)
        opens: list[float] = []
        steps: dict[str, list[float]] = {label: [] for label, _ in STEPS}
        for _ in range(args.runs):
            context, ready = _open(browser, path)
            opens.append(ready)
            page = context.pages[0]
            for label, code in STEPS:
                page.evaluate("document.documentElement.dataset.ready")  # the page is idle
                steps[label].append(float(page.evaluate(MEASURE, code)))
            context.close()
        browser.close()

    findings = len(result.findings)
    print(f"HTML report of {args.publications:,} publications, {findings:,} findings")
    print(f"(median of {args.runs} runs in headless Chromium; ratio = measured / budget)\n")
    print(f"{'':34} {'measured':>12} {'budget':>10} {'ratio':>7}")
    print(f"{'file size':34} {size_mb:>9.1f} MB {BUDGET_MB:>7.0f} MB {size_mb / BUDGET_MB:>7.2f}")
    print(f"{'render in Python':34} {render_s:>10.1f} s {'':>10} {'':>7}")
    open_ms = statistics.median(opens)
    print(f"{'open (to first page drawn)':34} {open_ms:>9.0f} ms {BUDGET_OPEN_MS:>7.0f} ms "
          f"{open_ms / BUDGET_OPEN_MS:>7.2f}")  # fmt: skip
    for label, times in steps.items():
        ms = statistics.median(times)
        print(f"{label:34} {ms:>9.0f} ms {BUDGET_FILTER_MS:>7.0f} ms {ms / BUDGET_FILTER_MS:>7.2f}")


if __name__ == "__main__":
    main()
