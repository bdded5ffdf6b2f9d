"""JSON Lines read lean: one raw scan per block decides which lines can hold an identifier.

Only the lines the scan touches are looked at one by one. The lines between them hold no
identifier, so no output of ``extract`` can come from them: they are decoded with the fast
JSON decoder all at once (:func:`~linker.readers.jsonrecords.bulk_has_text`, which also checks
that each is one well-formed object in valid UTF-8) and only counted, with the title-or-abstract
test of the reference, so their warnings are the ones the reference would give; where they are
not alike, each gets :func:`~linker.readers.jsonrecords.lean_has_text`. A line with a hit whose
record is plain (:func:`~linker.readers.jsonrecords.plain_record`: title and abstract plain
strings, no repeated key, nothing nested, nothing declared) has its title and abstract searched
and, where they hold identifiers, its mentions made directly as plain rows
(:func:`~linker.extract.mention_rows.text_row`, positions from the strings found in the line);
no publication is built. Every other line goes through the reader's own
:func:`~linker.readers.jsonrecords.line_draft` and becomes a publication.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate
from typing import TYPE_CHECKING, BinaryIO

from linker.extract.identifiers import find_identifiers
from linker.extract.mention_rows import MentionRow, text_row
from linker.extract.rawgate import JSON_GATE
from linker.readers.blocks import Abandon, block_lines, blocks
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.jsonrecords import (
    BLANK,
    KEY_END_PLAIN,
    UNDECODED,
    MalformedJson,
    PlainRecord,
    bulk_has_text,
    decode_lines,
    lean_has_text,
    line_draft,
    plain_record,
    warn_surrogates,
)

if TYPE_CHECKING:
    from linker.models import Publication


def read_jsonl_lean(
    stream: BinaryIO, options: ReadOptions, tally: RecordTally
) -> Iterator[Publication | list[MentionRow]]:
    """The publications (or, for plain records, the mentions) of a JSON Lines stream that may
    hold an identifier; every other record is counted in ``tally``. :class:`Abandon` where
    the reference must read the file."""
    lines = _Lines(options, tally)
    for block in blocks(stream, options):
        yield from lines.block(block)
    warn_surrogates(lines.surrogates[0], options)


def touched_lines(
    lines: list[bytes], located: list[tuple[int, int]], named: list[tuple[int, int]]
) -> tuple[set[int], set[int]]:
    """The indices of ``lines`` (a block's, :func:`block_lines`) that some region of the block
    touches: those a ``located`` region touches, and the others, touched by ``named`` ones."""
    starts = list(accumulate(map((1).__add__, map(len, lines)), initial=0))

    def indices(regions: list[tuple[int, int]]) -> set[int]:
        found: set[int] = set()
        for first, end in regions:
            found.update(range(bisect_right(starts, first) - 1, bisect_right(starts, end - 1)))
        return found

    hits = indices(located)
    return hits, indices(named) - hits if named else set()


class _Lines:
    """The numbering of the lines and records of one stream, as they are read."""

    def __init__(self, options: ReadOptions, tally: RecordTally) -> None:
        self.options = options
        self.tally = tally
        self.number = 0  # of the last line read
        self.ordinal = options.first_ordinal - 1  # of the last record counted
        self.surrogates = [0]

    def block(self, block: bytes) -> Iterator[Publication | list[MentionRow]]:
        """The lines of one block: those the raw scan touches read, the others counted, all
        at once where :func:`bulk_has_text` can (every line an object: one record each)."""
        # Leading empty lines counted at once (a part's stream starts with many: --jobs).
        unpadded = block.lstrip(b"\n")
        self.number += len(block) - len(unpadded)
        if not unpadded:
            return
        block = unpadded
        lines = block_lines(block)
        hits, named = touched_lines(lines, *JSON_GATE.split_regions(block))
        touched = hits | named
        verdicts = None
        decoded = decode_lines(lines)
        if decoded is not None and set(map(type, decoded)) == {dict}:
            key_ends = len(KEY_END_PLAIN.findall(block))
            key_ends -= sum(len(KEY_END_PLAIN.findall(lines[index])) for index in touched)
            untouched = [d for index, d in enumerate(decoded) if index not in touched]
            verdicts = bulk_has_text(untouched, key_ends, self.options)
        if verdicts is not None and decoded is not None and all(verdicts):
            first_number, first_ordinal = self.number, self.ordinal
            for index in sorted(touched):
                self.number, self.ordinal = first_number + index, first_ordinal + index
                yield from self.line(
                    lines[index], hit=index in hits, named=index in named, decoded=decoded[index]
                )
            self.tally.add_with_text(len(verdicts))
            self.number, self.ordinal = first_number + len(lines), first_ordinal + len(lines)
            return
        untold = iter(verdicts or ())
        for index, raw in enumerate(lines):
            if index in touched:
                yield from self.line(raw, hit=index in hits, named=index in named)
            elif verdicts is None:
                yield from self.line(raw, hit=False, named=False)
            else:
                self.number += 1
                self.ordinal += 1
                self.tally.add(self.ordinal, self.number, next(untold))

    def line(
        self, raw: bytes, *, hit: bool, named: bool, decoded: object = UNDECODED
    ) -> Iterator[Publication | list[MentionRow]]:
        """One line: counted, or read (``hit``: the raw scan touched it with a locator or
        trouble pattern; ``named``: with a bare registry name only); ``decoded``: what the
        fast decoder made of it, when known."""
        self.number += 1
        number, options, tally = self.number, self.options, self.tally
        if not hit:
            has_text = lean_has_text(raw, options, named=named, decoded=decoded)
            if has_text is BLANK:
                return
            if isinstance(has_text, bool):
                self.ordinal += 1
                tally.add(self.ordinal, number, has_text)
                return
        plain = plain_record(raw, number, options, decoded=decoded)
        mentions = None if plain is None else _plain_mentions(plain, self.ordinal + 1, options)
        if mentions is not None:
            assert plain is not None
            self.ordinal += 1
            tally.add(self.ordinal, number, bool(plain.title or plain.abstract))
            if mentions:
                yield mentions
            return
        try:
            draft = line_draft(raw.decode("utf-8"), number, options, self.surrogates)
        except (UnicodeDecodeError, MalformedJson):
            raise Abandon("bytes that are not UTF-8, or a malformed object") from None
        if draft is not None:
            self.ordinal += 1
            yield tally.admit(draft.build(self.ordinal, options))


def _plain_mentions(
    record: PlainRecord, ordinal: int, options: ReadOptions
) -> list[MentionRow] | None:
    """The mentions of a plain record (the ``ordinal``-th of its file), as the extractor makes
    them of the publication the reader would build; None: a string could not be placed."""
    if len(record.title) + len(record.abstract) > options.max_record_size:
        raise Abandon("a record over the record size limit")  # the reference says so
    mentions: list[MentionRow] = []
    key = None
    for name, text in (("title", record.title), ("abstract", record.abstract)):
        found = find_identifiers(text)
        if not found:
            continue
        locate = record.locator(name)
        if locate is None:
            return None
        key = key or record.key(ordinal, options)
        file = options.file_name
        mentions.extend(text_row(key, file, name, text, each, locate) for each in found)
    return mentions
