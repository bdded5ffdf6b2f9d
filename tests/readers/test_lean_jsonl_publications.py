"""``extract --publications`` on JSON Lines read lean (:mod:`linker.readers.
lean_jsonl_publications`, through :mod:`linker.lean_publications`) writes exactly the
reference's bytes, warnings and errors: on every sample file of every format, the real
abstracts and odd or malformed input, with every scanning backend."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest
from publications_support import assert_same, lean_read, outcome
from support import FIXTURES, every_scan_backend, shared_path

from linker.extract.mentions import extract_mentions
from linker.extract.scan import available_backends
from linker.lean import ListOptions
from linker.lean_publications import identifiers_of, reads_of
from linker.pipeline import iter_publications
from linker.readers.lean_jsonl_publications import PlainPublication

SAMPLES = sorted((FIXTURES / "publications").iterdir())
REAL = ("data-real", "abstracts", "unified_abstracts.jsonl.gz")

scan_backend = every_scan_backend()


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_files(path: Path) -> None:
    assert_same(path)
    assert lean_read(path) == (path.suffix == ".jsonl")


def _fast_first(backend: str) -> bool:
    """Whether ``backend`` is the first installed and not the slow ``re``: it reads the most."""
    return backend != "re" and backend == available_backends()[0]


def _real_lines(count: int, step: int = 1) -> bytes:
    with gzip.open(shared_path(*REAL), "rb") as handle:
        return b"".join(itertools.islice(handle, 0, count * step, step))


def test_real_abstracts_rows(tmp_path: Path, scan_backend: str) -> None:
    """Whole rows (the classifier runs: a few hundred records per backend)."""
    path = tmp_path / "real.jsonl"
    first = _fast_first(scan_backend)
    path.write_bytes(_real_lines(300, 41) if first else _real_lines(120, 107))
    assert_same(path, formats=("jsonl",))
    assert lean_read(path)


def test_real_abstracts_read(tmp_path: Path, scan_backend: str) -> None:
    """What the classifier and the identifiers column are given, on every real record (every
    17th on the other backends): the lean reading against the reader's publications."""
    path = tmp_path / "real.jsonl"
    step = 1 if _fast_first(scan_backend) else 17
    path.write_bytes(_real_lines(20_000, step))
    lean = reads_of(str(path))
    assert lean is not None
    reference = list(iter_publications([str(path)]))
    assert len(lean) == len(reference) > 700
    assert sum(isinstance(read, PlainPublication) for read in lean) > 0.99 * len(lean)
    for read, publication in zip(lean, reference, strict=True):
        fields = ("key", "title", "abstract", "publication_types", "file", "line")
        assert [getattr(read, f) for f in fields] == [getattr(publication, f) for f in fields]
        expected = sorted({m.id for m in extract_mentions(publication)})
        assert identifiers_of(read) == expected


ID = "NCT01234567"
TYPES = '"publication_types": ["Randomized Controlled Trial", "Journal Article"]'
ODD = [
    # (name, file bytes)
    ("types listed", f'{{"pmid": "7", "title": "A trial {ID}", {TYPES}}}\n'.encode()),
    (
        "types as a string",
        b'{"title": "x", "abstract": "we randomised", "publication_types": "Review"}\n',
    ),
    ("types with numbers", b'{"title": "x", "publication_types": ["Review", 5, null]}\n'),
    ("types nested", b'{"title": "x", "publication_types": [["Review"]]}\n'),
    ("types as an object", b'{"title": "x", "publication_types": {"a": "Review"}}\n'),
    (
        "keys from id and doi",
        f'{{"id": "X1", "title": "t"}}\n{{"doi": "10.1/AB", "title": "{ID}"}}\n'.encode(),
    ),
    ("pmid as a number", b'{"pmid": 12345, "title": "t", "year": 2001}\n'),
    ("not json", f'{{"title": "a {ID}"}}\nnot json\n{{"title": "b"}}\n'.encode()),
    ("not an object", b'{"title": "x"}\n[1, 2]\n'),
    ("object over two lines", b'{"title": "x",\n"abstract": "y"}\n'),
    ("invalid utf-8", b'{"title": "caf\xe9"}\n'),
    ("lone CR", b'{"title": "a"}\r{"title": "b NCT01234567"}\n'),
    ("CRLF", f'{{"title": "a"}}\r\n{{"title": "b {ID}"}}\r\n'.encode()),
    ("duplicate keys", f'{{"title": "a", "title": "b {ID}"}}\n{{"title": "c"}}\n'.encode()),
    ("duplicate spelling", b'{"Title": "a", "title": "b"}\n{"title": "c"}\n'),
    ("untitled", b'{"pmid": "1"}\n{"title": "t"}\n'),
    ("many untitled", b'{"pmid": "1"}\n' * 8 + b'{"title": "t"}\n'),
    ("only untitled", b'{"pmid": "1"}\n{"pmid": "2"}\n'),
    ("surrogate escape", f'{{"title": "x \\ud800 {ID}"}}\n{{"title": "y \\udfff"}}\n'.encode()),
    ("declared", f'{{"title": "x", "trial_registration": "{ID}"}}\n'.encode()),
    ("blank lines", b'\n  \n{"title": "x"}\n\t\n\n{"title": "NCT01234567"}\n\n'),
    ("big integer", b'{"title": "x", "n": 123456789012345678901234567890}\n'),
    ("arrays", f'{{"title": ["a", "b"], "abstract": ["{ID} one", "two"]}}\n'.encode()),
    ("escapes", f'{{"title": "Trial\\n{ID}", "abstract": "reg\\"{ID}\\" \\\\{ID}"}}\n'.encode()),
    ("unicode escape", b'{"title": "\\u004eCT01234567 a randomised trial"}\n'),
    ("BOM", b'\xef\xbb\xbf{"title": "x NCT01234567"}\n'),
    ("UTF-16", '{"title": "x NCT01234567"}\n'.encode("utf-16")),
    ("no final newline", f'{{"title": "x"}}\n{{"title": "{ID}"}}'.encode()),
    ("nested objects", b'{"title": "x", "authors": [{"name": "a"}, {"name": "a"}]}\n'),
    ("number title", f'{{"title": 5, "abstract": "{ID}"}}\n'.encode()),
    ("columns", f'{{"headline": "{ID}", "body": "x"}}\n'.encode()),
    ("bare numbers", b'{"title": "Australian 12610000660088"}\n{"title": "Australian 1261"}\n'),
    ("empty abstract", b'{"title": "A randomised controlled trial", "abstract": "  "}\n'),
]


@pytest.mark.parametrize("content", [c for _, c in ODD], ids=[n for n, _ in ODD])
def test_odd_and_malformed_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "list.jsonl"
    path.write_bytes(content)
    assert_same(path)
    assert_same(path, ListOptions(fmt="jsonl", columns={"title": "headline"}))


def test_a_record_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text('{"title": "short"}\n{"title": "' + "x" * 300 + '"}\n', encoding="utf-8")
    assert_same(path, ListOptions(max_record_size=200))
    assert_same(path, ListOptions(max_record_size=2000))


def test_blocks_split_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import linker.readers.blocks as blocks

    lines = [
        f'{{"pmid": "{n}", "title": "t {n}", "abstract": "see NCT0{n:07d}"}}' for n in range(30)
    ]
    path = tmp_path / "list.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = outcome(path, False)
    for size in (7, 64, 1000):
        monkeypatch.setattr(blocks, "BLOCK_SIZE", size)
        assert outcome(path, True) == expected
