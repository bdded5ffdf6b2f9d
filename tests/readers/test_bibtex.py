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
