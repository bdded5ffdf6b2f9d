"""Split one large input file into parts at record boundaries, for the process pool.

A boundary is a line on which, in the format's own terms, a record starts and nothing of the
previous record is left open; the records of a part are counted by the same lines:

- ``pubmed-xml``: a line opening ``<PubmedArticle>`` or ``<PubmedBookArticle>``
  (``<MedlineCitation>`` in a ``MedlineCitationSet``), after the prolog and root tag;
- ``jsonl``: a line starting with ``{``;
- ``medline``: a ``PMID- `` line after a blank line (records: ``PMID- `` lines);
- ``ris``: a ``TY  - `` line after an ``ER  -`` line, blank lines between (records:
  ``TY  - `` lines).

The file is scanned once (gzip undone) with byte searches, never parsed. Each part is then read
by the format's reader (:mod:`linker.readers.part`), with the line numbers and record ordinals
of the whole file, and must give exactly the records counted for it, without an error; if any
part does not (an odd file: a record that does not start its own line, an error that the whole
file would report differently), the whole file is checked again as one task, so the result is
always that of reading the file whole. Formats read as one document (``bibtex``, ``json``), or
whose reading depends on the whole file (``textlist``: its header and layout are decided from
the first lines; ``csv``/``tsv``: a quoted cell may hold line breaks, so a line start is not
known to be a row start without tokenizing), files in UTF-16 or with lone CR line ends, and
files under :data:`MIN_PART_BYTES` per part are not split: they run as one task.
"""

from __future__ import annotations

import re
import zlib
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from linker.limits import TooLarge
from linker.readers.decode import looks_binary
from linker.readers.detect import detect_format
from linker.readers.part import FilePart, decompressed

MIN_PART_BYTES = 1 << 20
# A task's output rows are held until it ends (in its worker, then on disk until they are due):
# an uncompressed file is cut into parts of at most this size, even among enough files to keep
# every process busy, so memory does not grow with the file. A gzip file is cut only as the
# number of processes asks: each of its parts is reached by decompressing all that is before it.
MAX_PART_BYTES = 64 << 20
# ``extract --publications`` makes a row of every record, twenty times the rows a byte: its
# parts are kept smaller (on a 1 GB list, 64 MB parts gave a 268 MB peak, 8 MB parts 103 MB).
PUBLICATION_PART_BYTES = 8 << 20


def part_limit(publications: bool) -> int:
    """The largest part (bytes) of a file cut for the pool, by what the tasks output."""
    return PUBLICATION_PART_BYTES if publications else MAX_PART_BYTES


SPLITTABLE = frozenset({"pubmed-xml", "jsonl", "medline", "ris"})
_BLOCK = 1 << 22
_HEAD = 65536
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_LONE_CR = re.compile(rb"\r(?!\n)")
_XML_ROOT = re.compile(rb"<(PubmedArticleSet|MedlineCitationSet|PubmedBookArticleSet)[\s>]")
_XML_RECORD = {
    b"MedlineCitationSet": re.compile(rb"^[ \t]*<MedlineCitation[\s>]", re.M),
    b"PubmedArticleSet": re.compile(rb"^[ \t]*<(?:PubmedArticle|PubmedBookArticle)[\s>]", re.M),
}
_XML_RECORD[b"PubmedBookArticleSet"] = _XML_RECORD[b"PubmedArticleSet"]
_JSONL_RECORD = re.compile(rb"^[ \t]*\{", re.M)
_MEDLINE_RECORD = re.compile(rb"^PMID- ", re.M)
_MEDLINE_CUT = re.compile(rb"^[ \t\r]*\n(?=PMID- )", re.M)
_RIS_RECORD = re.compile(rb"^TY  -", re.M)
_RIS_CUT = re.compile(rb"^ER  -[^\n]*\n(?:[ \t\r]*\n)*(?=TY  -)", re.M)


