from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from linker.cli.main import cli
from linker.errors import InputError
from linker.readers import read_publications

if TYPE_CHECKING:
    from linker.models import Publication


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


UNTERMINATED = "unterminated quoted field (the quote opened here is never closed)"


def read_with_warnings(
    path: Path, columns: dict[str, str] | None = None
) -> tuple[list[Publication], list[str]]:
    warnings: list[str] = []
    records = list(read_publications(path, columns=columns, on_warning=warnings.append))
    return records, warnings


@pytest.mark.parametrize(
    ("text", "line"),
    [
        # The file: the abstract's quote, opened on line 2, swallowed every later row.
        ('Title,Abstract\n"A randomised trial","NCT01234567\nB,NCT07654321\nC,NCT05555555\n', 2),
        ('Title\n"', 2),  # a quote that is the file's last character
        ('Title\n"abc""', 2),  # a doubled quote is text, not the closing quote
        ('Title\tAbstract\nA\t"NCT01234567\n', 2),  # TSV
        # The row starts on line 2 (its title rightly spans lines 2-3); the open quote is on 3.
        ('Title,Abstract\n"two\nlines","NCT01234567\nB,NCT07654321\n', 3),
        # A complete row with a doubled quote on lines 2-3, then a quote opened on line 4.
        ('Title,Abstract\n"a\n""b""",x\n"c\nd\n', 4),
    ],
)
def test_a_quote_open_at_the_end_of_the_file_is_an_error_at_its_line(
    tmp_path: Path, text: str, line: int
) -> None:
    path = tmp_path / ("u.tsv" if "\t" in text else "u.csv")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    assert (caught.value.file, caught.value.line, caught.value.message) == (
        str(path),
        line,
        UNTERMINATED,
    )
    assert str(caught.value) == f"{path}:{line}: {UNTERMINATED}"


