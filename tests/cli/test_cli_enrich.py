"""``--enrich pubmed`` and ``[tool.trial-linker] enrich = ["pubmed"]`` from the command line:
the seed as titles and PMIDs, replayed, reaches the seed's findings either way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import FIXTURES

from linker.cli.main import cli

LISTED = FIXTURES / "pubmed" / "seed_titles.csv"
STORE = FIXTURES / "registries"


def check(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(
        cli,
        [
            "check",
            str(LISTED),
            "--replay",
            str(STORE),
            "--today",
            "2026-12-01",
            "--format",
            "json",
            *args,
        ],
    )
    return result.exit_code, json.loads(result.stdout)


def publications(document: dict[str, Any]) -> list[dict[str, Any]]:
    return list(document["publications"])


def codes(document: dict[str, Any]) -> list[str]:
    return sorted(f["code"] for p in publications(document) for f in p["findings"])


@pytest.mark.parametrize("how", ["flag", "config"])
def test_enrich_from_the_flag_or_the_config(how: str, tmp_path: Path) -> None:
    if how == "flag":
        code, document = check("--enrich", "pubmed")
    else:
        config = tmp_path / "pyproject.toml"
        config.write_text('[tool.trial-linker]\nenrich = ["pubmed"]\n', encoding="utf-8")
        code, document = check("--config", str(config))
    assert code == 0
    assert codes(document) == ["TL101"]  # the seed's one warning
    evidence = [p["evidence"][0] for p in publications(document)]
    assert all(e.startswith("abstract from PubMed (PMID 9000000") for e in evidence)
    sources = [i["source"] for p in publications(document) for i in p["identifiers"]]
    assert len(sources) == 8 and all(s["name"] == "PubMed" for s in sources)


def test_without_enrich_the_titles_are_judged_alone() -> None:
    code, document = check()
    assert code == 0  # title-only missing registrations are warnings, never errors
    evidence = [p["evidence"][0] for p in publications(document)]
    assert all(e.startswith("title only") for e in evidence)


def test_an_unknown_source_is_a_usage_error(tmp_path: Path) -> None:
    config = tmp_path / "pyproject.toml"
    config.write_text('[tool.trial-linker]\nenrich = ["crossref"]\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(LISTED), "--config", str(config)])
    assert result.exit_code == 2
    assert "enrich" in result.stderr
