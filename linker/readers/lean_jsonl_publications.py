"""JSON Lines read lean for ``extract --publications``: each record's title, abstract and
publication types as plain strings, with no publication built.

Every line is decoded once, by the fast JSON decoder. A plain record
(:func:`~linker.readers.jsonrecords.plain_record`: title and abstract plain strings, no key
repeated, no surrogate escape, nothing declared; other members may nest objects) becomes a
:class:`PlainPublication`: the key, title, abstract, publication types and line the reader would
give it, and whether its line has a raw hit (:data:`~linker.extract.rawgate.JSON_GATE`; a line
without one holds no identifier in any text read from it). Every other line goes through the
reader's own :func:`~linker.readers.jsonrecords.line_draft` and becomes a publication. What the
lean reading does not follow (bytes that are not UTF-8, a malformed object, a record over the
size limit) raises :class:`~linker.readers.blocks.Abandon`: the caller reads the file again the
reference way. With the ``re`` backend (no multi-pattern gate) every record counts as hit.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, BinaryIO, NamedTuple

from linker.extract.rawgate import JSON_GATE
from linker.extract.scan import current_backend
from linker.readers.blocks import Abandon, block_lines, blocks
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.jsonrecords import MalformedJson, line_draft, plain_record, warn_surrogates

if TYPE_CHECKING:  # built only for the records that are not plain
    from linker.models import Publication


class PlainPublication(NamedTuple):
    """What ``extract --publications`` reads of a plain record, as its publication would hold
    it; ``may_cite``: whether its title or abstract may hold an identifier."""

    key: str
    title: str
    abstract: str
    publication_types: list[str]
    file: str
    line: int
    may_cite: bool


def read_jsonl_plain(
    stream: BinaryIO, options: ReadOptions, tally: RecordTally
) -> Iterator[Publication | PlainPublication]:
    """Every record of a JSON Lines stream, in order: plain ones as :class:`PlainPublication`,
    the others as the reader builds them; each counted in ``tally``. :class:`Abandon` where
    the reference must read the file."""
    surrogates = [0]
    ordinal, number = options.first_ordinal - 1, 0  # first_ordinal: a part's (--jobs)
    gated = current_backend() != "re"
    limit = options.max_record_size
    file = options.file_name
    hit: set[int] = set()
    for block in blocks(stream, options):
        if gated:
            located, named = JSON_GATE.split_hits(block)
            hit = located | named  # a bare registry name: its number is searched in the text
        for index, raw in enumerate(block_lines(block)):
            number += 1
            plain = plain_record(raw, number, options, nested=True)
            if plain is not None:
                title, abstract = plain.title, plain.abstract
                if len(title) + len(abstract) > limit:
                    raise Abandon("a record over the record size limit")  # the reference says so
                ordinal += 1
                tally.add(ordinal, number, bool(title or abstract))
                scalars = plain.scalars()
                key = scalars.key(ordinal, options)
                cites = not gated or index in hit
                yield PlainPublication(
                    key, title, abstract, scalars.publication_types, file, number, cites
                )
                continue
            try:
                draft = line_draft(raw.decode("utf-8"), number, options, surrogates)
            except (UnicodeDecodeError, MalformedJson):
                raise Abandon("bytes that are not UTF-8, or a malformed object") from None
            if draft is not None:
                ordinal += 1
                yield tally.admit(draft.build(ordinal, options))
    warn_surrogates(surrogates[0], options)
