"""Silently wrong reads and unbounded memory: lone CR line endings, duplicate JSON keys, record
and document size limits, gzip bombs, closed standard input."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from support import FIXTURES

from linker.errors import InputError
from linker.limits import LimitedGzip, TooLarge, parse_size
from linker.readers import read_publications
from linker.readers.decode import decode_lines
from linker.readers.interface import ReadOptions

SEED = FIXTURES / "publications" / "publications.txt"


def test_lone_cr_text_list_reads_every_publication(tmp_path: Path) -> None:
    lines = SEED.read_bytes().replace(b"\r\n", b"\n").split(b"\n")
    path = tmp_path / "mac.txt"
    path.write_bytes(b"\r".join(lines))
    expected = list(read_publications(SEED))
    found = list(read_publications(path))
    assert len(found) == len(expected) == 11
    assert [(p.title, p.line) for p in found] == [(p.title, p.line) for p in expected]


def test_lone_cr_bibtex_keeps_entries_apart(tmp_path: Path) -> None:
    text = (
        "@article{a,\r  title = {First trial},\r  abstract = {Registered ISRCTN90000031.}\r}\r"
        "@article{b,\r  title = {Second paper},\r  abstract = {No registration here.}\r}\r"
    )
    path = tmp_path / "refs.bib"
    path.write_bytes(text.encode())
    found = list(read_publications(path))
    assert [p.title for p in found] == ["First trial", "Second paper"]
    assert "ISRCTN" not in found[1].abstract
    assert found[1].line == 5


def test_crlf_split_across_chunks_is_one_line_ending() -> None:
    data = b"a" * 65535 + b"\r\nb\rc\r\n"
    lines = list(decode_lines(io.BytesIO(data), ReadOptions(file_name="x")))
    assert [text for _, text in lines] == ["a" * 65535 + "\r", "b", "c\r", ""]


def test_duplicate_json_key_keeps_the_text_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text('{"title":"a","title":"b NCT01234567"}\n{"title":"c","title":""}\n')
    warnings: list[str] = []
    found = list(read_publications(path, on_warning=warnings.append))
    assert "NCT01234567" in found[0].title
    assert found[1].title == "c"
    assert len(warnings) == 2
    assert warnings[0].startswith(f"{path}: line 1: key 'title' appears more than once")


@pytest.mark.parametrize("decoder", ["installed", "stdlib"])
def test_duplicate_json_key_spelled_with_an_escape_is_seen(
    tmp_path: Path, decoder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fast JSON Lines path decodes with orjson (or json): both keep the last value silently.
    if decoder == "stdlib":
        monkeypatch.setattr("linker.readers.jsonrecords.loads", json.loads)
    path = tmp_path / "dup.jsonl"
    lines = [
        r'{"title":"a","ti\u0074le":"b NCT01234567"}',
        r'{"title":"a","ti\u0074le":"b"}',
        r'{"abstract":"x \"y\": z","\u0061bstract":"w"}',
        r'{"title":"plain \n text","abstract":"no key is escaped \"here\""}',
    ]
    path.write_text("\n".join(lines) + "\n")
    warnings: list[str] = []
    found = list(read_publications(path, on_warning=warnings.append))
    assert [(p.title, p.abstract) for p in found] == [
        ("a b NCT01234567", ""),
        ("a b", ""),
        ("", 'x "y": z w'),
        ("plain \n text", 'no key is escaped "here"'),
    ]
    assert [w.split(": ")[1] for w in warnings] == ["line 1", "line 2", "line 3"]
    assert all("appears more than once" in w for w in warnings)


def test_duplicate_json_key_in_a_document(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('[\n{"title": "", "title": "Trial NCT01234567"}\n]\n')
    warnings: list[str] = []
    [found] = list(read_publications(path, on_warning=warnings.append))
    assert found.title == "Trial NCT01234567"
    assert "line 2" in warnings[0]


def test_line_over_the_record_limit_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text('{"title": "ok"}\n{"title": "' + "x" * 5000 + '"}\n')
    with pytest.raises(InputError, match="line longer than 4096 bytes") as caught:
        list(read_publications(path, max_record_size=4096))
    assert caught.value.line == 2


def test_a_json_document_longer_than_the_first_read_is_read_whole(tmp_path: Path) -> None:
    # The format is detected from the first 64 KB, which are put back in front of the rest.
    path = tmp_path / "big.json"
    path.write_text(
        json.dumps([{"title": f"Trial {n}", "abstract": "x " * 100} for n in range(2000)])
    )
    assert path.stat().st_size > 4 * 65536
    found = list(read_publications(path))
    assert [p.title for p in found] == [f"Trial {n}" for n in range(2000)]


def test_document_read_whole_is_capped(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"title": "x" * 100}] * 50))
    with pytest.raises(InputError, match="read whole"):
        list(read_publications(path, max_record_size=100))


def test_gzip_bomb_is_refused_early() -> None:
    # One 64 MiB line of zeros compresses ~1000:1; generated, never written out.
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"0" * (1 << 20)
    bomb = b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()
    stream = io.BufferedReader(LimitedGzip(io.BytesIO(bomb), ratio_from=1 << 20))
    with pytest.raises(
        TooLarge, match=r"its first \S+ \S+ of compressed data decompress to over .*bomb"
    ):
        while stream.read(1 << 16):
            pass


def test_gzip_bomb_through_the_reader(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    with gzip.open(path, "wb") as out:
        out.write(b"Title\n" + b"a" * (12 << 20) + b"\n")
    with pytest.raises(InputError, match="line longer than 10 MB"):
        list(read_publications(path))


def test_gzip_absolute_limit() -> None:
    data = gzip.compress(b"x\n" * 5000)
    stream = io.BufferedReader(LimitedGzip(io.BytesIO(data), total=1000))
    with pytest.raises(TooLarge, match="more than 1000 bytes"):
        stream.read()


@pytest.mark.parametrize(
    ("text", "size"), [("2048", 2048), ("500k", 512_000), ("10MB", 10 << 20), ("1G", 1 << 30)]
)
def test_parse_size(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_closed_stdin_is_an_error() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "linker", "check", "-", "--no-verify", "-q"],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: os.close(0),  # as `check - <&-`
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "trial-linker: error: <stdin>: standard input is closed"


def test_a_100_mb_single_line_json_record_is_read(tmp_path: Path) -> None:
    """Kept small here (2 MB); bench/memory.py's docs give the 100 MB figure."""
    path = tmp_path / "one.jsonl"
    abstract = ("A randomised trial, registered as NCT01234567.\\n " * 40_000)[:2_000_000]
    path.write_text('{"title": "t", "abstract": "' + abstract + '"}\n')
    [found] = list(read_publications(path))
    assert found.abstract.startswith("A randomised trial")
