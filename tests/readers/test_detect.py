from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from linker.readers import FORMATS, detect_format, read_publications

SAMPLES = {
    "sample.xml": "pubmed-xml",
    "sample.nbib": "medline",
    "sample.ris": "ris",
    "sample.bib": "bibtex",
    "sample.csv": "csv",
    "sample.tsv": "tsv",
    "sample.jsonl": "jsonl",
    "sample.json": "json",
    "publications.txt": "textlist",
    "blank_separated.txt": "textlist",
}


@pytest.mark.parametrize(("name", "fmt"), sorted(SAMPLES.items()))
def test_detects_samples(fixtures_dir: Path, name: str, fmt: str) -> None:
    head = (fixtures_dir / "publications" / name).read_bytes()[:4096]
    assert detect_format(name, head) == fmt
    assert fmt in FORMATS


@pytest.mark.parametrize("name", ["sample.xml", "sample.nbib", "sample.ris", "sample.bib"])
def test_content_wins_over_a_lying_extension(fixtures_dir: Path, tmp_path: Path, name: str) -> None:
    liar = tmp_path / "export.txt"
    shutil.copy(fixtures_dir / "publications" / name, liar)
    direct = list(read_publications(fixtures_dir / "publications" / name))
    disguised = list(read_publications(liar))
    assert [p.title for p in disguised] == [p.title for p in direct]


def test_csv_header_recognised_in_txt() -> None:
    assert detect_format("x.txt", b"PMID,Title,Abstract\n1,a,b\n") == "csv"
    assert detect_format("x.txt", b"Title\tAbstract\n") == "tsv"
    assert detect_format("x.csv.gz", b"just text\n") == "csv"
    assert detect_format("x", b'{"title": "a"}\n{"title": "b"}\n') == "jsonl"
    assert detect_format("x", b'{\n  "title": "a"\n}\n') == "json"


@pytest.mark.parametrize(
    ("name", "head", "fmt"),
    [
        (
            "list.txt",
            b"[Effect of acupuncture on pain: a randomised trial].\nBACKGROUND: x\n",
            "textlist",
        ),
        ("-", b"[Effect of acupuncture on pain].\nBACKGROUND: x\n", "textlist"),
        ("list.txt", b"{Bracketed} title\nBACKGROUND: x\n", "textlist"),
        ("list.txt", b"<b>Bold</b> title\nBACKGROUND: x\n", "textlist"),
        ("list.txt", b'<?xml version="1.0"?>\n<PubmedArticleSet>', "pubmed-xml"),
        ("list.txt", b"<PubmedArticleSet>\n<PubmedArticle>", "pubmed-xml"),
        ("-", b"<b>Bold</b> title\n", "pubmed-xml"),
        ("list.json", b"[1, 2]", "json"),
        ("-", b'[\n  {"title": "A"}]', "json"),
        ("-", b"[]", "json"),
        ("-", b'{"title": "A"}\n{"title": "B"}\n', "jsonl"),
        ("list.csv", b"[Translated title],abstract\n", "csv"),
    ],
)
def test_a_bracket_or_tag_opening_a_title_is_a_text_list(name: str, head: bytes, fmt: str) -> None:
    """PubMed writes a translated title in brackets: a list opening with one is no JSON array,
    and a ``.txt`` list opening with inline markup is no XML document."""
    assert detect_format(name, head) == fmt
