"""A PubMed XML file's ``<DeleteCitation>`` list, found without parsing the file again.

NLM's update files (``pubmed26n1300.xml.gz`` after the baseline) end with a ``<DeleteCitation>``
list of PMIDs withdrawn from PubMed (:mod:`linker.scale.pubmed_updates` applies them across a
run's inputs). The list is found with a byte scan of the (decompressed) file for the element,
far cheaper than a second XML parse; the PMIDs inside are then read with the safe XML parser.

That scan opens the file again after the run has read it, so it looks at regular files only
(:func:`rereadable`). A FIFO, a pipe (``<(zcat a.xml.gz)``, ``/dev/stdin`` from a pipe), a
terminal or ``-`` can be read once, by the run itself: opening a FIFO again blocks until
someone writes to it (the run hung for ever), and a pipe read again is empty. Such an input
counts as not PubMed XML here. (Learning the list during the run's own read would be exact,
but it does not travel with the publications the readers give.)
"""

from __future__ import annotations

import gzip
import os
import re
import stat
from pathlib import Path
from typing import BinaryIO

from defusedxml import ElementTree as SafeET

_START = b"<DeleteCitation"
_END = b"</DeleteCitation>"
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_PMID = re.compile(r"\d+")


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
