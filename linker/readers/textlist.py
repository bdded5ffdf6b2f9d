"""Plain-text publication lists: a title line followed by its abstract line(s).

Two layouts are recognised:

* packed (the seed list): no blank lines; a short line (under 300 characters, not starting
  with a section label such as ``BACKGROUND:``) is a title, long or labelled lines that follow
  are its abstract. Two short lines in a row are a title-only record and the next title. A
  list is packed when some block holds a title and its abstract after another abstract.
* blank-line separated: each block of lines is one record, its first line the title (unless it
  looks like an abstract) and the rest the abstract, short lines included.

A header at the top of the file (``Search results``, ``Found 5991 matches for`` and any short
lines up to the first title) is skipped with one warning naming the lines; a line that holds a
trial identifier is never part of it. Abstract lines are joined with ``\\n``; every line keeps
its own anchor.

The list is read line by line. Which layout it has is a property of the whole file, so lines
are held back until it is known: a packed list is known as such at its first title after an
abstract, and a block whose reading does not depend on the layout is released at once. Only
unusual lists (several short lines in one block, a single block of titles) are held to the end,
and then in a temporary file once they pass a few MB.
"""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO

from linker.extract.identifiers import holds_identifier
from linker.models import Publication
from linker.readers.guard import RecordMeter, record_too_large
from linker.readers.interface import LineReader, NumberedLines, ReadOptions, RecordDraft, number

TITLE_MAX = 300
_BACKLOG_IN_MEMORY = 4 * 1024 * 1024
_SECTION_LABEL = re.compile(
    r"^([A-Z][A-Z /&-]{2,40}|(Background|Objectives?|Aims?|Purpose|Introduction|Context|"
    r"Importance|Rationale|Methods?|Design|Setting|Summary|Abstract|Results?|Conclusions?)"
    r"( and [a-z]+)?):\s"
)
_HEADER = re.compile(
    r"^(search results?|found \d[\d,]* (matches|results)( for)?\b.*|\d[\d,]* (results|matches)\b.*"
    r"|showing \d.*|results? \d.*|page \d+( of \d+)?)$",
    re.I,
)


def _is_abstract_like(line: str) -> bool:
    return len(line) >= TITLE_MAX or bool(_SECTION_LABEL.match(line))


class _Backlog:
    """Lines held back until the layout is known: in memory while small, then in a temporary
    file, so that even a list that cannot be classified before its end takes little memory."""

    def __init__(self) -> None:
        self._lines: list[tuple[int, str]] = []
        self._size = 0
        self._spill: IO[str] | None = None

    def append(self, item: tuple[int, str]) -> None:
        if self._spill is not None:
            self._spill.write(f"{item[0]} {item[1]}\n")
            return
        self._lines.append(item)
        self._size += len(item[1]) + 50
        if self._size > _BACKLOG_IN_MEMORY:
            # closed when replayed or discarded (or collected, if the reader is abandoned)
            self._spill = tempfile.TemporaryFile(  # noqa: SIM115
                "w+", encoding="utf-8", errors="surrogatepass", newline="\n"
            )
            for held in self._lines:
                self._spill.write(f"{held[0]} {held[1]}\n")
            self._lines = []

    def drain(self) -> NumberedLines:
        """The lines held (the backlog is empty again at once)."""
        lines, spill = self._lines, self._spill
        self._lines, self._size, self._spill = [], 0, None
        if spill is None:
            return iter(lines)
        return self._replay(spill)

    def discard(self) -> None:
        if self._spill is not None:
            self._spill.close()
        self._lines, self._size, self._spill = [], 0, None

    @staticmethod
    def _replay(spill: IO[str]) -> NumberedLines:
        with spill:
            spill.seek(0)
            for record in spill:
                line_number, _, line = record.removesuffix("\n").partition(" ")
                yield int(line_number), line


class _Span:
    """The lines of a record as one layout would read it: its first line and its size."""

    def __init__(self) -> None:
        self.line = 0
        self.size = 0

    def add(self, item: tuple[int, str]) -> _Span:
        self.line = self.line or item[0]
        self.size += len(item[1]) + 1
        return self


