"""Lean MEDLINE extraction (:mod:`linker.readers.lean_medline`) gives exactly the reference's
mentions, warnings and errors: on every sample file, real MEDLINE exports, real abstracts
written as MEDLINE, and odd or malformed input, with every scanning backend."""

from __future__ import annotations

import gzip
import itertools
import json
import textwrap
from pathlib import Path

import pytest
from lean_support import assert_same, outcome
from support import FIXTURES, every_scan_backend, shared_path

from linker.extract.scan import current_backend
from linker.lean import ListOptions

SAMPLES = sorted((FIXTURES / "publications").iterdir())
REAL_EXPORTS = [
    "pubmed_samples/firbolg+ACTS_MeSH__pubmed.txt",
    "pubmed_samples/samina-sol+drug-repurposing__pubmed.txt",  # CRLF line ends
    "pubmed_samples/p1m-ortho+qs-global-ortho-search-queries__citations.nbib",
    "robotsearch/pubmed_test.txt",
    "robotsearch/ovid.txt",
]


scan_backend = every_scan_backend()


def lean_expected(path: Path) -> bool:
    """Whether the lean reader must have read ``path`` (a fast backend, a MEDLINE file)."""
    return current_backend() != "re" and path.suffix in (".nbib", ".txt", ".medline")


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_sample_files(path: Path) -> None:
    used = assert_same(path)
    if path.suffix == ".nbib":
        assert used == lean_expected(path)


@pytest.mark.parametrize("name", REAL_EXPORTS)
def test_real_medline_exports(name: str) -> None:
    path = shared_path("data-real", "abstracts", *name.split("/"))
    assert assert_same(path) == lean_expected(path)


def medline_record(pmid: int, title: str, abstract: str, width: int) -> str:
    """A record as PubMed writes one, its values wrapped at ``width`` (hyphenated words may
    break after their hyphen)."""
    lines = [f"PMID- {pmid}"]
    for tag, text in (("TI", title), ("AB", abstract)):
        wrapped = textwrap.wrap(text, width) if text.strip() else []
        if wrapped:
            lines.append(f"{tag:<4}- {wrapped[0]}")
            lines.extend(f"      {rest}" for rest in wrapped[1:])
    return "\n".join(lines) + "\n\n"


def test_real_abstracts_written_as_medline(tmp_path: Path) -> None:
    source = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    path = tmp_path / "real.nbib"
    with gzip.open(source, "rt", encoding="utf-8") as handle, path.open("w") as out:
        for number, line in enumerate(itertools.islice(handle, 3000)):
            record = json.loads(line)
            title, abstract = record.get("title") or "", record.get("abstract") or ""
            out.write(medline_record(number + 1, title, abstract, 40 + number % 50))
    assert assert_same(path) == lean_expected(path)


