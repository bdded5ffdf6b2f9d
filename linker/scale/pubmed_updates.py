"""PubMed update files: ``<DeleteCitation>`` lists and later versions of a citation.

NLM's update files (``pubmed26n1300.xml.gz`` after the baseline) carry new and revised
citations and, at the end, a ``<DeleteCitation>`` list of PMIDs withdrawn from PubMed. Applied
across files in order: a PMID deleted by file *i* drops that PMID's records from the files
before *i*; a PMID that appears again in a later file replaces its earlier record (later
records win, as NLM intends and Trialstreamer does).

The delete lists are found by :mod:`linker.readers.pubmed_deletions`, in regular files only:
a FIFO, a pipe or standard input is read once, by the run, and counts as not PubMed XML. Its
``<DeleteCitation>`` list and citation versions are then not applied across the inputs, and
:func:`read_once_warnings` says so where that could matter, rather than leaving them out
silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from itertools import islice
from typing import TypeVar

from linker.readers.pubmed_deletions import deleted_pmids, is_pubmed_xml, rereadable
from linker.scale.pmid_set import PmidSet

__all__ = [
    "BATCH",
    "apply_updates",
    "deleted_pmids",
    "is_pubmed_xml",
    "read_once_warnings",
    "rereadable",
]

BATCH = 1000

T = TypeVar("T")


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
