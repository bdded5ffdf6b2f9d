"""Suppressions: publication keys in any spelling, path-independent FILE#N, expiry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from rules_helpers import publication, report

from linker.models import Publication
from linker.rules.engine import PublicationEvidence, evaluate
from linker.rules.settings import RuleSettings
from linker.rules.suppressions import publication_matches


def test_pmid_and_doi_in_any_usual_spelling() -> None:
    paper = publication(key="38012345", pmid="38012345", doi="10.1136/BMJ.k1")
    for selector in ("38012345", "pmid:38012345", " 38012345 "):
        assert publication_matches(selector, paper, [])
    for selector in ("10.1136/bmj.K1", "doi:10.1136/bmj.k1", "https://doi.org/10.1136/bmj.k1"):
        assert publication_matches(selector, paper, [])
    assert not publication_matches("38012346", paper, [])


def in_file(file: str, ordinal: int) -> Publication:
    return Publication(key=f"{file}#{ordinal}", file=file, line=1, end_line=2, ordinal=ordinal)


def test_file_key_matches_whatever_the_path_spelling(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = tmp_path / "repo"
    (repo / "lists").mkdir(parents=True)
    (repo / "lists" / "pubs.txt").write_text("x")
    monkeypatch.chdir(repo)
    spellings = ["lists/pubs.txt", "./lists/pubs.txt", str(repo / "lists" / "pubs.txt")]
    for given in spellings:
        paper = in_file(given, 8)
        assert publication_matches("lists/pubs.txt#8", paper, [])
        assert publication_matches("lists/pubs.txt:8", paper, [])  # the older spelling
        assert not publication_matches("lists/pubs.txt#7", paper, [])
    # From another directory, relative to the configuration file's folder.
    monkeypatch.chdir(tmp_path)
    paper = in_file("repo/lists/pubs.txt", 8)
    assert not publication_matches("lists/pubs.txt#8", paper, [])
    assert publication_matches("lists/pubs.txt#8", paper, [str(repo)])


def test_expired_suppression_brings_the_finding_back_with_a_note() -> None:
    settings = RuleSettings(
        suppressions=[
            {"publication": "12345", "rules": ["TL101"], "reason": "asked", "until": "2027-06-30"}
        ]
    )
    evidence = PublicationEvidence(publication(), report(), [])
    before = evaluate(evidence, settings, date(2027, 6, 30))
    assert before.findings == []
    [accepted] = before.suppressed
    assert (accepted.code, accepted.reason, accepted.until) == ("TL101", "asked", date(2027, 6, 30))
    after = evaluate(evidence, settings, date(2027, 7, 1))
    assert after.suppressed == []
    [back] = after.findings
    assert back.code == "TL101"
    assert "suppression expired on 2027-06-30: asked" in back.message