@dataclass(frozen=True)
class _Layout:
    """How records and boundaries are found in one file's format."""

    records: re.Pattern[bytes]
    cuts: re.Pattern[bytes] | None  # None: a record's line is a boundary
    header_end: int = 0
    footer: bytes = b""


@dataclass(frozen=True)
class _Cut:
    offset: int
    line: int  # of the line starting at ``offset``
    ordinal: int  # of the record starting there


def plan_parts(
    source: str, fmt: str | None, parts: int, min_part_bytes: int | None = None
) -> list[FilePart] | None:
    """``source`` cut into up to ``parts`` parts of similar size, each of at least
    ``min_part_bytes`` (default :data:`MIN_PART_BYTES`); None when it is not split (see the
    module's docstring), so that it runs as one task."""
    min_part_bytes = MIN_PART_BYTES if min_part_bytes is None else min_part_bytes
    if parts < 2 or source == "-":
        return None
    found = _format_layout(source, fmt)
    if found is None:
        return None
    try:
        return _plan(source, *found, parts, min_part_bytes)
    except (OSError, EOFError, zlib.error, TooLarge):
        return None  # the reader reports it, as for any file


def _format_layout(source: str, fmt: str | None) -> tuple[str, _Layout] | None:
    """The format of ``source`` and how its records are found, from its first bytes; None
    when it is not split (a format read whole, UTF-16, binary, empty, unreadable)."""
    try:
        with decompressed(source) as stream:
            head = stream.read(_HEAD)
        if not head.strip() or looks_binary(head) or head.startswith(_UTF16_BOMS):
            return None
        fmt = fmt or detect_format(source, head)
        layout = _layout(fmt, head)
    except (OSError, EOFError, zlib.error, TooLarge):
        return None  # the reader reports it, as for any file
    return None if layout is None else (fmt, layout)


def _layout(fmt: str, head: bytes) -> _Layout | None:
    if fmt == "jsonl":
        return _Layout(_JSONL_RECORD, None)
    if fmt == "medline":
        return _Layout(_MEDLINE_RECORD, _MEDLINE_CUT)
    if fmt == "ris":
        return _Layout(_RIS_RECORD, _RIS_CUT)
    if fmt != "pubmed-xml":
        return None
    root = _XML_ROOT.search(head)
    if root is None:
        return None
    records = _XML_RECORD[root.group(1)]
    first = records.search(head, root.end())
    if first is None:
        return None
    # The prolog and root tag must end before the first record's line, with no record in them.
    header = head[: first.start()]
    if re.search(rb"<(?:PubmedArticle|PubmedBookArticle|MedlineCitation)[\s>]", header):
        return None
    return _Layout(records, None, header_end=len(header), footer=b"</" + root.group(1) + b">\n")


def _plan(
    source: str, fmt: str, layout: _Layout, parts: int, min_part_bytes: int
) -> list[FilePart] | None:
    """One scan: every boundary (offset, line, ordinal) far enough from the one before to be
    a candidate, the total size and the number of records."""
    candidates: list[_Cut] = []
    size = lines = records = 0
    step = min_part_bytes // 4
    record_lines = LineStarts(layout.records)
    cut_lines = None if layout.cuts is None else LineStarts(layout.cuts)
    for block in _line_blocks(source):
        if b"\r" in block and _LONE_CR.search(block):
            return None  # lone CR line ends: the readers number lines differently
        starts = [start for start, _ in record_lines.spans(block)]
        cuts = starts if cut_lines is None else [end for _, end in cut_lines.spans(block)]
        last = candidates[-1].offset if candidates else layout.header_end
        counted, line = 0, lines + 1  # the line at ``counted`` in the block
        index = 0  # of the next cut to consider
        while True:
            # The first cut far enough from the last candidate (and past the header).
            index = bisect_left(cuts, max(last + step, layout.header_end) - size, index)
            if index == len(cuts):
                break
            cut = cuts[index]
            index += 1
            position = bisect_left(starts, cut)  # the records of the block before the cut
            if position == len(starts) or starts[position] != cut:
                continue  # not at a record's own line
            line += block.count(b"\n", counted, cut)
            counted = cut
            candidates.append(_Cut(size + cut, line, records + position + 1))
            last = size + cut
        size += len(block)
        lines += block.count(b"\n")
        records += len(starts)
    return _choose(source, fmt, layout, candidates, size, records, parts, min_part_bytes)


