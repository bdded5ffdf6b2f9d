"""Every format's output for the bundled seed list, checked end to end against golden files.

The run reads ``fixtures/publications/publications.txt``, replays ``fixtures/registries`` (no
network) and judges at a fixed date. After a deliberate change of output, regenerate and review:

    UPDATE_GOLDEN=1 pytest tests/report/test_report_seed_golden.py
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime
from pathlib import Path

import jsonschema
import pytest

from linker.pipeline import CheckOptions, run_check
from linker.report.interface import OutputFormat, reporter_for
from linker.report.load import result_schema
from linker.results import RunResult

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden" / "seed"
SEED = "fixtures/publications/publications.txt"
CASES = [
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


@pytest.fixture(scope="module")
def seed_result() -> RunResult:
    cwd = Path.cwd()
    os.chdir(ROOT)  # file paths in the reports are as the user typed them: relative
    try:
        # Relative, as a user types it: the reports name the replay store.
        options = CheckOptions(replay="fixtures/registries", today=date(2026, 11, 26))
        result = run_check([SEED], options)
    finally:
        os.chdir(cwd)
    return result.model_copy(update={"generated_at": datetime(2026, 11, 26, 12, tzinfo=UTC)})


@pytest.mark.parametrize(("golden", "fmt", "csv_rows"), CASES, ids=[c[0] for c in CASES])
def test_seed_output_matches_golden(
    golden: str, fmt: OutputFormat, csv_rows: str, seed_result: RunResult
) -> None:
    output = reporter_for(fmt, csv_rows=csv_rows).render(seed_result)
    path = GOLDEN / golden
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8", newline="")
    assert output == path.read_bytes().decode("utf-8")


def test_seed_cases_cover_every_format() -> None:
    assert {fmt for _, fmt, _ in CASES} == set(OutputFormat)


def test_seed_json_validates_against_the_shipped_schema(seed_result: RunResult) -> None:
    document = json.loads(reporter_for(OutputFormat.JSON).render(seed_result))
    shipped = json.loads((ROOT / "docs" / "result.schema.json").read_text(encoding="utf-8"))
    assert shipped == result_schema()
    jsonschema.validate(document, shipped)
