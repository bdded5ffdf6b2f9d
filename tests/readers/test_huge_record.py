"""A multi-MB single-line JSON record gives exactly what its pieces give read one by one: the
same identifiers at the same columns (shifted by the piece's place), through JSON escapes,
non-ASCII text and a dash that normalisation changes. A size, never a time, is asserted: the
speed of such records is measured by ``bench/huge_record.py``."""

from __future__ import annotations

from pathlib import Path

from linker.extract import extract_mentions
from linker.models import Mention
from linker.readers import read_publications

# One piece of the abstract as it stands in the JSON source: escapes every few characters
# (``\u00e9``, ``\"``, a surrogate pair, ``\n``), a dash written ``\u2010`` inside an EudraCT
# number, and identifiers between plain filler sentences.
_FILLER = r"Patients \u00e9t\u00e9 \"randomised\" to treatment \ud83d\ude00 or placebo. " * 20
_PIECE = (
    _FILLER
    + r"The trial was registered as NCT01234567 (EudraCT 2011\u2010003425-96). "
    + _FILLER
    + r"Data came from ISRCTN12345678.\nResults follow. "
)
_HEAD = r'{"id": "big", "title": "A large record", "abstract": "'
_PIECES = 1100  # over 2 MB of JSON


def _mentions(path: Path) -> list[Mention]:
    [publication] = read_publications(path, max_record_size=64 * 1024 * 1024)
    return extract_mentions(publication)


def _shape(mention: Mention, shift: int) -> tuple[object, ...]:
    return (
        mention.id,
        mention.raw,
        mention.line,
        mention.column + shift,
        mention.end_line,
        mention.end_column + shift,
        mention.role,
        mention.sentence,
        mention.valid_format,
    )


def test_huge_json_line_matches_its_pieces_read_alone(tmp_path: Path) -> None:
    small = tmp_path / "small.jsonl"
    small.write_text(_HEAD + _PIECE + '"}\n', encoding="ascii")
    big = tmp_path / "big.jsonl"
    big.write_text(_HEAD + _PIECE * _PIECES + '"}\n', encoding="ascii")
    assert big.stat().st_size > 2_500_000

    reference = _mentions(small)
    assert [m.id for m in reference] == ["NCT01234567", "2011-003425-96", "ISRCTN12345678"]
    expected = [_shape(mention, k * len(_PIECE)) for k in range(_PIECES) for mention in reference]
    assert [_shape(mention, 0) for mention in _mentions(big)] == expected


def test_huge_json_line_without_identifiers_reads_its_whole_text(tmp_path: Path) -> None:
    big = tmp_path / "plain.jsonl"
    big.write_text(_HEAD + _FILLER * 3000 + '"}\n', encoding="ascii")
    [publication] = read_publications(big, max_record_size=64 * 1024 * 1024)
    [piece] = read_publications(_write(tmp_path / "one.jsonl", _HEAD + _FILLER + '"}\n'))
    assert publication.abstract == piece.abstract * 3000
    assert extract_mentions(publication) == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="ascii")
    return path
