"""Every format's output for the reference run (``conftest.build_result``) against a golden file.

After a deliberate change of output, regenerate the goldens and review the diff:

    UPDATE_GOLDEN=1 pytest tests/report/test_report_golden.py
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from linker.report.interface import OutputFormat, reporter_for
from linker.results import RunResult

GOLDEN = Path(__file__).parent / "golden"

CASES: list[tuple[str, OutputFormat, str]] = [
    ("report.txt", OutputFormat.TEXT, "findings"),
    ("report.json", OutputFormat.JSON, "findings"),
    ("findings.csv", OutputFormat.CSV, "findings"),
    ("identifiers.csv", OutputFormat.CSV, "identifiers"),
    ("report.md", OutputFormat.MARKDOWN, "findings"),
    ("report.html", OutputFormat.HTML, "findings"),
    ("junit.xml", OutputFormat.JUNIT, "findings"),
    ("report.sarif", OutputFormat.SARIF, "findings"),
    ("github.txt", OutputFormat.GITHUB, "findings"),
    ("gl-code-quality.json", OutputFormat.GITLAB, "findings"),
]


def _render(fmt: OutputFormat, csv_rows: str, result: RunResult) -> str:
    return reporter_for(fmt, csv_rows=csv_rows).render(result)


@pytest.mark.parametrize(("golden", "fmt", "csv_rows"), CASES, ids=[c[0] for c in CASES])
def test_output_matches_golden(
    golden: str, fmt: OutputFormat, csv_rows: str, run_result: RunResult
) -> None:
    output = _render(fmt, csv_rows, run_result)
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(output, encoding="utf-8", newline="")
    assert output == path.read_bytes().decode("utf-8")


def test_every_format_has_a_golden() -> None:
    assert {fmt for _, fmt, _ in CASES} == set(OutputFormat)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_output_does_not_depend_on_the_order_results_arrived_in(
    fmt: OutputFormat, run_result: RunResult
) -> None:
    shuffled = run_result.model_copy(deep=True)
    rng = random.Random(7)
    rng.shuffle(shuffled.publications)
    for publication in shuffled.publications:
        rng.shuffle(publication.identifiers)
        rng.shuffle(publication.findings)
    assert _render(fmt, "findings", shuffled) == _render(fmt, "findings", run_result)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_an_empty_run_renders(fmt: OutputFormat, empty_result: RunResult) -> None:
    output = reporter_for(fmt).render(empty_result)
    assert output.endswith("\n") or output == ""
