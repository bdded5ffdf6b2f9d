"""Suppressed and baselined findings are kept and shown; unused suppressions are warned about;
every report says how it was made."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "publications" / "publications.txt"
STORE = ROOT / "fixtures" / "registries"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with the seed list in lists/ and a trial-linker.toml at its root."""
    (tmp_path / "lists").mkdir()
    shutil.copy(SEED, tmp_path / "lists" / "pubs.txt")
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def configure(repo: Path, until: str | None = None) -> None:
    expiry = f'until = "{until}"\n' if until else ""
    (repo / "trial-linker.toml").write_text(
        'fail-on = "warning"\n'
        "[[suppress]]\n"
        'publication = "lists/pubs.txt#8"\n'
        'rules = ["missing-registration"]\n'
        'reason = "HOMEBP and TASMINH4 are cited in the full text"\n' + expiry + "[[suppress]]\n"
        'publication = "99999999"\n'
        'rules = ["TL301"]\n'
        'reason = "left over from an old list"\n',
        encoding="utf-8",
    )


def check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli,
        ["check", "--replay", str(STORE), "--today", "2026-11-26", *args],
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("spelling", ["lists/pubs.txt", "./lists/pubs.txt", "absolute"])
def test_suppression_matches_any_path_spelling_and_is_kept_in_json(
    repo: Path, spelling: str
) -> None:
    configure(repo)
    path = str(repo / "lists" / "pubs.txt") if spelling == "absolute" else spelling
    code, out, err = check(path, "--format", "json")
    document = json.loads(out)
    accepted = [f for p in document["publications"] for f in p["suppressed"]]
    assert [(f["code"], f["suppressed_by"]) for f in accepted] == [("TL101", "suppression")]
    assert accepted[0]["reason"].startswith("HOMEBP")
    assert code == 0  # nothing else reaches fail-on = "warning" (the seed has no other warning)
    assert "suppression 99999999 (TL301) matched no finding" in err
    settings = document["settings"]
    assert settings["fail_on"] == "warning"
    assert settings["today"] == "2026-11-26"
    assert settings["config_file"].endswith("trial-linker.toml")
    assert {r["mode"] for r in settings["registries"]} == {"replay"}
    assert settings["unused_suppressions"] == ["99999999 (TL301)"]


def test_suppression_matches_from_another_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    configure(repo)
    monkeypatch.chdir(repo / "sub")
    _, out, _ = check("../lists/pubs.txt", "--config", "../trial-linker.toml", "-q")
    assert "1 accepted finding (1 suppressed)" in out


def test_expired_suppression_brings_the_finding_back(repo: Path) -> None:
    configure(repo, until="2026-06-30")
    _, out, _ = check("lists/pubs.txt", "-q")
    assert "TL101 [warning] missing-registration" in out
    assert "suppression expired on 2026-06-30" in out
    assert "accepted" not in out


def test_baselined_run_counts_and_lists_what_it_accepted(repo: Path) -> None:
    baseline = repo / "baseline.json"
    code, _, _ = check("lists/pubs.txt", "-q", "--write-baseline", str(baseline))
    assert code == 0
    code, out, _ = check("lists/pubs.txt", "-q", "--baseline", str(baseline), "--fail-on", "info")
    assert code == 0
    assert "No findings in 11 publications. 1 accepted finding (1 in the baseline)." in out
    assert "Baseline: " + str(baseline) in out
    code, out, _ = check(
        "lists/pubs.txt", "-q", "--baseline", str(baseline), "--format", "markdown"
    )
    assert "<summary>1 accepted finding (1 in the baseline)</summary>" in out
    code, out, _ = check("lists/pubs.txt", "-q", "--baseline", str(baseline), "--format", "json")
    accepted = [f for p in json.loads(out)["publications"] for f in p["suppressed"]]
    assert {f["baseline"] for f in accepted} == {str(baseline)}
    assert len(accepted) == 1
