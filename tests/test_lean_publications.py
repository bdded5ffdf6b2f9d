"""``extract --publications`` read lean (:mod:`linker.lean_publications`, JSON Lines by
:mod:`linker.readers.lean_jsonl_publications`) writes exactly the reference's bytes, warnings and
errors: on every sample file, the seed list, the real abstracts and odd or malformed input,
with every scanning backend. The reference is the pipeline (:func:`linker.pipeline.
iter_extracted`) with the command's row of each :class:`~linker.pipeline.Extracted`."""

from __future__ import annotations

import gzip
import itertools
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES, every_scan_backend, shared_path

from linker.cli.extract_cmd import PUBLICATION_FIELDS, publication_row
from linker.cli.main import cli
from linker.errors import InputError
from linker.extract.mentions import extract_mentions
from linker.extract.scan import available_backends
from linker.lean import ListOptions
from linker.lean_publications import identifiers_of, publications_into, read_lean, reads_of
from linker.pipeline import ReadOptions, iter_extracted, iter_publications
from linker.readers.lean_jsonl_publications import PlainPublication
from linker.report.disk_rows import RowSpool

SAMPLES = sorted((FIXTURES / "publications").iterdir())
SEED = FIXTURES / "publications" / "publications.txt"
REAL = ("data-real", "abstracts", "unified_abstracts.jsonl.gz")

#: Output bytes, warnings and the error (or None).
Outcome = tuple[bytes, list[str], str | None]

scan_backend = every_scan_backend()


def _spooled(fmt: str, fill: object) -> bytes:
    import io

    with RowSpool(fmt, PUBLICATION_FIELDS) as spool:
        assert callable(fill)
        fill(spool)
        out = io.StringIO()
        spool.copy_to(out)
    return out.getvalue().encode("utf-8")


def outcome(
    path: Path, lean: bool, options: ListOptions | None = None, fmt: str = "jsonl"
) -> Outcome:
    """``path``'s ``--publications`` output read the lean way or the reference way."""
    options = options or ListOptions()
    warnings: list[str] = []
    error = None
    read = ReadOptions(
        fmt=options.fmt, columns=options.columns, max_record_size=options.max_record_size
    )

    def fill(spool: RowSpool) -> None:
        nonlocal error
        try:
            if lean:
                publications_into([str(path)], options, warnings.append, spool)
            else:
                for item in iter_extracted([str(path)], read, warnings.append, classify=True):
                    spool.write_row(publication_row(item))
        except InputError as raised:
            error = str(raised)

    return _spooled(fmt, fill), warnings, error


def assert_same(path: Path, options: ListOptions | None = None) -> None:
    for fmt in ("jsonl", "csv"):
        assert outcome(path, True, options, fmt) == outcome(path, False, options, fmt)


def lean_read(path: Path) -> bool:
    """Whether the lean reader read ``path`` to its end (no fallback)."""
    return read_lean(str(path), ListOptions(), lambda _: None, _Discard())


class _Discard:
    def write_row(self, row: object) -> None:
        pass

    def start_file(self) -> None:
        pass

    def forget_file(self) -> None:
        pass


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_files(path: Path) -> None:
    assert_same(path)
    assert lean_read(path) == (path.suffix == ".jsonl")


def test_seed_list_through_the_command() -> None:
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--publications", "--format", "jsonl"])
    assert result.exit_code == 0
    assert result.stdout.encode() == outcome(SEED, False)[0]


def _real_lines(count: int, step: int = 1) -> bytes:
    with gzip.open(shared_path(*REAL), "rb") as handle:
        return b"".join(itertools.islice(handle, 0, count * step, step))


def test_real_abstracts_rows(tmp_path: Path, scan_backend: str) -> None:
    """Whole rows (the classifier runs: a few hundred records per backend)."""
    path = tmp_path / "real.jsonl"
    first = scan_backend == available_backends()[0]
    path.write_bytes(_real_lines(300, 41) if first else _real_lines(120, 107))
    assert_same(path)
    assert lean_read(path)


def test_real_abstracts_read(tmp_path: Path, scan_backend: str) -> None:
    """What the classifier and the identifiers column are given, on every real record (every
    17th on the other backends): the lean reading against the reader's publications."""
    path = tmp_path / "real.jsonl"
    step = 1 if scan_backend == available_backends()[0] else 17
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


def test_several_files_one_falling_back(tmp_path: Path) -> None:
    good, odd = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    good.write_text(f'{{"title": "a {ID}"}}\n', encoding="utf-8")
    odd.write_bytes(b'{"title": "x"}\n{"title": "caf\xe9 NCT01234567"}\n')
    assert lean_read(good) and not lean_read(odd)
    result = CliRunner().invoke(
        cli, ["extract", str(good), str(odd), str(SEED), "--publications", "--format", "csv"]
    )
    assert result.exit_code == 0
    rows = [outcome(path, False, fmt="csv")[0].split(b"\n", 1) for path in (good, odd, SEED)]
    assert result.stdout.encode() == rows[0][0] + b"\n" + b"".join(rest for _, rest in rows)


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


def test_jobs_give_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "real.jsonl"
    lines = [
        f'{{"pmid": "{n}", "title": "A randomised trial {n}", "abstract": "NCT0{n:07d}"}}'
        for n in range(40)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    command = ["extract", str(path), str(SEED), "--publications", "--format", "jsonl"]
    one = runner.invoke(cli, [*command, "--jobs", "1"])
    two = runner.invoke(cli, [*command, "--jobs", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
