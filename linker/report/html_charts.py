"""The HTML report's charts: stacked horizontal bars, one per rule, registry or year.

A chart is a table (label, bar, count), so it wraps on a phone, prints, and reads out in a
screen reader; the bar itself is a small SVG stretched to the cell with one rectangle per part.
Parts are coloured by what was actually reported (a rule whose only finding is a warning is a
warning bar, whatever its default severity).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from linker.models import Registry
from linker.report.html_data import OUTCOME_LABELS, registry_name
from linker.report.summary import (
    OUTCOME_LABELS as OUTCOME_ORDER,
)
from linker.report.summary import (
    SEVERITIES,
    has_own_registration,
    is_trial_report,
    outcome_label,
    worst_severity,
)
from linker.results import RunResult, Severity
from linker.rules.catalog import BY_CODE


@dataclass(frozen=True)
class Part:
    css_class: str
    label: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    label: str
    total: int
    parts: list[Part]
    filter_key: str = ""
    filter_value: str = ""

    @property
    def breakdown(self) -> str:
        """``2 warning, 1 info``: the parts of the bar in words, when there is more than one."""
        shown = [f"{p.count} {p.label}" for p in self.parts if p.count]
        return ", ".join(shown) if len(shown) > 1 else ""


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    rows: list[Row]
    empty: str


def _rows(
    items: list[tuple[str, list[tuple[str, str, int]], str, str]],
) -> list[Row]:
    """Rows scaled to the largest total; each part is (css class, label, count)."""
    largest = max((sum(c for _, _, c in parts) for _, parts, _, _ in items), default=0) or 1
    rows: list[Row] = []
    for label, parts, key, value in items:
        x = 0.0
        placed: list[Part] = []
        for css_class, part_label, count in parts:
            width = 100 * count / largest
            placed.append(Part(css_class, part_label, count, round(x, 3), round(width, 3)))
            x += width
        rows.append(Row(label, sum(p.count for p in placed), placed, key, value))
    return rows


def by_rule(result: RunResult) -> Chart:
    counts = Counter((f.code, f.severity.value) for p in result.publications for f in p.findings)
    codes = sorted({code for code, _ in counts})
    items = []
    for code in codes:
        rule = BY_CODE.get(code)
        label = f"{code} {rule.name}" if rule else code
        parts = [(f"sev-{s.value}", s.value, counts[(code, s.value)]) for s in SEVERITIES]
        items.append((label, parts, "rule", code))
    return Chart("chart-rule", "Findings by rule", _rows(items), "No findings.")


def by_registry(result: RunResult) -> Chart:
    counts = Counter(
        (i.registry, outcome_label(i)) for p in result.publications for i in p.identifiers
    )
    registries = [r for r in Registry if any(reg is r for reg, _ in counts)]
    items = []
    for registry in registries:
        parts = [
            (f"out-{o}", OUTCOME_LABELS[o], counts[(registry, o)])
            for o in OUTCOME_ORDER
            if counts[(registry, o)]
        ]
        items.append((registry_name(registry), parts, "registry", registry.value))
    return Chart("chart-registry", "Identifiers by registry", _rows(items), "No identifiers.")


def by_year(result: RunResult) -> Chart:
    counts: Counter[tuple[int | None, Severity | str]] = Counter()
    for publication in result.publications:
        worst = worst_severity(publication.findings)
        counts[(publication.year, worst or "none")] += 1
    years = sorted({year for year, _ in counts}, key=lambda y: (y is None, y or 0))
    items = []
    for year in years:
        parts = [
            (f"sev-{s.value}", f"worst {s.value}", counts[(year, s.value)]) for s in SEVERITIES
        ]
        parts.append(("sev-none", "no findings", counts[(year, "none")]))
        label = str(year) if year is not None else "year unknown"
        items.append((label, parts, "", ""))
    return Chart("chart-year", "Publications by year", _rows(items), "No publications.")


def coverage(result: RunResult) -> Chart:
    trial_reports = registered = 0
    for publication in result.publications:
        if is_trial_report(publication):
            trial_reports += 1
            registered += has_own_registration(publication)
    items = [
        ("with an own registration", [("cov-yes", "registered", registered)], "", ""),
        (
            "without",
            [("cov-no", "unregistered", trial_reports - registered)],
            "",
            "",
        ),
    ]
    empty = "No trial reports."
    return Chart("chart-coverage", "Registration of trial reports", _rows(items), empty)


def charts(result: RunResult) -> list[Chart]:
    return [by_rule(result), by_registry(result), by_year(result), coverage(result)]
