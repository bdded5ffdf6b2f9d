from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import shared_path

from linker.models import Publication
from linker.readers import pubmed_xml, read_publications

_HEAD = "<PubmedArticleSet>"
_TAIL = "</PubmedArticleSet>"


def _article(pmid: str, title: str, abstract: str, accession: str = "") -> str:
    bank = (
        "<DataBankList><DataBank><DataBankName>ClinicalTrials.gov</DataBankName>"
        f"<AccessionNumberList><AccessionNumber>{accession}</AccessionNumber>"
        "</AccessionNumberList></DataBank></DataBankList>"
        if accession
        else ""
    )
    return (
        f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>"
        f"<ArticleTitle>{title}</ArticleTitle><Abstract>{abstract}</Abstract>{bank}"
        "</Article></MedlineCitation></PubmedArticle>"
    )


def _at(lines: list[str], publication: Publication, field: int, needle: str) -> str:
    text_field = publication.fields[field]
    line, column = text_field.locate(text_field.text.index(needle))
    return lines[line - 1][column - 1 : column - 1 + len(needle)]


def test_columns_are_exact_after_entities_and_inline_markup(tmp_path: Path) -> None:
    abstract = (
        '<AbstractText Label="METHODS">A &amp; B &lt;i&gt; <i>in vivo</i> caf&#233; '
        "<![CDATA[x < y]]> <!-- note --> <sup>2</sup> NCT01234567 and\n"
        "  <b>more</b> &#x3b1; ISRCTN12345678.</AbstractText>"
    )
    path = tmp_path / "x.xml"
    path.write_text(
        f"{_HEAD}\n{_article('1', 'T &amp; <i>U</i> NCT07654321', abstract)}\n{_TAIL}\n"
    )
    lines = path.read_text().split("\n")
    (publication,) = read_publications(path)
    assert publication.abstract.startswith("METHODS: A & B <i> in vivo café x < y  2 NCT01234567")
    assert _at(lines, publication, 1, "NCT01234567") == "NCT01234567"
    assert _at(lines, publication, 1, "ISRCTN12345678") == "ISRCTN12345678"
    assert _at(lines, publication, 1, "more") == "more"
    assert _at(lines, publication, 1, "x < y") == "x < y"
    assert _at(lines, publication, 1, "é")[0] == "&"  # a reference points at its "&"
    assert _at(lines, publication, 0, "NCT07654321") == "NCT07654321"


def test_one_line_file_locates_each_record(tmp_path: Path) -> None:
    records = [
        _article(
            str(n),
            f"Title {n}",
            f"<AbstractText>Text {n} NCT0000000{n}</AbstractText>",
            f"NCT0000000{n}",
        )
        for n in (1, 2, 3)
    ]
    path = tmp_path / "x.xml"
    path.write_text(_HEAD + "".join(records) + _TAIL)
    line = path.read_text()
    publications = list(read_publications(path))
    for n, publication in enumerate(publications, start=1):
        assert _at([line], publication, 0, f"Title {n}") == f"Title {n}"
        assert _at([line], publication, 1, f"NCT0000000{n}") == f"NCT0000000{n}"
        (declared,) = publication.declared_ids
        assert line[declared.column - 1 :].startswith(f"NCT0000000{n}</")
        assert line.count(f"NCT0000000{n}") == 2  # so the column above is not luck


def test_markup_split_across_lines_falls_back_without_error(tmp_path: Path) -> None:
    path = tmp_path / "x.xml"
    abstract = "<AbstractText>A <i\n>b</i> NCT01234567</AbstractText>"
    path.write_text(f"{_HEAD}\n{_article('1', 'Title', abstract)}\n{_TAIL}\n")
    (publication,) = read_publications(path)
    assert publication.abstract == "A b NCT01234567"
    assert publication.fields[1].locate(0)[0] == 2


def test_real_pubmed_file_every_word_is_located(monkeypatch: pytest.MonkeyPatch) -> None:
    # Positions are followed only in texts that may hold an identifier (the only ones ever
    # reported): make every text such a one.
    monkeypatch.setattr(pubmed_xml, "holds_identifier", lambda text: True)
    path = shared_path(
        "data-real", "abstracts", "pubmed_samples", "xizhou+pubMR__pubmed_result.xml"
    )
    raw = path.read_text(encoding="utf-8-sig")
    lines = raw.split("\n")
    # Section labels are added text with no position of their own.
    label_words = set(" ".join(re.findall(r'Label="([^"]*)"', raw)).split())
    wrong = checked = 0
    for publication in read_publications(path):
        for field in publication.fields:
            for word in re.finditer(r"\b\w{6,}\b", field.text):
                if word.group() in label_words:
                    continue
                line, column = field.locate(word.start())
                checked += 1
                # a word may run on past inline markup ("genes<sup>1</sup>"): compare its start
                start = word.group()[:3]
                wrong += lines[line - 1][column - 1 : column + 2] != start
    assert checked > 5000 and wrong == 0
