"""Lean extraction (:mod:`linker.lean`; JSON Lines by :mod:`linker.readers.lean_jsonl`) gives
exactly the reference's mentions, warnings and errors: on every sample file, the seed list,
real abstracts, and malformed or odd input, with every scanning backend."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest
from lean_support import assert_same, outcome
from support import FIXTURES, every_scan_backend, shared_path

from linker.extract.scan import available_backends, current_backend
from linker.lean import ListOptions

SAMPLES = sorted((FIXTURES / "publications").iterdir())
FAST_BACKENDS = [b for b in available_backends() if b != "re"]


scan_backend = every_scan_backend()


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_files(path: Path, scan_backend: str) -> None:
    used = assert_same(path)
    if path.suffix == ".jsonl" and scan_backend != "re":
        assert used  # the lean reader read it


def test_real_abstracts(tmp_path: Path) -> None:
    source = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    path = tmp_path / "real.jsonl"
    with gzip.open(source, "rb") as handle:
        path.write_bytes(b"".join(itertools.islice(handle, 4000)))
    assert assert_same(path) or current_backend() == "re"


ID = "NCT01234567"
ODD = [
    # (name, file bytes)
    ("not json", f'{{"title": "a {ID}"}}\nnot json\n{{"title": "b"}}\n'.encode()),
    ("not an object", b'{"title": "x"}\n[1, 2]\n'),
    ("two objects on a line", b'{"title": "x"} {"title": "y"}\n'),
    ("object over two lines", b'{"title": "x",\n"abstract": "y"}\n'),
    ("unclosed object", b'{"title": "x"}\n{"title": "y"\n'),
    ("invalid utf-8", f'{{"title": "caf\\u00e9 {ID}"}}\n'.encode() + b'{"title": "caf\xe9"}\n'),
    ("lone CR", b'{"title": "a"}\r{"title": "b NCT01234567"}\n'),
    ("CRLF", f'{{"title": "a"}}\r\n{{"title": "b {ID}"}}\r\n'.encode()),
    ("duplicate keys", f'{{"title": "a", "title": "b {ID}"}}\n{{"title": "c"}}\n'.encode()),
    ("duplicate escaped", b'{"x\\/y": 1, "x/y": 2, "title": "t"}\n{"title": "c"}\n'),
    ("duplicate spelling", b'{"Title": "a", "title": "b"}\n{"title": "c"}\n'),
    ("untitled", b'{"pmid": "1"}\n{"title": "t"}\n'),
    ("many untitled", b'{"pmid": "1"}\n' * 8 + b'{"title": "t"}\n'),
    ("only untitled", b'{"pmid": "1"}\n{"pmid": "2"}\n'),
    ("empty object", b"{}\n"),
    ("surrogate escape", f'{{"title": "x \\ud800 {ID}"}}\n{{"title": "y \\udfff"}}\n'.encode()),
    ("declared", f'{{"title": "x", "trial_registration": "{ID}"}}\n'.encode()),
    ("blank lines", b'\n  \n{"title": "x"}\n\t\n\n{"title": "NCT01234567"}\n\n'),
    ("NaN", b'{"title": "x", "score": NaN}\n{"title": "y"}\n'),
    ("big integer", b'{"title": "x", "n": 123456789012345678901234567890}\n'),
    ("arrays", f'{{"title": ["a", "b"], "abstract": ["{ID} one", "two"]}}\n'.encode()),
    ("array names", b'{"title": ["international", "standard"], "abstract": "12345678"}\n'),
    ("escapes", f'{{"title": "Trial\\n{ID}", "abstract": "reg\\"{ID}\\" \\\\{ID}"}}\n'.encode()),
    ("BOM", b'\xef\xbb\xbf{"title": "x NCT01234567"}\n'),
    ("UTF-16", '{"title": "x NCT01234567"}\n'.encode("utf-16")),
    ("no final newline", f'{{"title": "x"}}\n{{"title": "{ID}"}}'.encode()),
    ("nested title key", f'{{"meta": {{"title": "{ID}"}}, "abstract": "y"}}\n'.encode()),
    ("not a dict value", b'{"title": 5, "abstract": null}\n{"title": "x"}\n'),
    ("columns", f'{{"headline": "{ID}", "body": "x"}}\n'.encode()),
    ("spaced duplicate", b'{"title" : "a", "title"\t: "b"}\n{"title": "c"}\n'),
    ("escaped key", b'{"ti\\u0074le": "x"}\n{"title": "c"}\n'),
    ("nested objects", b'{"title": "x", "authors": [{"name": "a"}, {"name": "a"}]}\n'),
    ("nested duplicate", b'{"title": "x", "meta": {"a": 1, "a": 2}}\n{"title": "c"}\n'),
    ("colon after a quote", b'{"title": "the \\"key\\": v", "abstract": "y"}\n'),
    ("bare numbers", b'{"title": "Australian 12610000660088"}\n{"title": "Australian 1261"}\n'),
    ("named, digits elsewhere", b'{"pmid": "12345678", "title": "an Australian study"}\n'),
    (
        "escapes before ids",
        f'{{"title": "a\\tb\\u00e9 \u00e9 {ID}", "abstract": "\\"y\\" {ID}"}}\n'.encode(),
    ),
    (
        "key text in a value",
        f'{{"title": "\\"abstract\\": \\"{ID}", "abstract": "{ID}"}}\n'.encode(),
    ),
    ("escaped quote in a key", f'{{"x\\"abstract": "{ID}", "abstract": "y {ID}"}}\n'.encode()),
    ("key with brackets", f'{{"ab(s)tract": "x {ID}", "title": "t"}}\n'.encode()),
    ("number title", f'{{"title": 5, "abstract": "{ID}"}}\n'.encode()),
    (
        "keys from id and doi",
        f'{{"id": "X1", "title": "{ID}"}}\n{{"doi": "10.1/AB", "title": "{ID}"}}\n'.encode(),
    ),
    ("near misses", '{"title": "2001\u20132002, per-protocol, Lagos University"}\n'.encode()),
    (
        "quoted text before a colon",
        f'{{"title": "the \\"key\\": {ID}", "abstract": "y"}}\n'.encode(),
    ),
    ("escaped backslash ends a key", f'{{"a\\\\": 1, "title": "{ID}"}}\n'.encode()),
    ("three backslashes", f'{{"title": "x\\\\\\": {ID}", "abstract": "z"}}\n'.encode()),
    ("colon-led values", f'{{"title": ":{ID}", "abstract": "\\":x {ID}"}}\n'.encode()),
    ("nested, quoted colon", f'{{"title": "\\"a\\": {ID}", "m": {{"b": 1}}}}\n'.encode()),
    ("repeated, quoted colon", f'{{"title": "\\"a\\": x", "title": "{ID}"}}\n'.encode()),
]


@pytest.mark.parametrize("content", [c for _, c in ODD], ids=[n for n, _ in ODD])
def test_odd_and_malformed_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "list.jsonl"
    path.write_bytes(content)
    assert_same(path)
    assert_same(path, ListOptions(fmt="jsonl", columns={"title": "headline"}))


def test_a_line_over_the_record_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "list.jsonl"
    path.write_text('{"title": "short"}\n{"title": "' + "x" * 300 + '"}\n', encoding="utf-8")
    assert_same(path, ListOptions(max_record_size=200))
    assert_same(path, ListOptions(max_record_size=2000))


@pytest.mark.parametrize("backend", FAST_BACKENDS)
def test_blocks_split_anywhere(
    tmp_path: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linker.readers.blocks as blocks

    lines = [
        f'{{"pmid": "{n}", "title": "t {n}", "abstract": "see NCT0{n:07d}"}}' for n in range(50)
    ]
    path = tmp_path / "list.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = outcome(path, False)
    for size in (7, 64, 1000):
        monkeypatch.setattr(blocks, "BLOCK_SIZE", size)
        assert outcome(path, True)[:3] == expected[:3]


def _alike(number: int) -> str:
    return f'{{"pmid": "{number}", "title": "Title {number}", "abstract": "Text {number}."}}'


# Lines among alike ones (counted in bulk, :func:`~linker.readers.jsonrecords.bulk_has_text`)
# that the bulk count must notice, or that it must count with the right number and ordinal.
AMONG_ALIKE = [
    ("nothing odd", _alike(900)),
    ("untitled", '{"pmid": "901", "title": "", "abstract": ""}'),
    ("null texts", '{"pmid": "902", "title": null, "abstract": 3}'),
    ("duplicate key", '{"pmid": "903", "title": "a", "title": "b"}'),
    ("nested", '{"pmid": "904", "title": {"x": "a"}, "abstract": "b"}'),
    ("nested empty", '{"pmid": "905", "title": {}, "abstract": ""}'),
    ("keys reordered", '{"title": "t", "pmid": "906", "abstract": "b"}'),
    ("other keys", '{"pmid": "907", "headline": "t"}'),
    ("array title", '{"pmid": "908", "title": ["a", "b"], "abstract": "c"}'),
    ("colon opens a text", '{"pmid": "909", "title": ":) \\":\\"", "abstract": "c"}'),
    ("escaped quote, colon", '{"pmid": "910", "title": "the \\"key\\": v", "abstract": "c"}'),
    ("spaced colon", '{"pmid": "911", "title" : "t", "abstract": "c"}'),
    ("declared", '{"pmid": "912", "title": "t", "abstract": "c", "registration": "ISRCTN1"}'),
    ("blank", "   "),
    ("malformed", '{"pmid": "913", "title": "t"'),
    ("not an object", "[1, 2]"),
]
READ_THE_REFERENCE_WAY = {'{"pmid": "913", "title": "t"', "[1, 2]"}


@pytest.mark.parametrize("line", [c for _, c in AMONG_ALIKE], ids=[n for n, _ in AMONG_ALIKE])
@pytest.mark.parametrize("block_size", [None, 300])
def test_lines_among_alike_ones(
    tmp_path: Path, line: str, block_size: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import linker.readers.blocks as blocks

    if block_size is not None:
        monkeypatch.setattr(blocks, "BLOCK_SIZE", block_size)
    hit = f'{{"pmid": "800", "title": "Trial {ID}", "abstract": "see {ID}"}}'
    listing = [_alike(n) for n in range(6)] + [hit, line, *map(_alike, range(6, 9)), line, hit]
    path = tmp_path / "list.jsonl"
    path.write_text("\n".join([*listing, *map(_alike, range(10, 14))]) + "\n", encoding="utf-8")
    used = assert_same(path)
    assert used or current_backend() == "re" or line in READ_THE_REFERENCE_WAY
