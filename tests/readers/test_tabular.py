from __future__ import annotations

from pathlib import Path

import pytest

from linker.errors import InputError
from linker.readers import read_publications


def test_sample_csv(fixtures_dir: Path) -> None:
    path = fixtures_dir / "publications" / "sample.csv"
    first, second = read_publications(path)
    assert first.title == "A randomised trial of tai chi, and balance"
    assert first.abstract == 'Tai chi improved balance.\nTrial registration: NCT01234567 ("TAI").'
    assert (first.line, first.end_line) == (2, 3)
    assert first.fields[0].locate(0) == (2, 2)
    abstract = first.fields[1]
    assert abstract.locate(abstract.text.index("NCT01234567")) == (3, 21)
    assert abstract.locate(abstract.text.index("TAI")) == (3, 36)  # after a doubled quote
    assert first.key == first.pmid == "90000041"
    assert first.year == 2016
    assert [(d.accession, d.line, d.column) for d in first.declared_ids] == [("NCT01234567", 3, 73)]
    assert second.title == "No abstract trial" and second.key == f"{path}#2"
    assert second.line == 4


def test_sample_tsv_and_id_column(fixtures_dir: Path) -> None:
    first, second = read_publications(fixtures_dir / "publications" / "sample.tsv")
    assert first.key == "rec-1" and second.key == "rec-2"
    assert first.fields[1].locate(first.abstract.index("ISRCTN")) == (2, 61)


def test_column_overrides_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text("Heading;Body;Reg\nA trial;Some text;NCT01234567\n", encoding="utf-8")
    (publication,) = read_publications(
        path, columns={"title": "heading", "abstract": "BODY", "registration": "Reg"}
    )
    assert (publication.title, publication.abstract) == ("A trial", "Some text")
    assert publication.declared_ids[0].column == 19


def test_csv_without_title_or_abstract(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,value\na,b\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    assert (caught.value.file, caught.value.line) == (str(path), 1)
    assert "title" in caught.value.message


def test_unknown_override_column(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("title\na\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column named 'Nope'"):
        list(read_publications(path, columns={"abstract": "Nope"}))


def test_rows_with_a_different_field_count_are_kept_with_one_warning(tmp_path: Path) -> None:
    table = tmp_path / "ragged.csv"
    table.write_text("title,abstract\nA,x,extra\nB,y\nC\n", encoding="utf-8")
    warnings: list[str] = []
    records = list(read_publications(table, on_warning=warnings.append))
    assert [r.title for r in records] == ["A", "B", "C"]
    assert warnings == [
        f"{table}: 2 row(s) have a different number of fields than the header (2), "
        "first at line 2: check the delimiter and quoting"
    ]
