from __future__ import annotations

from pathlib import Path

import pytest

from linker.errors import InputError
from linker.readers import read_publications


def test_sample_bib(fixtures_dir: Path) -> None:
    first, second = read_publications(fixtures_dir / "publications" / "sample.bib")
    assert first.title == "A randomised trial of green tea for blood pressure"
    assert (first.line, first.end_line) == (4, 13)
    assert first.fields[0].locate(0) == (5, 17)
    assert first.fields[0].locate(first.title.index("for blood")) == (6, 16)
    assert first.fields[1].locate(first.abstract.index("NCT01234567")) == (11, 64)
    assert first.key == "10.1000/tea.2022.5"
    assert first.year == 2022
    assert first.publication_types == ["article"]
    assert [(d.databank, d.accession, d.line, d.column) for d in first.declared_ids] == [
        ("ISRCTN", "ISRCTN12345678", 12, 25)
    ]
    assert second.title == "Coffee and {ISRCTN} registration"
    assert second.pmid == second.key == "90000031"
    assert (second.line, second.end_line) == (15, 19)


def test_unbalanced_braces(tmp_path: Path) -> None:
    path = tmp_path / "bad.bib"
    path.write_text("@article{x,\n  title = {Open\n}\n\n@article{y, title={z}}\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    assert caught.value.file == str(path)
    assert caught.value.line is not None


def test_an_entry_running_on_past_a_line_starting_with_at_reads_whole(tmp_path: Path) -> None:
    # The file is scanned in pieces that start at lines beginning with "@" outside braces; a
    # parenthesised entry whose quoted value has such a line is joined again, positions kept.
    path = tmp_path / "paren.bib"
    path.write_text(
        '@article(a,\n  title = "Mail\n@someone about it",\n  abstract = {See NCT01234567.}\n)\n'
        "@article{b,\n  title = {Second}\n}\n"
    )
    first, second = read_publications(path)
    assert first.title == "Mail @someone about it"
    assert first.fields[1].locate(first.abstract.index("NCT")) == (4, 19)
    assert (first.line, second.line, second.title) == (1, 6, "Second")


def test_an_entry_that_never_closes_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "open.bib"
    path.write_text("@article{a,\n  title = {One}\n}\n@article{b,\n  title = {Two\n@misc{c,\n")
    with pytest.raises(InputError, match="unbalanced braces") as error:
        list(read_publications(path))
    assert error.value.line == 5


def test_a_repeated_title_or_registration_loses_nothing(tmp_path: Path) -> None:
    path = tmp_path / "d.bib"
    path.write_text(
        "@article{a, title={A}, abstract={NCT01234567}, doi={10.1000/first},\n"
        "  title={dup NCT04444444}, doi={10.1000/second}, note={n}, note={m}}\n",
        encoding="utf-8",
    )
    warnings: list[str] = []
    (publication,) = read_publications(path, on_warning=warnings.append)
    assert publication.title == "A dup NCT04444444"
    assert publication.fields[0].locate(publication.title.index("NCT04444444")) == (2, 14)
    assert publication.doi == "10.1000/first"
    assert warnings == [
        f"{path}: line 2: field 'title' repeated in one entry; every value is read",
        f"{path}: line 2: field 'doi' repeated in one entry; the first value is read",
    ]


def test_a_field_after_a_stray_closing_brace_is_warned(tmp_path: Path) -> None:
    """``title={...}},`` closes the entry: BibTeX reads what follows as a comment, so the
    abstract is lost; a warning says where."""
    path = tmp_path / "x.bib"
    path.write_text(
        "@article{a,\n title={A randomised trial}},\n abstract={NCT01234567}\n}\n"
        "@article{b,\n title={B}}\n% a comment = {between entries: no warning}\n"
        "@article{c, title={C}}\n",
        encoding="utf-8",
    )
    warnings: list[str] = []
    first, second, third = read_publications(path, on_warning=warnings.append)
    assert (first.title, first.abstract, second.title) == ("A randomised trial", "", "B")
    assert third.title == "C"
    assert warnings == [
        f"{path}: line 3: field 'abstract' after the entry closed on line 2 is not read "
        "(a stray '}' may have closed the entry early)"
    ]