ID = "NCT01234567"
RECORD = f"PMID- 1\nTI  - A trial\nAB  - Registered as {ID}.\n\n"
PLAIN = "PMID- 2\nTI  - Walking\nAB  - No registration here.\n\n"
ODD = [
    # (name, file bytes)
    ("no final newline", (RECORD + PLAIN).rstrip("\n").encode()),
    ("CRLF", (PLAIN + RECORD + PLAIN).replace("\n", "\r\n").encode()),
    ("mixed CRLF", (PLAIN.replace("\n", "\r\n") + RECORD).encode()),
    ("lone CR", (PLAIN + RECORD).replace("\n", "\r", 3).encode()),
    ("BOM", b"\xef\xbb\xbf" + (RECORD + PLAIN).encode()),
    ("UTF-16", (RECORD + PLAIN).encode("utf-16")),
    ("invalid utf-8", PLAIN.encode() + b"PMID- 3\nTI  - caf\xe9\n\n" + RECORD.encode()),
    ("untagged first line", ("not a tag\n" + RECORD).encode()),
    ("untagged after blank", (RECORD + "\nnot a tag\n" + PLAIN).encode()),
    ("continuation first", ("      indented\n" + RECORD).encode()),
    ("two PMIDs, no blank", (RECORD + PLAIN).replace("\n\n", "\n", 1).encode()),
    ("PMID after a tag", b"OWN - NLM\nPMID- 7\nTI  - x\nPMID- 8\nTI  - y\n\n"),
    (
        "declared ids",
        (PLAIN + "PMID- 5\nTI  - x\nSI  - ClinicalTrials.gov/NCT01234567\n\n").encode(),
    ),
    ("other databank", (PLAIN + "PMID- 6\nTI  - x\nSI  - GEO/GSE12345\n\n").encode()),
    ("untitled", ("PMID- 9\nPT  - Editorial\n\n" + PLAIN).encode()),
    ("many untitled", ("PMID- 9\nDP  - 2020\n\n" * 8 + RECORD).encode()),
    ("only untitled", b"PMID- 9\nDP  - 2020\n\nPMID- 10\n\n"),
    ("empty tag, text below", f"PMID- 1\nTI  -\n      {ID} trial\n\n{PLAIN}".encode()),
    ("blank tag value", b"PMID- 1\nTI  -   \nAB  - \t\n\n" + PLAIN.encode()),
    ("non-ascii first", "PMID- 1\nTI  - \u00c9tude\n\n".encode() + PLAIN.encode()),
    (
        "spaces-only line",
        (PLAIN + "   \n" + RECORD + "PMID- 4\nTI  - a\n \t \nAB  - b\n\n").encode(),
    ),
    ("nbsp-only line", (PLAIN.rstrip("\n") + "\n\u00a0\n" + RECORD).encode()),
    ("odd whitespace line", (PLAIN.rstrip("\n") + "\n\x1c\u2028\n" + RECORD).encode()),
    (
        "strip-only whitespace",
        f"PMID- 1\nAB  - see NCT0123\x85\n      4567 and {ID}\u2029\n\n".encode(),
    ),
    ("split by a hyphen", b"PMID- 1\nAB  - see NCT0150-\n      6986 here\n\n" + PLAIN.encode()),
    ("hyphen, nbsp, break", "PMID- 1\nAB  - see NCT0150-\u00a0\n      6986\n\n".encode()),
    ("odd dash at line end", "PMID- 1\nAB  - ISRCTN1234\u2010\n      5678\n\n".encode()),
    ("value against the dash", b"PMID- 1\nAB  -2004-001234-12 is the EudraCT\n\n"),
    ("title against the dash", b"PMID- 1\nAD  -NCT01234567\nTI  -2004-001234-12 EudraCT\n"),
    ("bare EudraCT", b"PMID- 1\nAB  - EudraCT 2004-001234-12.\n\n" + PLAIN.encode()),
    ("blank lines around", ("\n\n  \n" + RECORD + "\n\n\n" + PLAIN + "\n \n").encode()),
    ("tag spacing", f"PMID-1\nTI- a\nAB   - b {ID}\nABCDE- {ID}\n\n".encode()),
    ("lower-case tag", f"PMID- 1\nti  - {ID}\nTI  - x\n\n".encode()),
    ("soft hyphen inside", "PMID- 1\nAB  - NCT0123\u00ad4567\n\n".encode()),
    ("zero width inside", "PMID- 1\nAB  - NCT\u200b01234567\n\n".encode()),
    ("kelvin sign", "PMID- 1\nAB  - \u212a CT 1234 5678 and NC\u212a\n\n".encode()),
    ("tab continuation", f"PMID- 1\nAB  - Registered\n\t{ID}\n\n".encode()),
    ("second TI and AB", f"PMID- 1\nTI  - x\nTI  - {ID}\nAB  - y\nAB  - {ID}\n\n".encode()),
    ("id in other fields", f"PMID- 1\nTI  - x\nAD  - {ID} University\nOT  - {ID}\n\n".encode()),
    ("id over a line break", b"PMID- 1\nAB  - ISRCTN\n      12345678 and NCT 0123\n      4567\n\n"),
    ("blank line in another field", b"PMID- 1\nAD  - a\n\x1c\nPMID- 2\nAB  - ISRCTN12345678\n"),
    (
        "name, digits elsewhere",
        b"PMID- 12345678\nTI  - Australian\nDP  - 20200101\nAB  - 1234567\n",
    ),
    (
        "name and number",
        b"PMID- 1\nAB  - Australian New Zealand Clinical Trials Registry\n"
        b"      12614000123456; German Clinical Trials Register 00012345\n",
    ),
    ("name, number over lines", b"PMID- 1\nAB  - at ClinicalTrials.gov\n      00795964.\n"),
    ("name in another field", b"PMID- 1\nTI  - x\nAD  - Australian University 12345678\n\n"),
    (
        "named across lines",
        b"PMID- 1\nAB  - University hospital\n      Medical Information Network\n",
    ),
    (
        "tag line inside a text",
        f"PMID- 1\nAB  - Registered at\nNCT - {ID[3:]}\nIS  - {ID}\n".encode(),
    ),
    (
        "hits in other fields",
        f"PMID- 1\nTI  - t\nAD  - {ID} per-123 Dutch trial register\n".encode(),
    ),
    ("key from a DOI", f"AID - 10.1000/x [pii]\nLID - 10.1000/A [doi]\nAB  - {ID}\n".encode()),
    ("DOI over two lines", f"TI  - {ID}\nAID - 10.1000/\n      ABC [doi]\n\n".encode()),
    ("empty PMID, DOI", f"PMID-\nAID - 10.1000/d [doi]\nAB  - {ID}\n\n".encode()),
    ("no key", f"TI  - x\nAB  - {ID}\n\n{RECORD}TI  - {ID}\n\n".encode()),
    ("PMID over two lines", f"PMID- 1\n      2\nTI  - {ID}\n\n".encode()),
    ("title below its tag", f"PMID- 1\nTI  -\nTI  - {ID}\nTI  - NCT07654321\n\n".encode()),
    ("text before the tag line", f"PMID- 1\n{ID}\nTI  - x\n\n".encode()),
    ("untagged text line", f"PMID- 1\nAB  - see\n{ID} and\n  NCT0150-\n6986\n\n".encode()),
    (
        "CRLF with ids",
        f"PMID- 1\r\nTI  - {ID}\r\nAB  - a {ID} -\r\n   b\r\n\r\n".encode(),
    ),
    ("ids at the edges", f"PMID- 1\nTI  - {ID}\nAB  - {ID}\n      {ID}".encode()),
    ("empty lines in a row", (PLAIN + "\n\n" + RECORD + "\n" + PLAIN + RECORD).encode()),
    (
        # Records only counted between those read: numbered on by the stretches skipped, the
        # records a stretch read the reference way gives (two), and a key by number.
        "numbered across counted stretches",
        (
            PLAIN * 3
            + (PLAIN + RECORD).replace("\n\n", "\n", 1)
            + PLAIN * 2
            + "PMID- 9\nDP  - 2020\n\n"
            + PLAIN
            + f"TI  - x\nAB  - {ID}\n\n"
            + PLAIN
        ).encode(),
    ),
]


