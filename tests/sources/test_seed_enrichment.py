"""The seed's 11 papers as a list of titles and PMIDs only, completed from recorded PubMed
answers (``fixtures/registries/pubmed/``, hand-written in the efetch format), reach the same
classifications and findings as the seed list with its abstracts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from support import FIXTURES

from linker.pipeline import CheckOptions, run_check
from linker.results import RunResult

SEED = FIXTURES / "publications" / "publications.txt"
STORE = FIXTURES / "registries"
TODAY = date(2026, 12, 1)


def verdicts(result: RunResult) -> dict[str, tuple[object, ...]]:
    return {
        p.title: (
            p.classification,
            sorted((f.code, f.severity, f.identifier) for f in p.findings),
            sorted((i.id, i.outcome) for i in p.identifiers),
        )
        for p in result.publications
    }


@pytest.mark.parametrize("name", ["seed_titles.csv", "seed_titles.bib"])
def test_titles_and_pmids_enriched_from_pubmed_match_the_seed(name: str) -> None:
    seed = run_check([str(SEED)], CheckOptions(replay=STORE, today=TODAY))
    listed = FIXTURES / "pubmed" / name
    enriched = run_check([str(listed)], CheckOptions(replay=STORE, today=TODAY, enrich=("pubmed",)))
    assert len(enriched.publications) == 11
    assert verdicts(enriched) == verdicts(seed)
    for publication in enriched.publications:
        assert publication.evidence[0].startswith("abstract from PubMed (PMID 9000000")
        for identifier in publication.identifiers:  # read at PubMed, placed at the list's line
            assert identifier.source is not None
            assert identifier.source.url.startswith("https://pubmed.ncbi.nlm.nih.gov/9000000")
            assert (identifier.file, identifier.line) == (publication.file, publication.line)


def test_without_enrichment_the_titles_alone_are_judged_title_only() -> None:
    listed = FIXTURES / "pubmed" / "seed_titles.csv"
    result = run_check([str(listed)], CheckOptions(replay=STORE, today=TODAY))
    assert all(p.evidence[0].startswith("title only: ") for p in result.publications)
    assert not any(p.identifiers for p in result.publications)


def test_unknown_pmid_is_a_warning_and_a_failure_is_no_finding(tmp_path: Path) -> None:
    folder = tmp_path
    listed = folder / "list.csv"
    listed.write_text("title,pmid\nA trial,900000099\nAnother,900000098\n", encoding="utf-8")
    store = folder / "store"
    (store / "pubmed").mkdir(parents=True)
    (store / "index.json").write_text("[]", encoding="utf-8")
    (store / "pubmed" / "900000099.xml").write_text(
        '<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n', encoding="utf-8"
    )
    result = run_check([str(listed)], CheckOptions(replay=store, today=TODAY, enrich=("pubmed",)))
    codes = {p.title: [f.code for f in p.findings] for p in result.publications}
    assert "TL103" in codes["A trial"]
    assert "TL103" not in codes["Another"]  # not in the store: unverified, no finding
