"""`trial-linker check` and `report` end to end on the seed list, with the recorded registry
responses in fixtures/registries (no network), and the exit-code contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker import caches
from linker.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "publications" / "publications.txt"
STORE = ROOT / "fixtures" / "registries"
NOT_TRIALS = {4: "workplace", 6: "colitis", 8: "binge", 16: "atrial", 20: "PTSD", 24: "photovoice"}


def run(*args: str, cwd: Path | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def check_seed(tmp_path: Path, *extra: str) -> tuple[int, dict[str, object], str]:
    out = tmp_path / "result.json"
    code, _, err = run(
        "check", str(SEED), "--replay", str(STORE), "--today", "2026-11-26", "-q",
        "--format", "json", "--output", str(out), *extra,
    )  # fmt: skip
    document = json.loads(out.read_text()) if out.exists() else {}
    return code, document, err


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user configuration or cache leaks into these runs."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("CTGOV", "ISRCTN", "EUCTR", "CTIS"):
        monkeypatch.delenv(f"TRIAL_LINKER_{name}_URL", raising=False)


def by_line(document: dict[str, object]) -> dict[int, dict[str, object]]:
    publications = document["publications"]
    assert isinstance(publications, list)
    return {p["line"]: p for p in publications}


def test_seed_end_to_end(tmp_path: Path) -> None:
    code, document, _ = check_seed(tmp_path)
    publications = by_line(document)
    assert len(publications) == 11

    pressure = publications[18]
    assert pressure["classification"] == "secondary-analysis"
    [missing] = [f for f in pressure["findings"] if f["name"] == "missing-registration"]
    assert "HOMEBP" in missing["message"]
    assert "TASMINH4" in missing["message"]

    heat = {i["id"]: i for i in publications[14]["identifiers"]}
    assert set(heat) == {"2011-003425-96", "ISRCTN10134725", "NCT01506986"}
    reduce = {i["id"]: i for i in publications[10]["identifiers"]}
    assert set(reduce) == {"ISRCTN15036829", "ISRCTN12417565"}
    for identifier in [*heat.values(), *reduce.values()]:
        assert identifier["outcome"] == "found", identifier
        assert identifier["match"]["verdict"] == "match", identifier
    for line in NOT_TRIALS:
        assert publications[line]["classification"] == "not-trial"
        assert publications[line]["findings"] == []

    findings = [f for p in publications.values() for f in p["findings"]]
    assert all(f["file"].endswith("publications.txt") and f["line"] > 0 for f in findings)
    failing = [f for f in findings if f["severity"] == "error"]
    assert code == (1 if failing else 0)


def test_fail_on_warning_and_exit_zero(tmp_path: Path) -> None:
    code, _, _ = check_seed(tmp_path, "--fail-on", "warning")
    assert code == 1  # the blood-pressure paper's missing-registration warning
    code, _, _ = check_seed(tmp_path, "--fail-on", "warning", "--exit-zero")
    assert code == 0


def test_unverified_gives_exit_3_unless_allowed(tmp_path: Path) -> None:
    code, document, _ = check_seed(tmp_path, "--offline", "--no-cache")
    outcomes = {i["outcome"] for p in by_line(document).values() for i in p["identifiers"]}
    assert outcomes == {"unverified"}
    assert code == 3
    code, _, _ = check_seed(tmp_path, "--offline", "--no-cache", "--allow-unverified")
    assert code == 0


def test_select_and_ignore(tmp_path: Path) -> None:
    _, document, _ = check_seed(tmp_path, "--select", "TL101")
    codes = {f["code"] for p in by_line(document).values() for f in p["findings"]}
    assert codes == {"TL101"}
    _, document, _ = check_seed(tmp_path, "--ignore", "missing-registration")
    codes = {f["code"] for p in by_line(document).values() for f in p["findings"]}
    assert "TL101" not in codes


def test_unknown_rule_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = check_seed(tmp_path, "--select", "TL999")
    assert code == 2
    assert "TL999" in err


def test_unknown_config_key_is_exit_2(tmp_path: Path) -> None:
    (tmp_path / "trial-linker.toml").write_text('fail-onn = "error"\n')
    code, _, err = check_seed(tmp_path)
    assert code == 2
    assert "fail-onn" in err


def test_several_formats_in_one_run_and_report(tmp_path: Path) -> None:
    html, sarif, result = tmp_path / "a.html", tmp_path / "a.sarif", tmp_path / "r.json"
    code, _, _ = run(
        "check", str(SEED), "--replay", str(STORE), "--today", "2026-11-26", "-q", "--exit-zero",
        "--format", "html", "-o", str(html), "--format", "sarif", "-o", str(sarif),
        "--format", "json", "-o", str(result),
    )  # fmt: skip
    assert code == 0
    assert html.read_text().startswith("<!DOCTYPE html>")
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    code, out, _ = run("report", str(result), "--format", "markdown")
    assert code == 0
    assert "missing-registration" in out


def test_baseline_accepts_recorded_findings(tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    code, _, _ = check_seed(tmp_path, "--fail-on", "info", "--write-baseline", str(baseline))
    assert code == 0  # the run that writes the baseline accepts what it wrote
    code, document, _ = check_seed(tmp_path, "--fail-on", "info", "--baseline", str(baseline))
    assert code == 0
    assert all(p["findings"] == [] for p in by_line(document).values())


def test_bad_input_is_exit_2(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    code, _, err = run("check", str(empty), "--replay", str(STORE))
    assert code == 2
    assert "empty.txt" in err


def test_report_rejects_bad_json(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    code, _, err = run("report", str(bad))
    assert code == 2
    assert "bad.json" in err


def test_lookup_replay_and_exit_codes(tmp_path: Path) -> None:
    typed = ["nct01506986", "NCT 04273854", "NCT04285021", "NCT#05434195", "ISRCTN: 10134725",
             "ISRCTN15036829", "isrctn12417565", "2011–003425–96"]  # fmt: skip
    code, out, _ = run("lookup", *typed, "--replay", str(STORE), "--format", "json")
    assert code == 0
    answers = json.loads(out)
    assert [a["requested_id"] for a in answers][:2] == ["NCT01506986", "NCT04273854"]
    assert answers[-1]["requested_id"] == "2011-003425-96"
    assert all(a["kind"] == "found" for a in answers)
    code, _, _ = run("lookup", "NCT0150698", "--replay", str(STORE), "--format", "json")
    assert code == 1
    code, out, _ = run("lookup", "NCT01506986", "--offline", "--no-cache", "--format", "json")
    assert code == 3


def test_cache_info_and_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(caches, "scan_database_root", lambda: tmp_path / "user-cache")
    code, out, _ = run("cache", "info", "--cache-dir", str(tmp_path / "c"))
    assert code == 0
    assert "entries: 0" in out
    code, out, _ = run("cache", "clear", "--cache-dir", str(tmp_path / "c"))
    assert code == 0


def test_lookup_reads_several_identifiers_per_line() -> None:
    result = CliRunner().invoke(
        cli,
        ["lookup", "-", "--offline", "--no-cache", "--format", "json"],
        input="NCT01506986 ISRCTN 10134725\tDRKS00005115, not-an-id\n",
    )
    answers = json.loads(result.stdout)
    assert [a["requested_id"] for a in answers] == [
        "NCT01506986",
        "ISRCTN10134725",
        "DRKS00005115",
        "not-an-id",
    ]
    assert answers[-1]["kind"] == "malformed"
    assert result.exit_code == 1


def test_usage_errors_come_before_the_run(tmp_path: Path) -> None:
    code, _, err = run("check", str(SEED), "--replay", str(STORE), "--format", "json",
                       "--format", "csv")  # fmt: skip
    assert code == 2
    assert "standard output" in err
    code, _, err = run("check", str(SEED), "--replay", str(STORE), "--baseline",
                       str(tmp_path / "none.json"))  # fmt: skip
    assert code == 2
    assert "baseline file not found" in err


def test_unwritable_output_is_exit_2(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("check", str(SEED), "--no-verify", "-q", "--format", "json",
                       "-o", str(blocker / "out.json"))  # fmt: skip
    assert code == 2
    assert "cannot write" in err
