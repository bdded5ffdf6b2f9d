from __future__ import annotations

from pathlib import Path

import pytest

from linker.errors import InputError
from linker.readers import read_publications


def test_sample_ris(fixtures_dir: Path) -> None:
    warnings: list[str] = []
    path = fixtures_dir / "publications" / "sample.ris"
    first, second = read_publications(path, on_warning=warnings.append)
    assert warnings == []
    assert first.key == first.pmid == "90000021"
    assert (first.line, first.end_line) == (1, 9)
    assert first.title == "A randomised trial of yoga for migraine."
    assert first.fields[0].locate(first.title.index("migraine")) == (3, 7)
    assert first.fields[1].locate(first.abstract.index("NCT01234567")) == (4, 55)
    assert first.doi == "10.1000/YOGA.2019.3"
    assert first.year == 2019
    assert first.publication_types == ["JOUR"]
    assert [(d.accession, d.line, d.column) for d in first.declared_ids] == [("NCT01234567", 8, 27)]
    assert second.title == "Registries and their users"
    assert second.abstract == "A chapter with no identifier."
    assert second.key == f"{path}#2"  # the path as given, not its base name


def test_missing_er_is_warned_not_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.ris"
    path.write_text("TY  - JOUR\nTI  - One\nTY  - JOUR\nTI  - Two\n", encoding="utf-8")
    warnings: list[str] = []
    titles = [p.title for p in read_publications(path, on_warning=warnings.append)]
    assert titles == ["One", "Two"]
    assert len(warnings) == 2


def test_text_outside_records_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "a.ris"
    path.write_text("TY  - JOUR\nER  - \nstray text\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read_publications(path))
    assert caught.value.line == 3
