"""PubMed XML read lean: records are found in the raw bytes, one raw scan per block decides
which of them can hold an identifier, and only those are parsed.

The file is read in blocks (:func:`~linker.readers.blocks.blocks`). Each block goes, whole, to a
parser that only checks it is well-formed (lxml with the reference's options and no tree: the
same parser gives the same verdict), and its records (``<PubmedArticle>`` ... end tag, or
``<MedlineCitation>`` in a ``MedlineCitationSet``) are found by their tags. A record that the
raw gate (:data:`~linker.extract.rawgate.XML_GATE`) hits, or whose title this module cannot vouch
for from its bytes, is parsed alone by the reference reader's own code
(:func:`~linker.readers.pubmed_xml.summarise_record`, then
:func:`~linker.readers.pubmed_xml.record_drafts` where an identifier may be), its lines offset
to its place in the file and what precedes it on its first line blanked, so that lines and
columns are the reference's. Every other record has no identifier in any text read from it and
a title or an abstract (checked on its bytes, :func:`_has_text`): it is only counted.

What this does not follow exactly makes it give the file up (:class:`Abandon`; the reference
reads it again): a prolog other than an XML declaration in UTF-8 and a DOCTYPE without an
internal subset, a root other than ``PubmedArticleSet`` or ``MedlineCitationSet`` or one with
attributes, anything between records but white space and ``DeleteCitation`` lists, a named
entity other than the predefined five, nested or unclosed records, a record over the record size
limit or that is not well-formed alone, a byte-order mark before a record on line 1, and
whatever :func:`~linker.readers.blocks.blocks` gives up on.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, cast

from lxml import etree

from linker.extract.identifiers import find_identifiers
from linker.extract.mention_rows import MentionRow, text_row
from linker.extract.rawgate import XML_GATE
from linker.readers.blocks import Abandon, blocks
from linker.readers.guard import RecordTally
from linker.readers.interface import ReadOptions
from linker.readers.pubmed_record_bytes import PlainRecord, depth, plain_record, tag_at
from linker.readers.pubmed_xml import (
    PARSER_OPTIONS,
    PROLOG,
    RECORD_GAP,
    RawRecord,
    blanked_width,
    placed_draft,
    record_fragment,
    summarise_record,
)

if TYPE_CHECKING:
    from linker.models import Publication

_ROOT_START = re.compile(rb"<(?:PubmedArticleSet|MedlineCitationSet)[\s>]")
_PROLOG_MAX = 1 << 20
_ENCODING = re.compile(rb"""\sencoding\s*=\s*["']([^"']*)["']""")
_RECORD_TAGS = {
    b"PubmedArticleSet": re.compile(rb"<(/?)(PubmedArticle|PubmedBookArticle)[\s/>]"),
    b"MedlineCitationSet": re.compile(rb"<(/?)(MedlineCitation)[\s/>]"),
}
# A reference to an entity that is not predefined (kept as its own node, with a DOCTYPE).
_KNOWN_REFERENCES = (b"&amp;", b"&lt;", b"&gt;", b"&quot;", b"&apos;", b"&#")
_EIGHT_DIGITS = re.compile(rb"[0-9]{8}")
# A record whose first child is its citation, the citation's first children its PMID and its
# Article, the Article's first child its title, with text (every ``<`` after a tag's ``>`` is
# a tag: ``<`` stands in no attribute value, and the gate found no comment or CDATA).
_PLAIN_START = re.compile(
    rb"<PubmedArticle>\s*<MedlineCitation(?:\s[^>]*)?>\s*<PMID(?:\s[^>]*)?>[^<]*</PMID>\s*"
    rb"<Article(?:\s[^>]*)?>\s*<ArticleTitle>[^<]"
)


class _NoTree:
    """A parser target that takes no event: lxml then only checks well-formedness."""

    def close(self) -> None:
        return None


@dataclass
class _Place:
    """The line of a position in the file, found by counting line breaks forward."""

    offset: int = 0
    line: int = 1

    def advance(self, data: bytes, offset: int) -> int:
        self.line += data.count(b"\n", self.offset, offset)
        self.offset = offset
        return self.line


class _Reading:
    """The state of one file's lean reading."""

    def __init__(self, options: ReadOptions, tally: RecordTally) -> None:
        self.options = options
        self.tally = tally
        self.ordinal = options.first_ordinal - 1
        self.checker = etree.XMLParser(
            target=cast("etree.ParserTarget", _NoTree()),  # the stubs want every event
            **PARSER_OPTIONS,
        )
        self.tags: re.Pattern[bytes] | None = None  # the record tags, once the root is known
        self.citation_inside = True  # PubmedArticle records (MedlineCitation is their citation)
        self.bom = False

    def check(self, block: bytes) -> None:
        """Feed ``block`` to the well-formedness check."""
        if _odd_entity(block):
            raise Abandon("a named entity that is not predefined")
        try:
            self.checker.feed(block)
        except etree.XMLSyntaxError:
            raise Abandon("not well-formed") from None

    def finish(self) -> None:
        try:
            self.checker.close()
        except etree.XMLSyntaxError:
            raise Abandon("not well-formed") from None

    def prolog(self, text: bytes) -> int | None:
        """Where the content of the root starts in ``text`` (the start of the file); None
        while the root's start tag is still to come."""
        match = PROLOG.match(text)
        if match is None or match.group("root") not in _RECORD_TAGS:
            if _ROOT_START.search(text) is None and len(text) < _PROLOG_MAX:
                return None
            raise Abandon("a prolog or root element this reader does not follow")
        declaration = match.group("declaration")
        if declaration is not None:
            encoding = _ENCODING.search(declaration)
            if encoding is not None and encoding.group(1).lower() not in (b"utf-8", b"utf8"):
                raise Abandon("an encoding other than UTF-8")
        root = match.group("root")
        self.tags = _RECORD_TAGS[root]
        self.citation_inside = root == b"PubmedArticleSet"
        return match.end()

    def segment(self, text: bytes, start: int) -> tuple[list[tuple[int, int]], int]:
        """The spans of the complete records of ``text`` from ``start`` on, and where the
        unfinished one begins (the end of ``text`` when none is open)."""
        assert self.tags is not None
        spans: list[tuple[int, int]] = []
        position = start
        open_at = -1
        name = b""
        for match in self.tags.finditer(text, position):
            closing, tag = match.group(1), match.group(2)
            if not closing:
                if open_at >= 0:
                    raise Abandon("a record inside a record")
                _between(text[position : match.start()])
                open_at, name = match.start(), tag
                continue
            if open_at < 0 or tag != name:
                raise Abandon("an end tag without its record")
            position = text.find(b">", match.end() - 1) + 1
            if position == 0:
                raise Abandon("an unfinished end tag")
            spans.append((open_at, position))
            open_at = -1
        if open_at >= 0:
            return spans, open_at
        _between(text[position:])
        return spans, len(text)

    def publications(
        self, text: bytes, spans: list[tuple[int, int]], first_line: int, prefix: bytes
    ) -> Iterator[Publication | list[MentionRow]]:
        """The publications (or mentions) of the records at ``spans`` of ``text`` that may
        hold an identifier (``text`` starts on line ``first_line``, after ``prefix`` on that
        line); the others counted."""
        if not spans:
            return
        hit = _hit(text, spans)
        place = _Place(line=first_line)
        limit = self.options.max_record_size
        for index, (begin, end) in enumerate(spans):
            self.ordinal += 1
            if (
                index not in hit
                and end - begin <= limit
                and _has_text(text, begin, end, self.citation_inside)
            ):
                self.tally.add(self.ordinal, 0, True)  # the line is only for a warning
                continue
            line = place.advance(text, begin)
            yield from self._read(text[begin:end], line, _line_before(text, begin, prefix))

    def _read(
        self, record: bytes, line: int, before: bytes
    ) -> Iterator[Publication | list[MentionRow]]:
        """The record's mentions, read from its bytes where it is plain, else by
        :meth:`_exact`."""
        width = blanked_width(before)
        if width is None or (self.bom and line == 1):
            raise Abandon("markup the reader's column count would see before a record")
        plain = plain_record(record, line, width, citation_inside=self.citation_inside)
        if plain is None:
            yield from self._exact(record, line, before)
            return
        mentions = self._plain_mentions(plain)
        if mentions:
            yield mentions

    def _plain_mentions(self, plain: PlainRecord) -> list[MentionRow]:
        """The mentions of a plain record, as the extractor makes them of the publication the
        reader would build; the record counted."""
        title, abstract = plain.title_text(), plain.abstract_text()
        if len(title) + len(abstract) > self.options.max_record_size:
            raise Abandon("a record over the record size limit")  # the reference says so
        self.tally.add(self.ordinal, plain.line, bool(title or abstract))
        mentions: list[MentionRow] = []
        file = self.options.file_name
        for name, text, placed in (
            ("title", title, plain.placed_title),
            ("abstract", abstract, plain.placed_abstract),
        ):
            found = find_identifiers(text)
            if found:
                locate, key = placed().locate, plain.pmid
                mentions.extend(text_row(key, file, name, text, each, locate) for each in found)
        return mentions

    def _exact(self, record: bytes, line: int, before: bytes) -> Iterator[Publication]:
        """The record parsed alone by the reference reader's code."""
        fragment = record_fragment(RawRecord(record, line, before))
        if fragment is None or (self.bom and line == 1):
            raise Abandon("markup the reader's column count would see before a record")
        try:
            summary = summarise_record(fragment, line)
        except etree.XMLSyntaxError:
            raise Abandon("a record that is not well-formed on its own") from None
        if not (summary.holds or summary.declares) and summary.size <= self.options.max_record_size:
            self.tally.add(self.ordinal, summary.line, summary.has_text)
            return
        draft = placed_draft(summary, fragment, line)
        yield self.tally.admit(draft.build(self.ordinal, self.options))


