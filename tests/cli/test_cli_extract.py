"""`trial-linker extract`: output formats, stdin, and the exit-code contract on bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from linker.cli.main import cli

SEED = Path(__file__).resolve().parents[2] / "fixtures" / "publications" / "publications.txt"
SEED_IDS = {
    ("ISRCTN15036829", 11),
    ("ISRCTN12417565", 11),
    ("NCT04273854", 13),
    ("NCT05434195", 13),
    ("2011-003425-96", 15),
    ("ISRCTN10134725", 15),
    ("NCT01506986", 15),
    ("NCT04285021", 23),
}


def run(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_extract_seed_jsonl_has_exactly_the_eight_identifiers() -> None:
    code, out, _ = run("extract", str(SEED), "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert {(r["id"], r["line"]) for r in records} == SEED_IDS
    heat = next(r for r in records if r["id"] == "2011-003425-96")
    assert heat["registry"] == "euctr"
    assert heat["valid_format"] is True
    for record in records:
        line = SEED.read_text(encoding="utf-8").splitlines()[record["line"] - 1]
        start = record["column"] - 1
        assert line[start : start + len(record["raw"])] == record["raw"]
        assert {"publication", "file", "role"} <= record.keys()


def test_extract_csv_and_stdin() -> None:
    code, out, _ = run("extract", "-", "--format", "csv", stdin=SEED.read_bytes())
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 8
    assert all(row["file"] == "<stdin>" for row in rows)


def test_extract_publications_records() -> None:
    code, out, _ = run("extract", str(SEED), "--publications", "--format", "jsonl")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 11
    by_line = {r["line"]: r for r in records}
    assert by_line[18]["classification"] == "secondary-analysis"
    assert {"HOMEBP", "TASMINH4"} <= set(by_line[18]["trial_names"])
    assert set(by_line[14]["identifiers"]) == {"2011-003425-96", "ISRCTN10134725", "NCT01506986"}
    assert {"key", "title", "classification", "evidence", "trial_names"} <= records[0].keys()


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("extract", str(tmp_path / "absent.txt"))
    assert code == 2
    assert "absent.txt" in err
    assert "Traceback" not in err


def test_bad_input_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    binary = tmp_path / "list.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 100)
    code, out, err = run("extract", str(binary), "--format", "jsonl")
    assert code == 2
    assert out == ""
    assert str(binary) in err
    assert len(err.strip().splitlines()) == 1


def test_truncated_xml_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>")
    code, _, err = run("extract", str(broken))
    assert code == 2
    assert "broken.xml" in err


def test_csv_without_title_or_abstract_column(tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    table.write_text("name,value\na,b\n")
    code, _, err = run("extract", str(table))
    assert code == 2
    assert "list.csv" in err


def test_column_override(tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    table.write_text("Heading,Text\nA trial,Registered as NCT01506986.\n")
    code, out, _ = run("extract", str(table), "--column", "title=Heading",
                       "--column", "abstract=Text", "--format", "jsonl")  # fmt: skip
    assert code == 0
    assert json.loads(out)["id"] == "NCT01506986"


def test_bad_column_option_is_a_usage_error() -> None:
    code, _, _ = run("extract", str(SEED), "--column", "title")
    assert code == 2


def test_rules_lists_the_catalog() -> None:
    code, out, _ = run("rules", "--format", "json")
    assert code == 0
    rules = json.loads(out)
    assert [r["code"] for r in rules][:2] == ["TL101", "TL102"]
    assert all(r["url"].endswith(f"docs/rules/{r['name']}.md") for r in rules)
    code, out, _ = run("rules")
    assert "missing-registration" in out


def test_an_output_named_csv_gets_csv_unless_told(tmp_path: Path) -> None:
    target = tmp_path / "ids.csv"
    assert run("extract", str(SEED), "-o", str(target))[0] == 0
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {(row["id"], int(row["line"])) for row in rows} == SEED_IDS
    assert run("extract", str(SEED), "-o", str(target), "--format", "jsonl")[0] == 0
    assert json.loads(target.read_text(encoding="utf-8").splitlines()[0])["id"]


def test_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    """The report would be renamed over the publication list: nothing is read or written."""
    listed = tmp_path / "list.txt"
    listed.write_bytes(SEED.read_bytes())
    (tmp_path / "link.txt").symlink_to(listed)
    for output in (listed, tmp_path / "link.txt"):
        code, out, err = run("extract", str(listed), "-o", str(output))
        assert code == 2 and out == ""
        assert f"--output {output} is also an input" in err
    code, _, err = run("check", "--no-verify", "-q", str(tmp_path), "-o", str(listed))
    assert code == 2 and "is also an input" in err
    assert listed.read_bytes() == SEED.read_bytes()