class LineStarts:
    """The matches of a pattern written ``^BODY`` (multi-line) in a block of whole lines, as
    its ``finditer`` gives them, found from the line feeds: ``re`` tries a pattern that begins
    with ``^`` at every byte, and searches for one that begins with a line feed at C speed
    (18x faster on a 100 MB list). ``BODY`` must not match an empty string, hold a top-level
    ``|`` (the ``^`` binds to its first branch only) or a backreference (groups shift)."""

    def __init__(self, pattern: re.Pattern[bytes]) -> None:
        if not pattern.pattern.startswith(b"^") or not pattern.flags & re.MULTILINE:
            raise ValueError("a multi-line pattern that begins with ^")
        body = pattern.pattern[1:]
        self._at_start = re.compile(body, pattern.flags)
        self._after_feed = re.compile(b"\n(?=(" + body + b"))", pattern.flags)

    def spans(self, block: bytes) -> list[tuple[int, int]]:
        """The (start, end) of every match in ``block``, in order, none overlapping."""
        first = self._at_start.match(block)
        found = [first.span()] if first else []
        end = found[0][1] if found else 0
        for match in self._after_feed.finditer(block):
            start = match.start(1)
            if start >= end:  # finditer goes on from the end of the match before
                found.append((start, match.end(1)))
                end = match.end(1)
        return found


def _line_blocks(source: str) -> Iterator[bytes]:
    """The decompressed file in blocks that end at a line end (the last one: at the end)."""
    with decompressed(source) as stream:
        rest = b""
        while data := stream.read(_BLOCK):
            end = data.rfind(b"\n") + 1
            if end == 0:
                rest += data
                continue
            # One copy of the block's bytes (the scan's other cost is reading them).
            block = b"".join((rest, memoryview(data)[:end])) if rest or end < len(data) else data
            rest = data[end:]
            yield block
        if rest:
            yield rest