def _line_before(text: bytes, offset: int, prefix: bytes) -> bytes:
    """What stands before ``offset`` on its line (``text`` starts after ``prefix``)."""
    line_start = text.rfind(b"\n", 0, offset) + 1
    return text[line_start:offset] if line_start else prefix + text[:offset]


def _odd_entity(block: bytes) -> bool:
    """Whether ``block`` holds a reference to an entity that is not predefined (kept as its
    own node, with a DOCTYPE), or an ``&`` cut off at its end."""
    amp = block.find(b"&")
    while amp >= 0:
        if not block.startswith(_KNOWN_REFERENCES, amp):
            return True
        amp = block.find(b"&", amp + 1)
    return False


def _between(data: bytes) -> None:
    if data and RECORD_GAP.fullmatch(data) is None:
        raise Abandon("something other than records in the record list")


def _hit(text: bytes, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the records that a match of the raw gate touches; a record touched only by
    a bare registry name counts where eight digits stand in a row after its title or
    abstract starts (a bare number needs them; digits in the bytes are digits in the text:
    what could join them, markup and references, is trouble)."""
    low, high = spans[0][0], spans[-1][1]
    located, named = XML_GATE.split_regions(text[low:high])
    hit = _touched(located, low, spans)
    for index in _touched(named, low, spans) - hit:
        begin, end = spans[index]
        title, abstract = (
            text.find(b"<ArticleTitle", begin, end),
            text.find(b"<Abstract", begin, end),
        )
        texts = min((p for p in (title, abstract) if p >= 0), default=begin)
        if _EIGHT_DIGITS.search(text, texts, end) is not None:
            hit.add(index)
    return hit


def _touched(regions: list[tuple[int, int]], shift: int, spans: list[tuple[int, int]]) -> set[int]:
    """Indices of the spans that some region (its offsets ``shift`` before the spans') overlaps."""
    starts = [begin for begin, _ in spans]
    touched: set[int] = set()
    for region_start, region_end in regions:
        first, last = region_start + shift, region_end + shift
        index = bisect_right(starts, last - 1) - 1
        while index >= 0 and spans[index][1] > first:
            touched.add(index)
            index -= 1
    return touched


def _has_text(text: bytes, begin: int, end: int, citation_inside: bool) -> bool:
    """True only when the reference reader surely finds a title or an abstract in the record
    at ``text[begin:end]`` (one the raw gate does not hit: no markup in its text, no
    empty-element tags, comments, CDATA, namespaces or declared accessions); False when it
    cannot tell."""
    if (
        citation_inside
        and _PLAIN_START.match(text, begin, end)
        and text.count(b"<MedlineCitation", begin, end) == 1
    ):
        return True  # the common shape: its title is the Article's first child, with text
    record = text[begin:end]
    citation, level = 0, 0
    if citation_inside:
        citation, level = tag_at(record, b"<MedlineCitation", 0, len(record)), 1
        if citation < 0 or record.find(b"<MedlineCitation", citation + 1) >= 0:
            return False
        if depth(record, citation) != 1:
            return False
    citation_end = record.rfind(b"</MedlineCitation")
    if citation_end < 0:
        return False
    article = tag_at(record, b"<Article", citation + 1, citation_end)
    if article < 0 or depth(record, article) != level + 1:
        return False
    article_end = tag_at(record, b"</Article", article, citation_end)
    if article_end < 0:
        return False
    # The first ArticleTitle child of the Article, or the first AbstractText child of its
    # first Abstract child, has text.
    if _text_first(record, b"<ArticleTitle", article, article_end, level + 2):
        return True
    abstract = tag_at(record, b"<Abstract", article, article_end)
    if abstract < 0 or depth(record, abstract) != level + 2:
        return False
    abstract_end = tag_at(record, b"</Abstract", abstract, article_end)
    return abstract_end >= 0 and _text_first(
        record, b"<AbstractText", abstract, abstract_end, level + 3
    )


def _text_first(record: bytes, name: bytes, start: int, end: int, level: int) -> bool:
    """Whether the first element ``name`` in ``record[start:end]`` stands ``level`` deep, has
    a start tag without attributes and text right after it."""
    position = record.find(name, start, end)
    after = position + len(name) + 1
    return (
        position >= 0
        and record[after - 1 : after] == b">"
        and record[after : after + 1] not in (b"<", b"")
        and depth(record, position) == level
    )


def read_pubmed_xml_lean(
    stream: BinaryIO, options: ReadOptions, tally: RecordTally
) -> Iterator[Publication | list[MentionRow]]:
    """The publications (or, for plain records, the mentions) of a PubMed XML stream that may
    hold an identifier; every other record is counted in ``tally``. :class:`Abandon` where
    the reference must read the file."""
    reading = _Reading(options, tally)
    pending = b""  # the unfinished record (or prolog) carried over from the blocks before
    prefix = b""  # what stands before it on its line
    line = 1  # the line it starts on
    content: int | None = None  # where the root's content starts, once known
    for block in blocks(cast(BinaryIO, _BomNoted(stream, reading)), options):
        reading.check(block)
        text = pending + block
        start = 0
        if content is None:
            content = reading.prolog(text)
            if content is None:
                pending = text
                continue
            start = content
        spans, rest = reading.segment(text, start)
        yield from reading.publications(text, spans, line, prefix)
        prefix = _line_before(text, rest, prefix)
        line += text.count(b"\n", 0, rest)
        pending = text[rest:]
        if len(pending) > options.max_record_size:
            raise Abandon("a record over the record size limit")
    if content is None or pending:
        raise Abandon("an empty or unfinished document")
    reading.finish()


class _BomNoted:
    """The stream, noting in ``reading.bom`` whether it starts with a UTF-8 byte-order mark."""

    def __init__(self, stream: BinaryIO, reading: _Reading) -> None:
        self._stream = stream
        self._reading = reading
        self._first = True

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        if self._first and data:
            self._first = False
            self._reading.bom = data.startswith(codecs.BOM_UTF8)
        return data
