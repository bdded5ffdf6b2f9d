"""Input text that tries to become a formula, a workflow command or a terminal escape."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from linker.cli.main import cli

TITLE = '=HYPERLINK("http://example.invalid","c") randomised trial'


def records(tmp_path: Path, *items: dict[str, str]) -> Path:
    path = tmp_path / "list.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_csv_neutralises_formulas(tmp_path: Path) -> None:
    source = records(tmp_path, {"title": TITLE, "abstract": "Registered as NCT01506986."})
    code, out, _ = invoke("extract", str(source), "--publications", "--format", "csv")
    assert code == 0
    [row] = list(csv.DictReader(io.StringIO(out, newline="")))
    assert row["title"] == "'" + TITLE


def test_check_csv_quotes_a_bare_cr(tmp_path: Path) -> None:
    title = "Trial\r=cmd|' /C calc'!A0"
    source = records(tmp_path, {"title": title, "abstract": "A randomised trial. NCT0150698."})
    code, out, _ = invoke("check", str(source), "--no-verify", "-q", "--format", "csv")
    assert code in (0, 1)
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert all(not cell.startswith("=") for row in rows for cell in row)
    assert {len(row) for row in rows} == {len(rows[0])}


def test_text_report_and_stderr_never_start_a_line_with_a_command(tmp_path: Path) -> None:
    source = records(
        tmp_path,
        {
            "id": "k\n::add-mask::secret\x1b[2J\u2028::error ::boom",
            "title": "A randomised trial\x85::warning ::x",
            "abstract": "Registered as NCT0150698 (malformed).",
        },
    )
    odd = tmp_path / "odd\n::error ::name.jsonl"
    source.rename(odd)
    code, out, err = invoke("check", str(odd), "--no-verify", "--format", "text")
    assert code in (0, 1)
    for line in (out + err).splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "\x1b" not in line
    assert "\\::add-mask::secret" in out or "\\n::add-mask::secret" in out
