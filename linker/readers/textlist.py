"""Plain-text publication lists: a title line followed by its abstract line(s).

Two layouts are recognised:

* packed (the seed list): no blank lines; a short line (under 300 characters, not starting
  with a section label such as ``BACKGROUND:``) is a title, long or labelled lines that follow
  are its abstract. Two short lines in a row are a title-only record and the next title.
* blank-line separated: each block of lines is one record, its first line the title (unless it
  looks like an abstract) and the rest the abstract.

A header at the top of the file (``Search results``, ``Found 5991 matches for`` and any short
lines up to the first title) is skipped with one warning naming the lines. Abstract lines are
joined with ``\\n``; every line keeps its own anchor.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from linker.models import Publication
from linker.readers.interface import Reader, ReadOptions, RecordDraft, number, split_lines

TITLE_MAX = 300
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


class TextListReader(Reader):
    name = "textlist"

    def read(self, text: str, options: ReadOptions) -> Iterator[Publication]:
        lines = split_lines(text)
        start = self._skip_header(lines, options)
        blocks = self._blocks(lines, start)
        packed = any(
            _is_abstract_like(lines[a].strip()) and not _is_abstract_like(lines[b].strip())
            for block in blocks
            for a, b in itertools.pairwise(block)
        )
        if packed or len(blocks) < 2:
            drafts = self._packed(lines, [index for block in blocks for index in block])
        else:
            drafts = (self._block_record(lines, block) for block in blocks)
        yield from number(drafts, options)

    @staticmethod
    def _skip_header(lines: list[str], options: ReadOptions) -> int:
        """Index of the first line after the header block."""
        index = 0
        while index < len(lines) and (
            not lines[index].strip() or _HEADER.match(lines[index].strip())
        ):
            index += 1
        if index == 0 or not any(_HEADER.match(line.strip()) for line in lines[:index]):
            return 0
        # Short lines after a recognised header (a site strapline) belong to it, up to the
        # line just before the first abstract.
        look = index
        while (
            look + 1 < len(lines)
            and lines[look + 1].strip()
            and not _is_abstract_like(lines[look + 1].strip())
        ):
            look += 1
        if look + 1 < len(lines) and _is_abstract_like(lines[look + 1].strip()):
            index = look
        options.warn(f"skipped header lines 1-{index}" if index > 1 else "skipped header line 1")
        return index

    @staticmethod
    def _blocks(lines: list[str], start: int) -> list[list[int]]:
        blocks: list[list[int]] = []
        current: list[int] = []
        for index in range(start, len(lines)):
            if lines[index].strip():
                current.append(index)
            elif current:
                blocks.append(current)
                current = []
        if current:
            blocks.append(current)
        return blocks

    @staticmethod
    def _add_line(builder_line: str, draft: RecordDraft, index: int, title: bool) -> None:
        stripped = builder_line.strip()
        column = len(builder_line) - len(builder_line.lstrip()) + 1
        target = draft.title if title else draft.abstract
        if not target.empty:
            target.add_unplaced("\n")
        target.add(stripped, index + 1, column)
        draft.end_line = index + 1

    def _packed(self, lines: list[str], indices: list[int]) -> Iterator[RecordDraft]:
        draft: RecordDraft | None = None
        for index in indices:
            line = lines[index]
            if _is_abstract_like(line.strip()):
                if draft is None:
                    draft = RecordDraft(line=index + 1, end_line=index + 1)
                self._add_line(line, draft, index, title=False)
            else:
                if draft is not None:
                    yield draft
                draft = RecordDraft(line=index + 1, end_line=index + 1)
                self._add_line(line, draft, index, title=True)
        if draft is not None:
            yield draft

    def _block_record(self, lines: list[str], block: list[int]) -> RecordDraft:
        draft = RecordDraft(line=block[0] + 1, end_line=block[-1] + 1)
        first = lines[block[0]]
        has_title = not _is_abstract_like(first.strip())
        for position, index in enumerate(block):
            self._add_line(lines[index], draft, index, title=has_title and position == 0)
        return draft
