from __future__ import annotations

import json
from pathlib import Path

import pytest

from linker.errors import InputError
from linker.models import DeclaredIdentifier, Publication, TextField
from linker.readers import read_publications
from linker.readers.guard import WARN_UNTITLED_MAX, scrub_publication

_LONE = "\\ud800"  # the six characters of a JSON escape, not a surrogate


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def _all_text(publication: Publication) -> str:
    return json.dumps(publication.model_dump(), ensure_ascii=False)


@pytest.mark.parametrize("suffix", [".jsonl", ".json"])
def test_lone_surrogate_escape_is_replaced_with_one_warning(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"x{suffix}"
    line = (
        f'{{"title": "x {_LONE} trial", "abstract": "see NCT01234567 {_LONE}{_LONE}", '
        f'"id": "a{_LONE}", "publication_types": ["RCT {_LONE}"]}}'
    )
    path.write_text(f"{line}\n", encoding="utf-8")
    warnings: list[str] = []
    (publication,) = read_publications(path, on_warning=warnings.append)
    assert publication.title == "x \ufffd trial"
    assert publication.abstract == "see NCT01234567 \ufffd\ufffd"
    assert publication.key == "a\ufffd" and publication.publication_types == ["RCT \ufffd"]
    assert not _has_surrogate(_all_text(publication))
    _all_text(publication).encode("utf-8")  # what crashed the report writers
    assert warnings == [f"{path}: replaced 5 unpaired surrogate escapes"]
    abstract = publication.fields[1]
    assert abstract.text == publication.abstract
    assert abstract.locate(abstract.text.index("NCT")) == (1, line.index("NCT") + 1)


def test_paired_surrogate_escapes_are_one_character(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"title": "smile \\ud83d\\ude00"}\n', encoding="utf-8")
    warnings: list[str] = []
    (publication,) = read_publications(path, on_warning=warnings.append)
    assert publication.title == "smile \U0001f600" and warnings == []


def test_final_guard_scrubs_every_string() -> None:
    dirty = "a\udc80b"
    publication = Publication(
        key=dirty,
        title=dirty,
        abstract="ok",
        file="f",
        line=1,
        end_line=1,
        ordinal=1,
        publication_types=[dirty],
        declared_ids=[DeclaredIdentifier(databank="x", accession=dirty)],
        fields=[TextField(name="title", text=dirty), TextField(name="other", text=dirty)],
    )
    cleaned, count = scrub_publication(publication)
    assert not _has_surrogate(_all_text(cleaned))
    assert cleaned.title == cleaned.fields[0].text == "a\ufffdb"
    assert count == 5  # key, title, type, accession, the "other" field (not the title copy)
    assert scrub_publication(cleaned) == (cleaned, 0)


def test_no_reader_yields_surrogates_from_text_formats(tmp_path: Path) -> None:
    # Surrogates cannot come out of strict or replacing UTF-8/UTF-16 decoding, nor out of XML
    # character references (which lxml refuses): the text formats are safe by construction.
    path = tmp_path / "x.bib"
    path.write_bytes(b"@article{k, title={Caf\xed\xa0\x80 trial}}\n")  # CESU-8 style surrogate
    warnings: list[str] = []
    (publication,) = read_publications(path, on_warning=warnings.append)
    assert not _has_surrogate(_all_text(publication))
    xml = tmp_path / "x.xml"
    xml.write_text(
        "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article>"
        "<ArticleTitle>a &#xD800; b</ArticleTitle></Article></MedlineCitation></PubmedArticle>"
        "</PubmedArticleSet>",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="malformed XML"):
        list(read_publications(xml))


def test_file_with_no_records_is_an_error(fixtures_dir: Path, tmp_path: Path) -> None:
    seed = fixtures_dir / "publications" / "publications.txt"
    with pytest.raises(InputError, match=r"no publication records found \(read as bibtex") as got:
        list(read_publications(seed, fmt="bibtex"))
    assert got.value.file == str(seed)
    header_only = tmp_path / "x.csv"
    header_only.write_text("title,abstract\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no publication records found \(detected format: csv"):
        list(read_publications(header_only))
    empty_array = tmp_path / "x.json"
    empty_array.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="no publication records found"):
        list(read_publications(empty_array))


