from __future__ import annotations

from pathlib import Path

import pytest
from support import shared_path

from linker.errors import InputError
from linker.readers import read_publications


def test_sample_nbib(fixtures_dir: Path) -> None:
    first, second = read_publications(fixtures_dir / "publications" / "sample.nbib")
    assert first.key == first.pmid == "90000011"
    assert (first.line, first.end_line) == (2, 15)
    assert first.title == "A randomised trial of walking for low back pain: the WALK trial."
    assert first.year == 2020
    assert first.doi == "10.1000/walk.2020.7"
    assert first.publication_types == ["Journal Article", "Randomized Controlled Trial"]
    abstract = first.fields[1]
    assert abstract.locate(abstract.text.index("ISRCTN12345678")) == (10, 27)
    assert abstract.locate(abstract.text.index("NCT01234567")) == (11, 7)
    title = first.fields[0]
    assert title.locate(title.text.index("trial.")) == (7, 7)
    declared = [(d.databank, d.accession, d.line, d.column) for d in first.declared_ids]
    assert declared == [
        ("ClinicalTrials.gov", "NCT01234567", 14, 26),
        ("ISRCTN", "ISRCTN12345678", 15, 14),
    ]
    assert second.title == "A title-only record." and second.abstract == ""
    assert (second.line, second.end_line) == (17, 21)


def test_untagged_line_before_any_record_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.nbib"
    path.write_text("PMID- 1\n\nnot a tag\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_publications(path, fmt="medline"))
    assert caught.value.line == 3


def test_real_medline_exports() -> None:
    firbolg = shared_path(
        "data-real", "abstracts", "pubmed_samples", "firbolg+ACTS_MeSH__pubmed.txt"
    )
    publications = list(read_publications(firbolg))
    assert len(publications) == 89
    assert publications[0].pmid == "34706727"
    assert publications[0].title.startswith("\"They're very passionate about making sure")
    assert "qualitative examination" in publications[0].title
    trials = [
        (p.pmid, d.accession)
        for p in publications
        for d in p.declared_ids
        if d.databank == "ClinicalTrials.gov"
    ]
    assert trials == [
        ("25070967", "NCT00287040"),
        ("26416127", "NCT00287040"),
        ("30402565", "NCT03404297"),
    ]
    nbib = shared_path(
        "data-real",
        "abstracts",
        "pubmed_samples",
        "p1m-ortho+qs-global-ortho-search-queries__citations.nbib",
    )
    assert len(list(read_publications(nbib))) == 200
    robot = shared_path("data-real", "abstracts", "robotsearch", "pubmed_test.txt")
    records = list(read_publications(robot))
    assert len(records) == 1000
    assert records[0].pmid == "10974959"
    assert "Randomized Controlled Trial" in records[0].publication_types
