"""Reports for audits too large to list publication by publication: counts per rule, per
registry and per publication year (Markdown or HTML), and the per-publication table as CSV or
Parquet (Parquet needs the ``[parquet]`` extra: pyarrow)."""

from __future__ import annotations

import html
import importlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linker.errors import ConfigError
from linker.report.escape import csv_line
from linker.report.markdown import escape
from linker.results import PublicationResult, RunResult

TABLE_COLUMNS = (
    "key",
    "file",
    "line",
    "year",
    "classification",
    "identifiers",
    "outcomes",
    "findings",
    "worst",
)


@dataclass
class ScaleCounts:
    publications: int = 0
    by_classification: Counter[str] = field(default_factory=Counter)
    by_rule: Counter[str] = field(default_factory=Counter)
    by_registry: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_year: Counter[tuple[str, str]] = field(default_factory=Counter)
    snapshot_dates: Counter[str] = field(default_factory=Counter)

    def add(self, publication: PublicationResult) -> None:
        self.publications += 1
        self.by_classification[publication.classification.value] += 1
        year = str(publication.year) if publication.year else "unknown"
        self.by_year[(year, "publications")] += 1
        if publication.findings:
            self.by_year[(year, "with findings")] += 1
        for finding in publication.findings:
            self.by_rule[f"{finding.code} {finding.name} ({finding.severity.value})"] += 1
        for identifier in publication.identifiers:
            outcome = identifier.outcome.value if identifier.outcome else "not_checked"
            self.by_registry[(identifier.registry.value, outcome)] += 1
            if identifier.snapshot_date is not None:
                key = f"{identifier.registry.value} {identifier.snapshot_date.isoformat()}"
                self.snapshot_dates[key] += 1


def count(publications: Iterable[PublicationResult]) -> ScaleCounts:
    counts = ScaleCounts()
    for publication in publications:
        counts.add(publication)
    return counts


def _tables(counts: ScaleCounts) -> list[tuple[str, list[str], list[list[str]]]]:
    registries = sorted({r for r, _ in counts.by_registry})
    outcomes = sorted({o for _, o in counts.by_registry})
    years = sorted({y for y, _ in counts.by_year})
    return [
        (
            "Publications",
            ["classification", "publications"],
            [[k, str(v)] for k, v in sorted(counts.by_classification.items())]
            + [["total", str(counts.publications)]],
        ),
        (
            "Findings per rule",
            ["rule", "findings"],
            [[k, str(v)] for k, v in sorted(counts.by_rule.items())],
        ),
        (
            "Identifiers per registry",
            ["registry", *outcomes],
            [[r, *(str(counts.by_registry[(r, o)]) for o in outcomes)] for r in registries],
        ),
        (
            "Publications per year",
            ["year", "publications", "with findings"],
            [
                [
                    y,
                    str(counts.by_year[(y, "publications")]),
                    str(counts.by_year[(y, "with findings")]),
                ]
                for y in years
            ],
        ),
        (
            "Answers from registry snapshots",
            ["registry and data date", "identifiers"],
            [[k, str(v)] for k, v in sorted(counts.snapshot_dates.items())],
        ),
    ]


def render_markdown(result: RunResult, counts: ScaleCounts) -> str:
    out = [f"# trial-linker audit summary\n\n{len(result.inputs)} input files, "
           f"{counts.publications} publications (trial-linker {result.tool_version}, "
           f"{result.generated_at.isoformat()}).\n"]  # fmt: skip
    for title, header, rows in _tables(counts):
        if not rows:
            continue
        out.append(f"\n## {title}\n\n| " + " | ".join(header) + " |\n")
        out.append("|" + "---|" * len(header) + "\n")
        out.extend("| " + " | ".join(escape(cell) for cell in row) + " |\n" for row in rows)
    return "".join(out)


def render_html(result: RunResult, counts: ScaleCounts) -> str:
    parts = [
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>trial-linker audit summary</title></head><body>\n",
        f"<h1>trial-linker audit summary</h1>\n<p>{len(result.inputs)} input files, "
        f"{counts.publications} publications (trial-linker {html.escape(result.tool_version)}, "
        f"{result.generated_at.isoformat()}).</p>\n",
    ]
    for title, header, rows in _tables(counts):
        if not rows:
            continue
        parts.append(f"<h2>{html.escape(title)}</h2>\n<table>\n<tr>")
        parts.extend(f"<th>{html.escape(cell)}</th>" for cell in header)
        parts.append("</tr>\n")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>\n")
        parts.append("</table>\n")
    parts.append("</body></html>\n")
    return "".join(parts)


def table_rows(publications: Iterable[PublicationResult]) -> Iterable[dict[str, Any]]:
    for p in publications:
        worst = max((f.severity for f in p.findings), key=lambda s: s.rank, default=None)
        yield {
            "key": p.key,
            "file": p.file,
            "line": p.line,
            "year": p.year,
            "classification": p.classification.value,
            "identifiers": " ".join(f"{i.registry.value}:{i.id}" for i in p.identifiers),
            "outcomes": " ".join(
                i.outcome.value if i.outcome else "not_checked" for i in p.identifiers
            ),
            "findings": " ".join(f.code for f in p.findings),
            "worst": worst.value if worst else "",
        }


#: Rows per Parquet row group: the table is written a group at a time, so memory stays flat.
PARQUET_GROUP = 50_000
_INTEGER_COLUMNS = frozenset({"line", "year"})


def write_table(path: Path, publications: Iterable[PublicationResult]) -> None:
    """One row per publication: CSV, or Parquet for a ``.parquet`` path; written as the
    publications stream by (a row group of Parquet at a time)."""
    rows = table_rows(publications)
    if path.suffix.lower() == ".parquet":
        _write_parquet(path, rows)
        return
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(csv_line(TABLE_COLUMNS))
        for row in rows:
            out.write(csv_line(row[name] for name in TABLE_COLUMNS))


def _write_parquet(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    try:
        # Imported as plain module objects: an optional extra, used through a few calls.
        pyarrow: Any = importlib.import_module("pyarrow")
        parquet: Any = importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise ConfigError(
            "Parquet output needs the parquet extra: pip install 'trial-linker[parquet]'"
        ) from None
    schema = pyarrow.schema(
        [(n, pyarrow.int64() if n in _INTEGER_COLUMNS else pyarrow.string()) for n in TABLE_COLUMNS]
    )
    with parquet.ParquetWriter(str(path), schema) as writer:
        group: list[dict[str, Any]] = []
        for row in rows:
            group.append(row)
            if len(group) >= PARQUET_GROUP:
                writer.write_table(pyarrow.Table.from_pylist(group, schema=schema))
                group.clear()
        if group:
            writer.write_table(pyarrow.Table.from_pylist(group, schema=schema))
