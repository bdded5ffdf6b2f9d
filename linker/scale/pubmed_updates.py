"""PubMed update files: ``<DeleteCitation>`` lists and later versions of a citation.

NLM's update files (``pubmed26n1300.xml.gz`` after the baseline) carry new and revised
citations and, at the end, a ``<DeleteCitation>`` list of PMIDs withdrawn from PubMed. Applied
across files in order: a PMID deleted by file *i* drops that PMID's records from the files
before *i*; a PMID that appears again in a later file replaces its earlier record (later
records win, as NLM intends and Trialstreamer does).

The delete list is found with a byte scan of the (decompressed) file for the element, far
cheaper than a second XML parse; the PMIDs inside are then read with the safe XML parser.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from itertools import islice
from pathlib import Path
from typing import TypeVar

from defusedxml import ElementTree as SafeET

from linker.scale.pmid_set import PmidSet

_START = b"<DeleteCitation"
_END = b"</DeleteCitation>"
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_PMID = re.compile(r"\d+")
BATCH = 1000

T = TypeVar("T")


def is_pubmed_xml(path: str) -> bool:
    """Whether a file (plain or gzip) starts like a PubMed XML set."""
    try:
        with Path(path).open("rb") as raw:
            magic = raw.read(2)
            raw.seek(0)
            head = (gzip.GzipFile(fileobj=raw) if magic == _GZIP_MAGIC else raw).read(4096)
    except (OSError, EOFError):
        return False
    return b"<PubmedArticleSet" in head or b"<MedlineCitationSet" in head


def deleted_pmids(path: str) -> list[str]:
    """The PMIDs of every ``<DeleteCitation>`` in a PubMed XML file (plain or gzip)."""
    with Path(path).open("rb") as raw:
        magic = raw.read(2)
        raw.seek(0)
        stream = gzip.GzipFile(fileobj=raw) if magic == _GZIP_MAGIC else raw
        blocks: list[bytes] = []
        buffer = b""
        inside = False
        while chunk := stream.read(_CHUNK):
            buffer += chunk
            while True:
                if not inside:
                    start = buffer.find(_START)
                    if start < 0:
                        buffer = buffer[-len(_START) :]  # a tag may begin at the very end
                        break
                    buffer, inside = buffer[start:], True
                end = buffer.find(_END)
                if end < 0:
                    break  # the list goes on in the next chunk (lists are short)
                blocks.append(buffer[: end + len(_END)])
                buffer, inside = buffer[end + len(_END) :], False
    pmids: list[str] = []
    for block in blocks:
        element = SafeET.fromstring(block, forbid_dtd=True)
        pmids.extend((pmid.text or "").strip() for pmid in element.iter("PMID") if pmid.text)
    return [pmid for pmid in pmids if _PMID.fullmatch(pmid)]


def apply_updates(
    files: Sequence[tuple[Iterable[tuple[str | None, T]], Sequence[str]]],
) -> Iterator[T]:
    """The items of every file, deletions and later versions applied (last file first).

    ``files``: per input file in run order, its ``(pmid, item)`` pairs (read lazily, once) and
    its deleted PMIDs. One pass from the last file back: an item is kept unless a later file
    has its PMID again or deletes it. Memory: :data:`BATCH` items; the PMIDs seen are on disk
    (:class:`~linker.scale.pmid_set.PmidSet`).
    """
    with closing(PmidSet()) as pmids:
        for items, deleted in reversed(files):
            iterator = iter(items)
            while batch := list(islice(iterator, BATCH)):
                numbered = [pmid for pmid, _ in batch if pmid is not None]
                later = pmids.seen_among(numbered)
                pmids.add_here(numbered)
                yield from (item for pmid, item in batch if pmid is None or pmid not in later)
            pmids.end_file()
            pmids.add_seen(deleted)
