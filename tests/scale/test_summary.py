"""``merge --table``: the per-publication table as CSV and as Parquet, row for row the same.

Parquet needs the ``[parquet]`` extra (pyarrow), which CI installs (.ci/run); without it the
Parquet tests skip and a ``.parquet`` table is a one-line error naming the extra.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES

import linker.scale.summary as summary
from linker.cli.main import cli
from linker.errors import ConfigError
from linker.results import PublicationResult, RunResult


@pytest.fixture(scope="module")
def publications(tmp_path_factory: pytest.TempPathFactory) -> list[PublicationResult]:
    """The seed list checked against its recorded registry answers (findings included)."""
    out = tmp_path_factory.mktemp("seed") / "r.json"
    result = CliRunner().invoke(
        cli,
        ["check", str(FIXTURES / "publications" / "publications.txt"), "--replay",
         str(FIXTURES / "registries"), "--no-cache", "-q", "--exit-zero", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    publications = list(RunResult.model_validate_json(out.read_text("utf-8")).publications)
    assert any(p.findings for p in publications) and any(p.identifiers for p in publications)
    return publications


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_table_has_one_row_per_publication(
    publications: list[PublicationResult], tmp_path: Path
) -> None:
    summary.write_table(tmp_path / "t.csv", iter(publications))
    rows = csv_rows(tmp_path / "t.csv")
    assert [r["key"] for r in rows] == [p.key for p in publications]
    assert list(rows[0]) == list(summary.TABLE_COLUMNS)
    assert any(r["findings"] for r in rows) and any(r["identifiers"] for r in rows)


def test_parquet_table_is_the_csv_table(
    publications: list[PublicationResult], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    monkeypatch.setattr(summary, "PARQUET_GROUP", 4)  # several row groups, as at scale
    summary.write_table(tmp_path / "t.csv", iter(publications))
    summary.write_table(tmp_path / "t.parquet", iter(publications))
    table = parquet.read_table(tmp_path / "t.parquet")
    assert table.column_names == list(summary.TABLE_COLUMNS)
    assert str(table.schema.field("line").type) == "int64"
    assert parquet.ParquetFile(tmp_path / "t.parquet").num_row_groups == -(-len(publications) // 4)
    as_text = [
        {name: "" if value is None else str(value) for name, value in row.items()}
        for row in table.to_pylist()
    ]
    assert as_text == csv_rows(tmp_path / "t.csv")


def test_empty_parquet_table_keeps_its_columns(tmp_path: Path) -> None:
    parquet = pytest.importorskip("pyarrow.parquet")
    summary.write_table(tmp_path / "t.parquet", [])
    table = parquet.read_table(tmp_path / "t.parquet")
    assert table.num_rows == 0 and table.column_names == list(summary.TABLE_COLUMNS)


def test_parquet_without_the_extra_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import fails as if not installed
    with pytest.raises(ConfigError, match=r"trial-linker\[parquet\]"):
        summary.write_table(tmp_path / "t.parquet", [])