def test_file_where_no_record_has_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("".join(f'{{"pmid": "{n}", "words": "t"}}\n' for n in range(1, 21)), "utf-8")
    warnings: list[str] = []
    with pytest.raises(InputError, match="no record has a title or abstract; name the columns"):
        list(read_publications(path, on_warning=warnings.append))
    assert len(warnings) == WARN_UNTITLED_MAX
    assert [p.abstract for p in read_publications(path, columns={"abstract": "words"})] == [
        "t"
    ] * 20
    ris = tmp_path / "x.ris"
    ris.write_text("TY  - JOUR\nAU  - Someone\nER  - \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"no record has a title or abstract \(read as ris\)"):
        list(read_publications(ris))


def test_records_without_text_are_warned_up_to_a_cap(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    lines = ['{"title": "has one"}'] + [f'{{"pmid": "{n}"}}' for n in range(1, 9)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    warnings: list[str] = []
    assert len(list(read_publications(path, on_warning=warnings.append))) == 9
    assert warnings[0] == f"{path}: record 2 (line 2) has neither title nor abstract"
    assert len(warnings) == WARN_UNTITLED_MAX + 1
    assert warnings[-1] == f"{path}: ... and 3 more records without title or abstract"


def test_text_key_or_column_is_the_abstract_when_there_is_no_abstract(tmp_path: Path) -> None:
    jsonl = tmp_path / "x.jsonl"
    line = '{"pmid": "7", "text": "Body with NCT01234567."}'
    jsonl.write_text(line + "\n", encoding="utf-8")
    (publication,) = read_publications(jsonl)
    assert publication.abstract == "Body with NCT01234567."
    column = line.index("NCT") + 1
    assert publication.fields[1].locate(publication.abstract.index("NCT")) == (1, column)
    both = tmp_path / "y.jsonl"
    both.write_text('{"abstract": "real", "text": "other"}\n', encoding="utf-8")
    assert [p.abstract for p in read_publications(both)] == ["real"]
    csv = tmp_path / "x.csv"
    csv.write_text("id,body\nr1,Some body text\n", encoding="utf-8")
    (row,) = read_publications(csv)
    assert (row.key, row.abstract) == ("r1", "Some body text")


def test_json_object_keyed_by_id(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    fourth = '  "333": {"QUESTION": "no text", "CONTEXTS": ["Context one.", "Context two."]}'
    path.write_text(
        '{\n  "111": {"title": "First"},\n  "abc": {"title": "Second", "pmid": "222"},\n'
        f"{fourth}\n}}\n",
        encoding="utf-8",
    )
    warnings: list[str] = []
    first, second, third = read_publications(path, on_warning=warnings.append)
    assert (first.key, first.title, first.line) == ("111", "First", 2)
    assert (second.key, second.title) == ("222", "Second")
    assert third.key == "333" and third.text == "" and len(warnings) == 1
    *_, named = read_publications(path, columns={"abstract": "CONTEXTS"})
    assert named.abstract == "Context one. Context two."
    assert named.fields[1].locate(named.abstract.index("two")) == (4, fourth.index("two") + 1)


def test_json_single_record_object_with_nested_objects(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"title": "T", "journal": {"name": "J"}}', encoding="utf-8")
    (publication,) = read_publications(path)
    assert publication.title == "T" and publication.key == f"{path}#1"


def test_json_object_of_objects_without_text_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"1": {"QUESTION": "q"}, "2": {"QUESTION": "q"}}', encoding="utf-8")
    with pytest.raises(InputError, match="no record has a title or abstract"):
        list(read_publications(path))


def test_keys_do_not_collide_across_files_of_one_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for folder in ("d1", "d2"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "list.txt").write_text(f"Title in {folder}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    keys = [p.key for name in ("d1/list.txt", "d2/list.txt") for p in read_publications(name)]
    assert keys == ["d1/list.txt#1", "d2/list.txt#1"]


def test_column_mapping_on_a_format_without_columns_is_warned(fixtures_dir: Path) -> None:
    """``--column`` names CSV/TSV columns and JSON keys: elsewhere it changes nothing, and
    says so instead of being ignored silently."""
    samples = fixtures_dir / "publications"
    for name, warned in (("sample.ris", True), ("sample.csv", False)):
        warnings: list[str] = []
        columns = {"title": "Title"}
        list(read_publications(samples / name, columns=columns, on_warning=warnings.append))
        ignored = [w for w in warnings if "--column ignored" in w]
        assert bool(ignored) is warned, warnings
    warnings = []
    list(read_publications(samples / "sample.xml", columns=columns, on_warning=warnings.append))
    assert warnings == [
        f"{samples / 'sample.xml'}: --column ignored: it names CSV/TSV columns and JSON keys, "
        "not pubmed-xml"
    ]
