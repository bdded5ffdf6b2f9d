"""PubMed update files: ``<DeleteCitation>`` lists and later versions of a citation.

NLM's update files (``pubmed26n1300.xml.gz`` after the baseline) carry new and revised
citations and, at the end, a ``<DeleteCitation>`` list of PMIDs withdrawn from PubMed. Applied
across files in order: a PMID deleted by file *i* drops that PMID's records from the files
before *i*; a PMID that appears again in a later file replaces its earlier record (later
records win, as NLM intends and Trialstreamer does).

The delete list is found with a byte scan of the (decompressed) file for the element, far
cheaper than a second XML parse; the PMIDs inside are then read with the safe XML parser.

That scan opens the file again after the run has read it, so it looks at regular files only
(:func:`rereadable`). A FIFO, a pipe (``<(zcat a.xml.gz)``, ``/dev/stdin`` from a pipe), a
terminal or ``-`` can be read once, by the run itself: opening a FIFO again blocks until
someone writes to it (the run hung for ever), and a pipe read again is empty. Such an input
counts as not PubMed XML here: its ``<DeleteCitation>`` list and citation versions are not
applied across the inputs, and :func:`read_once_warnings` says so where that could matter,
rather than leaving them out silently. (Learning both during the run's own read would be
exact, but the delete list does not travel with the publications the readers give.)
"""

from __future__ import annotations

import gzip
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from itertools import islice
from pathlib import Path
from typing import BinaryIO, TypeVar

from defusedxml import ElementTree as SafeET

from linker.scale.pmid_set import PmidSet

_START = b"<DeleteCitation"
_END = b"</DeleteCitation>"
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_PMID = re.compile(r"\d+")
BATCH = 1000

T = TypeVar("T")


def rereadable(path: str) -> bool:
    """Whether the input ``path`` is a regular file (symbolic links followed), which can be
    opened again after the run has read it; not ``-`` (standard input), a FIFO, a pipe, a
    terminal or a device (see the module's notes)."""
    if path == "-":
        return False
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return False


def _open_regular(path: str) -> BinaryIO | None:
    """``path`` opened for reading if it is a regular file, else None (never blocks: it is
    opened without waiting, as a FIFO would make it, and checked once open too, in case
    it was replaced by one since :func:`rereadable` looked)."""
    if not rereadable(path):
        return None
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")


def is_pubmed_xml(path: str) -> bool:
    """Whether a regular file (plain or gzip) starts like a PubMed XML set; False for any
    other input, which is not opened again (:func:`rereadable`)."""
    try:
        raw = _open_regular(path)
        if raw is None:
            return False
        with raw:
            magic = raw.read(2)
            raw.seek(0)
            head = (gzip.GzipFile(fileobj=raw) if magic == _GZIP_MAGIC else raw).read(4096)
    except (OSError, EOFError):
        return False
    return b"<PubmedArticleSet" in head or b"<MedlineCitationSet" in head


def read_once_warnings(
    inputs: Sequence[str], pubmed: Callable[[str], bool] = is_pubmed_xml
) -> list[str]:
    """A warning for each input that is not a regular file, where PubMed updates could have
    applied to it (another input is PubMed XML, ``pubmed`` tells, or is read once too): its
    delete list and citation versions are not applied (see the module's notes)."""
    once = [source for source in inputs if not rereadable(source)]
    if not once or len(inputs) < 2:
        return []
    if len(once) == 1 and not any(pubmed(s) for s in inputs if s not in once):
        return []
    return [
        f"{'<stdin>' if source == '-' else source}: not a regular file (a pipe or standard "
        "input), so it is not read a second time for PubMed updates: if it is PubMed XML, its "
        "<DeleteCitation> list and citation versions are not applied across the inputs (give "
        "PubMed update files as regular files)"
        for source in once
    ]


def deleted_pmids(path: str) -> list[str]:
    """The PMIDs of every ``<DeleteCitation>`` in a PubMed XML file (plain or gzip); none for
    an input that is not a regular file, which is not opened again (:func:`rereadable`)."""
    opened = _open_regular(path)
    if opened is None:
        return []
    with opened as raw:
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
