from __future__ import annotations

from pathlib import Path

from linker.extract.mentions import databank_registry, extract_mentions
from linker.models import (
    DeclaredIdentifier,
    Publication,
    Registry,
    Role,
    TextAnchor,
    TextField,
)


def _publication(**kwargs: object) -> Publication:
    base: dict[str, object] = {
        "key": "p1",
        "file": "list.txt",
        "line": 3,
        "end_line": 4,
        "ordinal": 1,
    }
    base.update(kwargs)
    return Publication.model_validate(base)


def test_text_mentions_carry_file_positions() -> None:
    abstract = "Results were good.\nTRIAL REGISTRATION: ISRCTN\n10134725; NCT01506986."
    field = TextField(
        name="abstract",
        text=abstract,
        anchors=[
            TextAnchor(offset=0, line=4, column=1),
            TextAnchor(offset=abstract.index("TRIAL"), line=5, column=1),
            TextAnchor(offset=abstract.index("10134725"), line=6, column=1),
        ],
    )
    mentions = extract_mentions(_publication(abstract=abstract, fields=[field]))
    assert [(m.registry, m.id) for m in mentions] == [
        (Registry.ISRCTN, "ISRCTN10134725"),
        (Registry.CTGOV, "NCT01506986"),
    ]
    first, second = mentions
    assert (first.line, first.column, first.end_line, first.end_column) == (5, 21, 6, 8)
    assert (second.line, second.column, second.end_line, second.end_column) == (6, 11, 6, 21)
    assert first.raw == "ISRCTN\n10134725"
    assert first.field == "abstract"
    assert first.role == Role.OWN
    assert second.sentence.startswith("TRIAL REGISTRATION:")


def test_declared_ids_are_mapped_and_deduplicated() -> None:
    field = TextField(name="abstract", text="Registered as NCT01506986.")
    declared = [
        DeclaredIdentifier(databank="ClinicalTrials.gov", accession="NCT01506986", line=9),
        DeclaredIdentifier(databank="ISRCTN", accession="ISRCTN10134725", line=10, column=5),
        DeclaredIdentifier(databank="EudraCT", accession="EUDRACT2005-005362-36"),
        DeclaredIdentifier(databank="DRKS", accession="00003934"),
        DeclaredIdentifier(databank="JPRN", accession="NTR1912"),
        DeclaredIdentifier(databank="GEO", accession="GSE12345"),
        DeclaredIdentifier(databank="ANZCTR", accession="ACTRN1261000066"),
    ]
    mentions = extract_mentions(_publication(fields=[field], declared_ids=declared))
    got = [(m.field, m.registry, m.id, m.valid_format) for m in mentions]
    assert got == [
        ("abstract", Registry.CTGOV, "NCT01506986", True),
        ("declared", Registry.ISRCTN, "ISRCTN10134725", True),
        ("declared", Registry.EUCTR, "2005-005362-36", True),
        ("declared", Registry.DRKS, "DRKS00003934", True),
        ("declared", Registry.NL, "NTR1912", True),
        ("declared", Registry.ANZCTR, "ACTRN1261000066", False),
    ]
    isrctn = mentions[1]
    assert (isrctn.line, isrctn.column, isrctn.end_line, isrctn.end_column) == (10, 5, 10, 18)


def test_title_and_abstract_without_fields() -> None:
    mentions = extract_mentions(_publication(title="The X trial", abstract="NCT01506986"))
    assert [(m.field, m.id, m.line) for m in mentions] == [("abstract", "NCT01506986", 0)]


def test_databank_names() -> None:
    assert databank_registry("ClinicalTrials.gov") is Registry.CTGOV
    assert databank_registry("EudraCT") is Registry.EUCTR
    assert databank_registry("UMIN") is Registry.UMIN
    assert databank_registry("JPRN") is Registry.JRCT
    assert databank_registry("NTR") is Registry.NL
    assert databank_registry("Dryad") is None


def test_identifier_hyphenated_across_wrapped_lines(tmp_path: Path) -> None:
    """MEDLINE and RIS wrap long values; an identifier broken at a line-final hyphen is joined
    again, and its span runs from the first line to the second."""
    from linker.readers import read_publications

    medline = tmp_path / "wrapped.nbib"
    medline.write_text(
        "PMID- 123\nTI  - A trial.\nAB  - Registered as NCT0150-\n      6986 in 2011.\n\n",
        encoding="utf-8",
    )
    ris = tmp_path / "wrapped.ris"
    ris.write_text(
        "TY  - JOUR\nTI  - A trial.\nAB  - Registered as NCT0150-\n6986 in 2011.\nER  - \n",
        encoding="utf-8",
    )
    for path, second_column in ((medline, 7), (ris, 1)):
        [publication] = read_publications(path)
        [mention] = extract_mentions(publication)
        assert (mention.id, mention.valid_format) == ("NCT01506986", True)
        assert (mention.line, mention.column) == (3, 21)
        assert (mention.end_line, mention.end_column) == (4, second_column + 3)


def test_sentence_of_a_mention_in_a_huge_line_is_bounded() -> None:
    text = "word " * 1_000_000 + "registered as NCT01506986 in 2011" + " word" * 1_000_000
    [mention] = extract_mentions(_publication(fields=[TextField(name="abstract", text=text)]))
    assert mention.id == "NCT01506986"
    assert mention.role == Role.OWN
    assert "registered as NCT01506986 in 2011" in mention.sentence
    assert mention.sentence.startswith("\u2026") and mention.sentence.endswith("\u2026")
    assert len(mention.sentence) < 700
