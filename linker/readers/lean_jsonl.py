"""JSON Lines read lean: one raw scan per block decides which lines can hold an identifier.

Every line without a raw hit is decoded once with the fast JSON decoder, which also checks it
is one well-formed object in valid UTF-8, and is only counted, with the title-or-abstract test
of the reference (:func:`~linker.readers.jsonrecords.lean_has_text`): it holds no identifier,
so no output of ``extract`` can come from it, and its warnings are the ones the reference
would give. A line with a hit whose record is plain (:func:`~linker.readers.jsonrecords.
plain_record`: title and abstract plain strings, no repeated key, nothing nested, nothing
declared) has its title and abstract searched and, where they hold identifiers, its mentions
made directly as plain rows (:func:`~linker.extract.mention_rows.text_row`, positions from the
strings found in the line); no publication is built. Every other line goes through the reader's own
:func:`~linker.readers.jsonrecords.line_draft` and becomes a publication.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO

from linker.extract.identifiers import find_identifiers
from linker.extract.mention_rows import MentionRow, text_row
from linker.extract.rawgate import JSON_GATE
from linker.readers.blocks import Abandon, block_lines, blocks
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.jsonrecords import (
    BLANK,
    MalformedJson,
    PlainRecord,
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
    surrogates = [0]
    ordinal = number = 0
    for block in blocks(stream, options):
        hits, named = JSON_GATE.split_hits(block)
        for index, raw in enumerate(block_lines(block)):
            number += 1
            if index not in hits:
                has_text = lean_has_text(raw, options, named=index in named)
                if has_text is BLANK:
                    continue
                if isinstance(has_text, bool):
                    ordinal += 1
                    tally.add(ordinal, number, has_text)
                    continue
            plain = plain_record(raw, number, options)
            mentions = None if plain is None else _plain_mentions(plain, ordinal + 1, options)
            if mentions is not None:
                assert plain is not None
                ordinal += 1
                tally.add(ordinal, number, bool(plain.title or plain.abstract))
                if mentions:
                    yield mentions
                continue
            try:
                draft = line_draft(raw.decode("utf-8"), number, options, surrogates)
            except (UnicodeDecodeError, MalformedJson):
                raise Abandon("bytes that are not UTF-8, or a malformed object") from None
            if draft is not None:
                ordinal += 1
                yield tally.admit(draft.build(ordinal, options))
    warn_surrogates(surrogates[0], options)


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
