"""Small CLI defects from issue 10: plurals, -q, --write-baseline's exit, lookup's reasons,
report formats from output extensions, CheckOptions with string paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli
from linker.pipeline import CheckOptions, run_check

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "publications" / "publications.txt"
STORE = ROOT / "fixtures" / "registries"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_paper(tmp_path: Path) -> Path:
    path = tmp_path / "one.jsonl"
    record = {
        "title": "Effect of a thing on another thing: a randomised controlled trial",
        "abstract": "We randomised 100 adults. Trial registration: NCT01506986.",
    }
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_summary_line_uses_singular_and_plural(tmp_path: Path) -> None:
    code, _, err = run("check", str(one_paper(tmp_path)), "--no-verify", "--format", "json")
    assert code == 0
    assert "1 publication," in err
    assert "1 identifier (" in err
    assert "0 errors" in err


def test_quiet_silences_reader_warnings(tmp_path: Path) -> None:
    code, _, err = run("check", str(SEED), "--no-verify", "--format", "json")
    assert "skipped header" in err
    code, _, err = run("check", str(SEED), "--no-verify", "--format", "json", "-q")
    assert code == 0
    assert err == ""


def test_write_baseline_exits_0_and_keeps_what_it_accepted(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, _ = run(
        "check", str(SEED), "--replay", str(STORE), "--today", "2026-11-26", "-q",
        "--fail-on", "info", "--write-baseline", str(baseline), "--format", "json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(baseline.read_text())["findings"]


def test_lookup_says_why_an_identifier_is_malformed() -> None:
    code, out, _ = run("lookup", "FOO123", "NCT123", "--offline", "--no-cache", "--format", "json")
    assert code == 1
    foo, nct = json.loads(out)
    assert foo["kind"] == nct["kind"] == "malformed"
    assert "no registry's identifier format" in foo["reason"]
    assert nct["registry"] == "ctgov"
    assert nct["reason"] == "expected 8 digits, found 3"
    code, out, _ = run("lookup", "NCT123", "--offline", "--no-cache", "--format", "table")
    assert "malformed: expected 8 digits, found 3" in out


@pytest.mark.parametrize(
    ("name", "starts"),
    [
        ("audit.html", "<!DOCTYPE html>"),
        ("result.json", "{"),
        ("findings.csv", "publication,"),
        ("summary.md", "## "),
        ("junit.xml", "<?xml"),
        ("results.sarif", "{"),
    ],
)
def test_output_format_from_extension(tmp_path: Path, name: str, starts: str) -> None:
    target = tmp_path / name
    code, out, _ = run("check", str(SEED), "--no-verify", "-q", "-o", str(target))
    assert code == 0
    assert out == ""
    assert target.read_text(encoding="utf-8").startswith(starts)


def test_unknown_extension_without_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("check", str(SEED), "--no-verify", "-q", "-o", str(tmp_path / "x.pdf"))
    assert code == 2
    assert "x.pdf" in err
    assert "--format" in err
    assert not (tmp_path / "x.pdf").exists()
    code, _, _ = run(
        "check", str(SEED), "--no-verify", "-q", "--format", "text", "-o", str(tmp_path / "x.pdf")
    )
    assert code == 0


def test_check_options_take_string_paths() -> None:
    result = run_check([str(SEED)], CheckOptions(replay=str(STORE)))
    assert result.findings
    assert all(i.outcome is not None for i in result.identifiers if i.valid_format)