def test_an_unterminated_quote_deep_in_a_large_file_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    rows = (f"T{i},{chr(34) if i == 20_000 else ''}NCT{i:08d}\n" for i in range(60_000))
    path.write_text("Title,Abstract\n" + "".join(rows), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    assert (caught.value.line, caught.value.message) == (20_002, UNTERMINATED)


@pytest.mark.parametrize("end", ["\n", ""])
def test_quoted_cells_with_line_breaks_closed_at_the_end_are_read(tmp_path: Path, end: str) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(f'Title,Abstract\n"x\ny","NCT01234567\n\n""z"""{end}', encoding="utf-8")
    (record,), warnings = read_with_warnings(path)
    assert (record.title, record.abstract) == ("x\ny", 'NCT01234567\n\n"z"')
    assert (record.line, record.end_line) == (2, 5)
    assert warnings == []


def test_a_repeated_title_column_reads_both_cells_with_one_warning(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("Title,Title,Abstract\nA,NCT09999999,NCT01234567\n,B,\n", encoding="utf-8")
    (first, second), warnings = read_with_warnings(path)
    assert (first.title, first.abstract) == ("A NCT09999999", "NCT01234567")
    title = first.fields[0]
    assert title.locate(title.text.index("NCT09999999")) == (2, 3)
    assert second.title == "B"  # no leading space when the first cell is empty
    assert warnings == [
        f"{path}: line 1: column 'Title' appears more than once in the header (fields 1 and 2); "
        "all of them are read, their text joined by a space"
    ]


def test_repeated_abstract_registration_and_doi_columns(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "Title,Abstract,DOI,Notes,abstract ,doi,Registration,Notes,REGISTRATION\n"
        "A,see NCT01234567,,n1,and ISRCTN12345678,10.1000/xyz,NCT02222222,n2,NCT03333333\n"
        "B,x,10.1000/first,,,10.1000/second,,,\n",
        encoding="utf-8",
    )
    (first, second), warnings = read_with_warnings(path)
    assert first.abstract == "see NCT01234567 and ISRCTN12345678"
    abstract = first.fields[1]
    assert abstract.locate(abstract.text.index("ISRCTN")) == (2, 27)
    assert [(d.accession, d.line, d.column) for d in first.declared_ids] == [
        ("NCT02222222", 2, 54),
        ("NCT03333333", 2, 69),
    ]
    assert (first.doi, second.doi) == ("10.1000/xyz", "10.1000/first")
    assert warnings == [  # nothing about Notes: it is not read
        f"{path}: line 1: column 'Abstract' appears more than once in the header "
        "(fields 2 and 5); all of them are read, their text joined by a space",
        f"{path}: line 1: column 'DOI' appears more than once in the header (fields 3 and 6); "
        "the first cell that is not empty is read",
        f"{path}: line 1: column 'Registration' appears more than once in the header "
        "(fields 7 and 9); all of them are read",
    ]


def test_a_repeated_column_named_by_the_mapping_and_a_short_row(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text("Notes,Notes,Notes\na,b,c\nd\n", encoding="utf-8")
    (first, second), warnings = read_with_warnings(path, columns={"abstract": "notes"})
    assert (first.abstract, second.abstract) == ("a b c", "d")
    assert warnings == [
        f"{path}: line 1: column 'Notes' appears more than once in the header "
        "(fields 1, 2 and 3); all of them are read, their text joined by a space",
        f"{path}: 1 row(s) have a different number of fields than the header (3), "
        "first at line 3: check the delimiter and quoting",
    ]


def test_two_names_of_one_text_field_read_the_first_and_warn(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "Article Title,Summary,Title,Abstract,Text\nA NCT01234567,S ISRCTN12345678,T,B,X\n",
        encoding="utf-8",
    )
    (record,), warnings = read_with_warnings(path)
    assert (record.title, record.abstract) == ("T", "B")
    assert warnings == [
        f"{path}: line 1: columns 'Title' and 'Article Title' both name the title; 'Title' is "
        "read, 'Article Title' is not (--column title=NAME chooses)",
        f"{path}: line 1: columns 'Abstract' and 'Summary' both name the abstract; 'Abstract' "
        "is read, 'Summary' is not (--column abstract=NAME chooses)",
        f"{path}: line 1: columns 'Abstract' and 'Text' both name the abstract; 'Abstract' is "
        "read, 'Text' is not (--column abstract=NAME chooses)",
    ]
    (chosen,), warnings = read_with_warnings(path, columns={"title": "article title"})
    assert chosen.title == "A NCT01234567"
    assert len(warnings) == 2  # the abstract's rivals only: the title was chosen


def test_every_registration_column_is_read_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        "Title,Registration,Trial registration number\nA,NCT02222222,NCT03333333\n",
        encoding="utf-8",
    )
    (record,), warnings = read_with_warnings(path)
    assert [(d.accession, d.line, d.column) for d in record.declared_ids] == [
        ("NCT02222222", 2, 3),
        ("NCT03333333", 2, 15),
    ]
    assert warnings == []


def test_no_warning_without_a_repeated_column(fixtures_dir: Path) -> None:
    for name in ("sample.csv", "sample.tsv"):
        _, warnings = read_with_warnings(fixtures_dir / "publications" / name)
        assert warnings == []


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "u.csv").write_text(
        'Title,Abstract\n"A randomised trial","NCT01234567\nB,NCT07654321\nC,NCT05555555\n',
        encoding="utf-8",
    )
    (tmp_path / "good.csv").write_text("Title,Abstract\nA,NCT01234567\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "args",
    [
        ("extract", "u.csv"),
        ("check", "--no-verify", "u.csv"),
        ("check", "--no-verify", "--jobs", "2", "u.csv"),
        ("check", "--no-verify", "--jobs", "2", "good.csv", "u.csv"),
        ("extract", "--jobs", "2", "good.csv", "u.csv"),
    ],
)
def test_cli_unterminated_quote_is_one_line_and_exit_2(in_tmp: Path, args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"trial-linker: error: u.csv:2: {UNTERMINATED}"]


def test_cli_extract_keeps_the_identifier_of_a_repeated_column(in_tmp: Path) -> None:
    (in_tmp / "d.csv").write_text("Title,Title,Abstract\nA,NCT09999999,NCT01234567\n")
    result = CliRunner().invoke(cli, ["extract", "d.csv", "--format", "jsonl"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    found = [(row["id"], row["field"], row["column"]) for row in rows]
    assert found == [("NCT09999999", "title", 3), ("NCT01234567", "abstract", 15)]
    assert result.stderr.splitlines() == [
        "trial-linker: warning: d.csv: line 1: column 'Title' appears more than once in the "
        "header (fields 1 and 2); all of them are read, their text joined by a space"
    ]
