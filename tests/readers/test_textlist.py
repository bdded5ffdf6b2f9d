from __future__ import annotations

import re
from pathlib import Path

from linker.readers import read_publications

SEED_TITLES = {
    1: (4, "Optimising the delivery and impacts of interventions to improve hospital doctors'"),
    2: (6, "Like a Punch in the Gut: A Novel Perspective On Annual Recurrences of Ulcerative"),
    7: (16, "Recent-onset atrial fibrillation: challenges and opportunities."),
    9: (20, "Cognitive Therapy for PTSD: Updating Memories and Meanings of Trauma"),
    11: (24, "Racialised experience of detention under the Mental Health Act: a photovoice"),
}


def test_seed_list_has_exactly_eleven_publications(fixtures_dir: Path) -> None:
    warnings: list[str] = []
    seed = fixtures_dir / "publications" / "publications.txt"
    publications = list(read_publications(seed, on_warning=warnings.append))
    assert len(publications) == 11
    assert [p.ordinal for p in publications] == list(range(1, 12))
    assert [p.line for p in publications] == list(range(4, 25, 2))
    assert all(p.end_line == p.line + 1 for p in publications)
    assert all(p.abstract for p in publications)
    assert warnings == [f"{seed}: skipped header lines 1-3"]
    for ordinal, (line, title_start) in SEED_TITLES.items():
        publication = publications[ordinal - 1]
        assert publication.line == line
        assert publication.title.startswith(title_start)
        assert publication.key == f"{seed}#{ordinal}"
        assert publication.file == str(seed)
    assert publications[6].abstract.startswith("Atrial fibrillation (AF) is increasingly")
    assert not any("Search results" in p.text or "Thames Valley" in p.text for p in publications)


def test_seed_identifier_positions_are_exact(fixtures_dir: Path) -> None:
    seed = fixtures_dir / "publications" / "publications.txt"
    lines = seed.read_text(encoding="utf-8").split("\n")
    found = 0
    for publication in read_publications(seed):
        for field in publication.fields:
            for match in re.finditer(r"(NCT|ISRCTN)\d{8}", field.text):
                line, column = field.locate(match.start())
                assert lines[line - 1][column - 1 : column - 1 + len(match.group(0))] == (
                    match.group(0)
                )
                found += 1
    assert found == 7


def test_blank_line_separated_list(fixtures_dir: Path) -> None:
    path = fixtures_dir / "publications" / "blank_separated.txt"
    publications = list(read_publications(path))
    assert [(p.line, p.end_line) for p in publications] == [(1, 3), (5, 6), (8, 8)]
    assert publications[0].title == "Walking and mood: a randomised trial."
    assert publications[0].abstract.endswith("Trial registration: ISRCTN12345678.")
    abstract = publications[0].fields[1]
    assert abstract.locate(abstract.text.index("ISRCTN")) == (3, 21)
    assert publications[2].title == "Editorial: why registration matters."
    assert publications[2].abstract == ""


def test_title_only_records_in_packed_list(tmp_path: Path) -> None:
    long_abstract = "BACKGROUND: " + "words " * 60
    path = tmp_path / "list.txt"
    path.write_text(f"First title\nSecond title\n{long_abstract}\nThird title", encoding="utf-8")
    publications = list(read_publications(path))
    assert [(p.title, p.line, bool(p.abstract)) for p in publications] == [
        ("First title", 1, False),
        ("Second title", 2, True),
        ("Third title", 4, False),
    ]


def test_crlf_and_indentation(tmp_path: Path) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(b"  Indented title\r\nBACKGROUND: text NCT01234567.\r\n")
    (publication,) = read_publications(path)
    assert publication.title == "Indented title"
    assert publication.fields[0].locate(0) == (1, 3)
    assert publication.fields[1].locate(publication.abstract.index("NCT")) == (2, 18)


def test_a_line_holding_an_identifier_is_never_header(tmp_path: Path) -> None:
    """After a recognised header, short lines up to the first title are its strapline, but
    not one that holds a trial identifier: that is a publication, kept with the lines after."""
    path = tmp_path / "list.txt"
    path.write_text(
        "Search results\nFound 3 matches for\n"
        "Editorial: why trial registration matters NCT09999999.\n"
        "A randomised trial of walking\n"
        "BACKGROUND: We randomised 100 adults. Trial registration: NCT01234567.\n",
        encoding="utf-8",
    )
    warnings: list[str] = []
    publications = list(read_publications(path, on_warning=warnings.append))
    assert [(p.title, p.line) for p in publications] == [
        ("Editorial: why trial registration matters NCT09999999.", 3),
        ("A randomised trial of walking", 4),
    ]
    assert warnings == [f"{path}: skipped header lines 1-2"]
