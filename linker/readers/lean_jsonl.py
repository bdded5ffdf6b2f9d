"""JSON Lines read lean: one raw scan per block decides which lines can hold an identifier.

Those lines (and any the lean check below cannot vouch for) go through the reader's own
:func:`~linker.readers.jsonrecords.line_draft` and become publications. Every other line is
decoded once with the fast JSON decoder, which also checks it is one well-formed object in
valid UTF-8, and is only counted, with the title-or-abstract test of the reference
(:func:`~linker.readers.jsonrecords.lean_has_text`): it holds no identifier, so no output of
``extract`` can come from it, and its warnings are the ones the reference would give.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from linker.extract.rawgate import JSON_GATE
from linker.models import Publication
from linker.readers.blocks import Abandon, block_lines, blocks
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.jsonrecords import (
    BLANK,
    MalformedJson,
    lean_has_text,
    line_draft,
    warn_surrogates,
)


def read_jsonl_lean(
    stream: BinaryIO, options: ReadOptions, tally: RecordTally
) -> Iterator[Publication]:
    """The publications of a JSON Lines stream that may hold an identifier; every other record
    is counted in ``tally``. :class:`Abandon` where the reference must read the file."""
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
            try:
                draft = line_draft(raw.decode("utf-8"), number, options, surrogates)
            except (UnicodeDecodeError, MalformedJson):
                raise Abandon("bytes that are not UTF-8, or a malformed object") from None
            if draft is not None:
                ordinal += 1
                yield tally.admit(draft.build(ordinal, options))
    warn_surrogates(surrogates[0], options)