class TextListReader(LineReader):
    name = "textlist"

    def read_lines(self, lines: NumberedLines, options: ReadOptions) -> Iterator[Publication]:
        without_cr = ((line_number, line.removesuffix("\r")) for line_number, line in lines)
        drafts = self._drafts(self._after_header(without_cr, options), options)
        yield from number(drafts, options)

    @staticmethod
    def _after_header(lines: NumberedLines, options: ReadOptions) -> NumberedLines:
        """The lines after the header block (blank lines before the first entry may be dropped:
        they change nothing)."""
        header = False
        first: tuple[int, str] | None = None
        last_number = 0
        for item in lines:
            last_number, stripped = item[0], item[1].strip()
            if stripped and not _HEADER.match(stripped):
                first = item
                break
            header = header or bool(stripped)
        if not header:
            return itertools.chain([first] if first else [], lines)
        if first is None:
            TextListReader._warn_header(last_number, options)
            return iter(())
        # Short lines after a recognised header (a site strapline) belong to it, up to the
        # line just before the first abstract.
        run = _Backlog()
        run.append(first)
        last = first
        stop: tuple[int, str] | None = None
        for item in lines:
            stripped = item[1].strip()
            if not stripped or _is_abstract_like(stripped) or holds_identifier(stripped):
                stop = item
                break
            run.append(item)
            last = item
        ahead = [stop] if stop else []
        if stop and _is_abstract_like(stop[1].strip()) and not holds_identifier(first[1]):
            run.discard()  # header lines too
            first = last
            kept: Iterable[tuple[int, str]] = [last, *ahead]
        else:
            kept = itertools.chain(run.drain(), ahead)
        TextListReader._warn_header(first[0] - 1, options)
        return itertools.chain(kept, lines)

    @staticmethod
    def _warn_header(last: int, options: ReadOptions) -> None:
        options.warn(f"skipped header lines 1-{last}" if last > 1 else "skipped header line 1")

    def _drafts(self, lines: NumberedLines, options: ReadOptions) -> Iterator[RecordDraft]:
        """Records, in the packed layout if a block holds an abstract line, then a title line,
        then an abstract line again (or if there is a single block of lines), else one record
        per blank-line separated block (where a short line closing a block's abstract, such as
        its trial registration, is part of the abstract).

        Until that is known, lines are held back, except for a block that both layouts read as
        the same one record (a title and its abstract lines, then a title or the end). Lines
        held are not yet a record, but once the record they belong to is over the size limit
        in both layouts, it will be in whichever the file turns out to have: an error at once.
        """
        held = _Backlog()
        same_either_way = True  # ``held`` is at most one block that both layouts read alike
        blocks = 0
        short_after_abstract = False  # in this block, a short line followed an abstract line
        previous_abstract: bool | None = None  # None between blocks
        block, since_title = _Span(), _Span()  # the record so far in each layout
        size = RecordMeter(options)
        for item in lines:
            stripped = item[1].strip()
            if not stripped:
                previous_abstract = None
                held.append(item)
                block = _Span()
                continue
            abstract = _is_abstract_like(stripped)
            block.add(item)
            since_title = since_title.add(item) if abstract else _Span().add(item)
            if min(block.size, since_title.size) > options.max_record_size:
                raise record_too_large(options, max(block.line, since_title.line))
            if previous_abstract is None:
                blocks += 1
                short_after_abstract = False
                if blocks > 1 and abstract:
                    same_either_way = False  # packed, it would continue the record before
                elif blocks > 1 and same_either_way:
                    yield from self._blocks(held.drain(), size)
            elif abstract and short_after_abstract:
                # An abstract, a title, its abstract: two records in one block, so packed.
                held.append(item)
                yield from self._packed(itertools.chain(held.drain(), lines), size)
                return
            elif previous_abstract and not abstract:
                # A title to come (packed), or the abstract's closing line ("Trial
                # registration: ..." in a blank-line separated list): the next lines tell.
                short_after_abstract = True
                same_either_way = False
            elif not abstract and not previous_abstract:
                same_either_way = False  # two title lines: two records when packed
            held.append(item)
            previous_abstract = abstract
        layout = self._packed if blocks < 2 else self._blocks
        yield from layout(held.drain(), size)

    @staticmethod
    def _add_line(
        line: str, draft: RecordDraft, line_number: int, title: bool, size: RecordMeter
    ) -> None:
        if draft.line == line_number:
            size.start(line_number)
        size.add(len(line))
        stripped = line.strip()
        column = len(line) - len(line.lstrip()) + 1
        target = draft.title if title else draft.abstract
        if not target.empty:
            target.add_unplaced("\n")
        target.add(stripped, line_number, column)
        draft.end_line = line_number

    def _packed(self, lines: NumberedLines, size: RecordMeter) -> Iterator[RecordDraft]:
        draft: RecordDraft | None = None
        for line_number, line in lines:
            stripped = line.strip()
            if not stripped:
                continue
            if _is_abstract_like(stripped):
                if draft is None:
                    draft = RecordDraft(line=line_number, end_line=line_number)
                self._add_line(line, draft, line_number, title=False, size=size)
            else:
                if draft is not None:
                    yield draft
                draft = RecordDraft(line=line_number, end_line=line_number)
                self._add_line(line, draft, line_number, title=True, size=size)
        if draft is not None:
            yield draft

    def _blocks(self, lines: NumberedLines, size: RecordMeter) -> Iterator[RecordDraft]:
        """One record per block: its first line is the title unless it looks like an abstract."""
        draft: RecordDraft | None = None
        for line_number, line in lines:
            stripped = line.strip()
            if not stripped:
                if draft is not None:
                    yield draft
                draft = None
            elif draft is None:
                draft = RecordDraft(line=line_number, end_line=line_number)
                self._add_line(
                    line, draft, line_number, title=not _is_abstract_like(stripped), size=size
                )
            else:
                self._add_line(line, draft, line_number, title=False, size=size)
        if draft is not None:
            yield draft