@pytest.mark.parametrize("content", [c for _, c in ODD], ids=[n for n, _ in ODD])
def test_odd_and_malformed_input(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "list.nbib"
    path.write_bytes(content)
    assert_same(path)
    assert_same(path, ListOptions(fmt="medline"))


def test_well_formed_input_is_read_lean(tmp_path: Path) -> None:
    path = tmp_path / "list.nbib"
    path.write_text(PLAIN + RECORD + "PMID- 3\nTI  - x\nSI  - ISRCTN/ISRCTN12345678\n\n")
    assert assert_same(path) == lean_expected(path)


@pytest.mark.parametrize("limit", [30, 60, 200, 2000])
def test_the_record_size_limit(tmp_path: Path, limit: int) -> None:
    path = tmp_path / "list.nbib"
    long_plain = "PMID- 3\nTI  - " + "word " * 20 + "\n      more\n\n"
    path.write_text(PLAIN + RECORD + long_plain + PLAIN, encoding="utf-8")
    assert_same(path, ListOptions(max_record_size=limit))


def test_blocks_split_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import linker.readers.blocks as blocks

    records = [
        medline_record(n, f"Title {n}", f"see NCT0{n:07d}" if n % 3 else "none here", 20)
        for n in range(60)
    ]
    path = tmp_path / "list.nbib"
    path.write_text("".join(records) + "\n\n", encoding="utf-8")
    expected = outcome(path, False)
    for size in (7, 64, 1000):
        monkeypatch.setattr(blocks, "BLOCK_SIZE", size)
        assert outcome(path, True) == (*expected[:3], lean_expected(path))


@pytest.mark.parametrize("size", [7, 64, 1 << 22])
def test_empty_lines_before_the_first_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """A part's stream (``--jobs``) starts with an empty line for each line of the file before
    the part: counted at once, the records after them keep their line numbers, in blocks of
    any size (the padding may fill several)."""
    import linker.readers.blocks as blocks

    monkeypatch.setattr(blocks, "BLOCK_SIZE", size)
    path = tmp_path / "list.nbib"
    path.write_text("\n" * 5000 + RECORD + PLAIN + "\n\n" + RECORD, encoding="utf-8")
    expected = outcome(path, False)
    assert outcome(path, True) == (*expected[:3], lean_expected(path))


PIECES = [
    ID,
    "ISRCTN",
    "12345678",
    "00795964",
    "2004-001234-12",
    "Australian",
    "ClinicalTrials.gov",
    "University hospital Medical Information Network",
    "UMIN000012345",
    "Dutch",
    "per-123",
    "NCT0150-",
    "6986",
    "-",
    "\u2010",
    "\u00a0",
    "\u00ad",
    "\u200b",
    "\x85",
    "\x1c",
    "\u2028",
    "\t",
    "  ",
    "trial",
    "registered",
    "DRKS00012345",
    "NTR1234",
    "ACTRN12614000123456",
    ".",
]
TAGS = ["TI", "AB", "AD", "OT", "PT", "SI", "PMID", "DP", "LID", "AU", "NCT"]


def generated_list(seed: int) -> bytes:
    """Records of random tags and values made of the pieces that matter to the gate."""
    import random

    rng = random.Random(seed)
    records = []
    for number in range(120):
        lines = [f"PMID- {number + 1}"]
        for _ in range(rng.randint(0, 6)):
            words = " ".join(rng.choice(PIECES) for _ in range(rng.randint(0, 6)))
            spaces = " " * rng.choice([0, 1, 1, 1, 2])
            lines.append(f"{rng.choice(TAGS):<4}-{spaces}{words}")
            for _ in range(rng.choice([0, 0, 1, 2])):
                indent = rng.choice(["      ", "\t", " ", "      \u00a0"])
                words = " ".join(rng.choice(PIECES) for _ in range(3))
                lines.append(f"{indent}{words} {rng.choice(['a', 'b-', 'NCT0'])}")
        records.append("\n".join(lines) + rng.choice(["\n\n", "\n\n\n", "\r\n\n", "\n \n"]))
    return "".join(records).encode()


@pytest.mark.parametrize("seed", range(6))
def test_generated_lists(tmp_path: Path, seed: int) -> None:
    path = tmp_path / "list.nbib"
    path.write_bytes(generated_list(seed))
    assert assert_same(path) == lean_expected(path)


def test_generated_list_in_small_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import linker.readers.blocks as blocks

    path = tmp_path / "list.nbib"
    path.write_bytes(generated_list(7))
    expected = outcome(path, False)
    for size in (5, 100, 3000):
        monkeypatch.setattr(blocks, "BLOCK_SIZE", size)
        assert outcome(path, True) == (*expected[:3], lean_expected(path))