def _choose(
    source: str,
    fmt: str,
    layout: _Layout,
    candidates: list[_Cut],
    size: int,
    records: int,
    parts: int,
    min_part_bytes: int,
) -> list[FilePart] | None:
    parts = min(parts, size // max(min_part_bytes, 1))
    if parts < 2 or not candidates:
        return None
    chosen: list[_Cut] = []
    for index in range(1, parts):
        target = size * index // parts
        best = min(candidates, key=lambda cut: abs(cut.offset - target))
        if not chosen or best.offset > chosen[-1].offset:
            chosen.append(best)
    if not chosen:
        return None
    header_lines = _header_lines(source, layout.header_end)
    starts = [_Cut(0, 1, 1), *chosen]
    ends: list[_Cut | None] = [*chosen, None]
    total = len(starts)
    return [
        FilePart(
            source=source,
            fmt=fmt,
            index=index,
            total=total,
            start=start.offset,
            end=end.offset if end is not None else None,
            first_line=start.line,
            first_ordinal=start.ordinal,
            records=(end.ordinal if end is not None else records + 1) - start.ordinal,
            header_end=layout.header_end if index > 1 else 0,
            header_lines=header_lines if index > 1 else 0,
            footer=layout.footer if end is not None else b"",
        )
        for index, (start, end) in enumerate(zip(starts, ends, strict=True), start=1)
    ]


def _header_lines(source: str, header_end: int) -> int:
    if header_end == 0:
        return 0
    with decompressed(source) as stream:
        return stream.read(header_end).count(b"\n")


Tasks = list[str | FilePart]
# Into how many parts a source is to be cut (1: run it whole), and its size.
_Wanted = tuple[int, int]


def plan_tasks(
    sources: Sequence[str], fmt: str | None, jobs: int, largest: int | None = None
) -> Tasks:
    """The pool's tasks: whole files, and parts of the large ones when there are too few files
    to keep ``jobs`` processes busy (about two tasks per process, in proportion to size), and
    of every uncompressed file over ``largest`` bytes (:data:`MAX_PART_BYTES` unless told)."""
    return _tasks(sources, fmt, _parts_wanted(sources, jobs, largest))


def _tasks(sources: Sequence[str], fmt: str | None, wanted: list[_Wanted]) -> Tasks:
    if not any(count > 1 for count, _ in wanted):
        return list(sources)
    tasks: Tasks = []
    for source, (count, _) in zip(sources, wanted, strict=True):
        tasks.extend(plan_parts(source, fmt, count) or [source])
    return tasks


def _parts_wanted(sources: Sequence[str], jobs: int, largest: int | None) -> list[_Wanted]:
    """Into how many parts :func:`plan_tasks` would cut each source, with its size (each file
    stat'ed once, a large one's first bytes read once; nothing looked at for one process)."""
    if jobs < 2:
        return [(1, 0)] * len(sources)  # a size is looked at only for a source to be cut
    sizes = [_size(source) for source in sources]
    few = len(sources) < 2 * jobs
    total = sum(sizes) or 1
    return [
        (max(-(-2 * jobs * size // total) if few else 1, _bounded(source, size, largest)), size)
        for source, size in zip(sources, sizes, strict=True)
    ]


def _bounded(source: str, size: int, largest: int | None) -> int:
    """The parts of at most ``largest`` bytes an uncompressed file needs (1 for a gzip file; a
    pipe, whose size is 0, is never opened: it could be read only once)."""
    largest = MAX_PART_BYTES if largest is None else largest
    if size <= largest or _gzip(source):
        return 1
    return -(-size // largest)


def pool_tasks(
    sources: Sequence[str], fmt: str | None, jobs: int, largest: int | None = None
) -> tuple[Tasks | Callable[[], Tasks], int]:
    """:func:`plan_tasks` for the pool (:func:`linker.scale.pool.shared_map`): the tasks, or,
    where planning scans a file to split it, the plan itself, to run once the workers start;
    and how many workers to start first (:func:`workers_to_start_first`)."""
    wanted = _parts_wanted(sources, jobs, largest)
    plan = partial(_tasks, sources, fmt, wanted)
    first = _workers_first(sources, fmt, jobs, wanted)
    return (plan if first else plan()), first


def workers_to_start_first(
    sources: Sequence[str], fmt: str | None, jobs: int, largest: int | None = None
) -> int:
    """How many of ``jobs - 1`` workers to start before :func:`plan_tasks` runs, so that they
    start up while it scans files to split them: as many as the parts it may make can keep
    busy (none when it scans nothing: enough files none of which is over ``largest``, or none
    of two parts' size in a format that splits)."""
    return _workers_first(sources, fmt, jobs, _parts_wanted(sources, jobs, largest))


def _workers_first(
    sources: Sequence[str], fmt: str | None, jobs: int, wanted: list[_Wanted]
) -> int:
    if not any(count > 1 for count, _ in wanted):
        return 0
    split = [
        size // MIN_PART_BYTES
        for source, (count, size) in zip(sources, wanted, strict=True)
        if count > 1 and size >= 2 * MIN_PART_BYTES and _format_layout(source, fmt) is not None
    ]
    if not split:
        return 0
    return min(jobs, len(sources) - len(split) + sum(split)) - 1


def bounded_parts(source: str, fmt: str | None) -> bool:
    """Whether ``source`` can be cut into parts as small as wanted (an uncompressed file in a
    format that splits; its first bytes are read)."""
    return not _gzip(source) and _format_layout(source, fmt) is not None


def _gzip(source: str) -> bool:
    try:
        with Path(source).open("rb") as raw:
            return raw.read(2) == b"\x1f\x8b"
    except OSError:
        return False


def _size(source: str) -> int:
    try:
        return Path(source).stat().st_size
    except OSError:
        return 0
