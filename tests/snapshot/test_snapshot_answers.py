"""``--snapshot`` on ``check`` and ``lookup``, ``snapshot = ...`` in the configuration, and
``snapshot info``: answers dated, old snapshots never accusing newer papers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli
from linker.models import Publication, Registry
from linker.registries.interface import Outcome, OutcomeKind
from linker.registries.snapshot import as_of_paper


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TRIAL_LINKER_SNAPSHOT", raising=False)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


PAPERS = [
    {"pmid": "1", "year": 2021, "title": "Filgrastim in children: a randomised trial",
     "abstract": "Randomised controlled trial. Registration: NCT01987596."},
    {"pmid": "2", "year": 2019, "title": "A randomised trial of something",
     "abstract": "This randomised controlled trial was registered as NCT09999999."},
    {"pmid": "3", "year": 2021, "title": "A later randomised trial",
     "abstract": "This randomised controlled trial was registered as NCT09999998."},
    {"pmid": "4", "year": 2019, "title": "An ISRCTN randomised trial",
     "abstract": "This randomised controlled trial was registered as ISRCTN54285094."},
]  # fmt: skip


def check(tmp_path: Path, *extra: str) -> tuple[int, dict[str, dict[str, object]], str]:
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    out = tmp_path / "result.json"
    code, _, err = run(
        "check", str(papers), "--today", "2026-11-26", "-q", "--offline",
        "--format", "json", "--output", str(out), *extra,
    )  # fmt: skip
    document = json.loads(out.read_text()) if out.exists() else {"publications": []}
    by_pmid = {p["key"]: p for p in document["publications"]}
    if document.get("settings"):
        by_pmid["settings"] = document["settings"]
    return code, by_pmid, err


def identifier(publication: dict[str, object]) -> dict[str, object]:
    [only] = publication["identifiers"]  # type: ignore[index]
    return only  # type: ignore[no-any-return]


def test_check_answers_from_the_snapshot_and_falls_back(
    ctgov_snapshot: Path, tmp_path: Path
) -> None:
    code, papers, err = check(tmp_path, "--snapshot", str(ctgov_snapshot))
    assert err == ""
    found = identifier(papers["1"])
    assert (found["outcome"], found["snapshot_date"]) == ("found", "2020-10-29")
    assert found["record"]["title"]  # type: ignore[index]

    older = identifier(papers["2"])  # the paper (2019) is older than the snapshot: an answer
    assert (older["outcome"], older["snapshot_date"]) == ("not_found", "2020-10-29")
    [finding] = [f for f in papers["2"]["findings"] if f["code"] == "TL201"]  # type: ignore[attr-defined]
    assert "snapshot of 2020-10-29" in finding["message"]

    newer = identifier(papers["3"])  # the paper (2021) is newer: it may be registered since
    assert newer["outcome"] == "unverified"
    assert "registered after the snapshot" in newer["reason"]  # type: ignore[operator]
    assert not [f for f in papers["3"]["findings"] if f["code"] == "TL201"]  # type: ignore[attr-defined]

    isrctn = identifier(papers["4"])  # no ISRCTN part in the snapshot: cache/live (offline)
    assert (isrctn["outcome"], isrctn["reason"], isrctn["snapshot_date"]) == (
        "unverified", "offline", None,
    )  # fmt: skip
    assert code == 1
    uses = {use["registry"]: use for use in papers["settings"]["registries"]}  # type: ignore[index]
    assert (uses["ctgov"]["mode"], uses["ctgov"]["data_date"]) == ("snapshot", "2020-10-29")
    assert uses["isrctn"]["mode"] == "offline" or uses["isrctn"]["mode"] == "cache"


def test_snapshot_from_the_configuration_file(ctgov_snapshot: Path, tmp_path: Path) -> None:
    (tmp_path / "trial-linker.toml").write_text(f'snapshot = "{ctgov_snapshot.name}"\n')
    _, papers, _ = check(tmp_path)
    assert identifier(papers["1"])["snapshot_date"] == "2020-10-29"


def test_missing_snapshot_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = check(tmp_path, "--snapshot", "absent.snapshot")
    assert code == 2
    assert "absent.snapshot" in err


def test_lookup_with_snapshot(ctgov_snapshot: Path) -> None:
    code, out, _ = run(
        "lookup", "NCT01987596", "NCT00009113", "--snapshot", str(ctgov_snapshot),
        "--offline", "--format", "json",
    )  # fmt: skip
    answers = json.loads(out)
    assert [(a["kind"], a["snapshot_date"]) for a in answers] == [
        ("found", "2020-10-29"), ("alias", "2020-10-29"),
    ]  # fmt: skip
    assert code == 0


def test_snapshot_info_and_import_cli(ctgov_snapshot: Path, tmp_path: Path) -> None:
    code, out, _ = run("snapshot", "info", str(ctgov_snapshot))
    assert code == 0
    assert "ctgov" in out and "4 records" in out and "data date 2020-10-29" in out
    code, out, _ = run("snapshot", "info", str(ctgov_snapshot), "--format", "json")
    [entry] = json.loads(out)
    assert (entry["registry"], entry["records"], entry["complete"]) == ("ctgov", 4, True)
    code, _, err = run("snapshot", "import", "ctgov", "absent.zip", "--into", "s.snapshot")
    assert code == 2
    assert err.strip().splitlines() == ["trial-linker: error: absent.zip: no such file or folder"]


def not_found(taken: date) -> Outcome:
    return Outcome(
        kind=OutcomeKind.NOT_FOUND, registry=Registry.CTGOV, requested_id="NCT09999999",
        reason="not in the ClinicalTrials.gov snapshot of x", snapshot_date=taken,
    )  # fmt: skip


def paper(year: int | None) -> Publication:
    return Publication(key="k", file="f", line=1, end_line=1, ordinal=1, year=year)


@pytest.mark.parametrize(
    ("year", "kind"),
    [(2019, OutcomeKind.NOT_FOUND), (2020, OutcomeKind.UNVERIFIED),
     (2024, OutcomeKind.UNVERIFIED), (None, OutcomeKind.UNVERIFIED)],
)  # fmt: skip
def test_a_snapshot_not_older_than_the_paper_does_not_accuse(
    year: int | None, kind: OutcomeKind
) -> None:
    assert as_of_paper(not_found(date(2020, 10, 29)), paper(year)).kind is kind


def test_live_not_found_is_untouched() -> None:
    live = not_found(date(2020, 1, 1)).model_copy(update={"snapshot_date": None})
    assert as_of_paper(live, paper(None)) == live
