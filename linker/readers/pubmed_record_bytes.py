"""A PubMed XML record read from its own bytes, without a tree, where its shape allows: what
the reference reader (:mod:`linker.readers.pubmed_xml`) takes from it for ``extract``.

A record is *plain* when every ``<`` in it starts a start or end tag (no comment, CDATA,
processing instruction or empty-element tag), it has no namespace, carriage return, declared
accession or book part, its citation holds a ``PMID`` of digits, and the title and each
abstract section the reader picks (found by their depth: :func:`depth`) have a start tag on one
line and only text and the predefined entities inside. Its title and abstract are then the
reader's own texts, each character placed where it stands in the file: a character written as
an entity at the ``&`` of it, every other one at its own column, columns counted in characters
of the line (what the reference's raw-text following gives). Anything else gives None: the
caller reads the record the reference way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from linker.extract.scan import ScannerCache
from linker.readers.interface import TextBuilder, clean_pmid

NAME_END = frozenset(b" \t\r\n>")
_ENTITY_VALUES = {b"amp;": "&", b"lt;": "<", b"gt;": ">", b"quot;": '"', b"apos;": "'"}
_CITATION_START = {
    True: re.compile(
        rb"<PubmedArticle>\s*<MedlineCitation(?:\s[^>]*)?>\s*<PMID(?:\s[^>]*)?>([^<]*)</PMID>"
    ),
    False: re.compile(rb"<MedlineCitation(?:\s[^>]*)?>\s*<PMID(?:\s[^>]*)?>([^<]*)</PMID>"),
}
# A section's start tag: on one line, attributes in double quotes holding nothing that
# attribute-value normalisation would change.
# What a plain record has none of (one scan: the scanning backend's case-insensitive search
# finds more, never less): comments, CDATA, processing instructions, empty-element tags,
# namespaces, declared accessions, book parts, and a tag up to a colon that is not in a quoted
# attribute value (a namespace prefix).
_UNFOLLOWED = ScannerCache(
    lambda: [
        "<!",
        r"<\?",
        "/>",
        "xmlns",
        "<AccessionNumber",
        "<BookDocument",
        r"""<[^>"':]*(?:(?:"[^"]*"|'[^']*')[^>"':]*)*:""",
    ]
)
_ATTRIBUTE = rb'[ \t]+([A-Za-z_][\w.-]*)[ \t]*=[ \t]*"([^"<>&\n\t]*)"'
_SECTION_TAG = re.compile(rb"<AbstractText((?:" + _ATTRIBUTE + rb")*)[ \t]*>")
_ATTRIBUTES = re.compile(_ATTRIBUTE)


def depth(record: bytes, offset: int) -> int:
    """Elements open at ``offset`` of a record without comments, CDATA, processing
    instructions or empty-element tags (every ``<`` starts a tag there)."""
    return record.count(b"<", 0, offset) - 2 * record.count(b"</", 0, offset)


def tag_at(record: bytes, name: bytes, start: int, end: int) -> int:
    """The first start tag of element ``name`` in ``record[start:end]``, or -1."""
    position = record.find(name, start, end)
    while position >= 0 and record[position + len(name)] not in NAME_END:
        position = record.find(name, position + 1, end)
    return position


@dataclass(frozen=True)
class PlainRecord:
    """A plain record's PMID, and its title and abstract as the reader reads them: the title's
    text and each abstract section's label and text, as spans of :attr:`data`."""

    data: bytes
    line: int  # the line the record starts on
    width: int  # characters before it on that line
    pmid: str
    title: tuple[int, int]
    sections: tuple[tuple[str, int, int], ...]

    def title_text(self) -> str:
        return _text(self.data, *self.title)

    def abstract_text(self) -> str:
        text = ""
        for label, start, end in self.sections:
            if text:
                text += " "
            if label:
                text += f"{label}: "
            text += _text(self.data, start, end)
        return text

    def placed_title(self) -> TextBuilder:
        """The title, each character placed in the file (see the module docstring)."""
        builder = TextBuilder()
        self._place(builder, *self.title)
        return builder

    def placed_abstract(self) -> TextBuilder:
        """The abstract, placed, joined as the reader joins its sections."""
        builder = TextBuilder()
        for label, start, end in self.sections:
            if not builder.empty:
                builder.add_unplaced(" ")
            if label:
                builder.add_unplaced(f"{label}: ")
            self._place(builder, start, end)
        return builder

    def _place(self, builder: TextBuilder, start: int, end: int) -> None:
        """The text of ``data[start:end]`` (text and predefined entities) added to ``builder``."""
        data = self.data
        line_start = data.rfind(b"\n", 0, start) + 1
        line = self.line + data.count(b"\n", 0, line_start)
        column = len(data[line_start:start].decode()) + 1
        if not line_start:
            column += self.width
        position = start
        while position < end:
            amp = data.find(b"&", position, end)
            stop = end if amp < 0 else amp
            if stop > position:
                line, column = _add_verbatim(builder, data[position:stop].decode(), line, column)
            if amp < 0:
                return
            name_end = data.index(b";", amp, end) + 1
            builder.add(_ENTITY_VALUES[data[amp + 1 : name_end]], line, column)
            column += name_end - amp
            position = name_end


def _text(data: bytes, start: int, end: int) -> str:
    """The text of ``data[start:end]``: its predefined entities replaced (``&amp;`` last)."""
    text = data[start:end].decode()
    if "&" not in text:
        return text
    for entity, value in _ENTITY_VALUES.items():
        if entity != b"amp;":
            text = text.replace(f"&{entity.decode()}", value)
    return text.replace("&amp;", "&")


def _add_verbatim(builder: TextBuilder, text: str, line: int, column: int) -> tuple[int, int]:
    """``text`` added at ``line``/``column``, line by line; where its end leaves the place."""
    pieces = text.split("\n")
    last = len(pieces) - 1
    for index, piece in enumerate(pieces):
        if index < last:
            builder.add(piece + "\n", line, column)
            line, column = line + 1, 1
        else:
            builder.add(piece, line, column)
            column += len(piece)
    return line, column


class _NotPlain(Exception):
    """The record is not plain."""


def plain_record(
    record: bytes, line: int, width: int, *, citation_inside: bool
) -> PlainRecord | None:
    """``record`` (a ``PubmedArticle``, or a ``MedlineCitation`` when not ``citation_inside``,
    starting on ``line`` after ``width`` characters) read from its bytes; None where it is not
    plain."""
    if _unfollowed(record):
        return None
    start = _CITATION_START[citation_inside].match(record)
    if start is None or record.count(b"<MedlineCitation") != 1:
        return None
    pmid = clean_pmid(start.group(1).decode())
    if pmid is None:
        return None
    level = 1 if citation_inside else 0  # elements open around the citation's children
    try:
        title, sections = _article_parts(record, start.end(), level)
    except _NotPlain:
        return None
    return PlainRecord(record, line, width, pmid, title, sections)


def _unfollowed(record: bytes) -> bool:
    """Whether ``record`` holds what would make its text or its depths other than its bytes
    say, or the reader read it otherwise, or a name with a colon in a tag (a namespace prefix,
    which the well-formedness check without a tree does not check is declared)."""
    return b"\r" in record or _UNFOLLOWED.get().any(record)


class _Depths:
    """:func:`depth` at offsets of a record, each counted on from the last one asked for (or
    from the end of a text known to hold no markup), where they come in order. Every offset
    asked for is a ``<`` (so no ``</`` straddles two stretches counted apart)."""

    def __init__(self, record: bytes) -> None:
        self._record = record
        self._at = 0
        self._open = 0

    def at(self, offset: int) -> int:
        record, at = self._record, self._at
        if offset < at:
            return depth(record, offset)
        self._open += record.count(b"<", at, offset) - 2 * record.count(b"</", at, offset)
        self._at = offset
        return self._open

    def past_text(self, start: int, end: int) -> None:
        """Go on from ``end``: ``record[start:end]`` holds no ``<``."""
        if start >= self._at:
            self.at(start)
            self._at = end


def _article_parts(
    record: bytes, after: int, level: int
) -> tuple[tuple[int, int], tuple[tuple[str, int, int], ...]]:
    """The title and the abstract sections of the citation's first ``Article`` (after
    ``after``)."""
    depths = _Depths(record)
    citation_end = record.rfind(b"</MedlineCitation")
    article = tag_at(record, b"<Article", after, citation_end)
    if article < 0 or depths.at(article) != level + 1:
        raise _NotPlain
    article_end = tag_at(record, b"</Article", article, citation_end)
    if article_end < 0:
        raise _NotPlain
    heading = tag_at(record, b"<ArticleTitle", article, article_end)
    if heading < 0 or depths.at(heading) != level + 2:
        raise _NotPlain  # no title child: the reader looks for a book's
    content = heading + len(b"<ArticleTitle>")
    if record[heading:content] != b"<ArticleTitle>":
        raise _NotPlain
    title = (content, _content_end(record, content, b"</ArticleTitle>"))
    depths.past_text(*title)
    opened = tag_at(record, b"<Abstract", article, article_end)
    sections: tuple[tuple[str, int, int], ...] = ()
    if opened >= 0:
        if depths.at(opened) != level + 2:
            raise _NotPlain
        closed = tag_at(record, b"</Abstract", opened, article_end)
        if closed < 0:
            raise _NotPlain
        sections = _sections(record, opened, closed, level + 3, depths)
        if depths.at(closed) != level + 3:
            raise _NotPlain
    if depths.at(article_end) != level + 2:
        raise _NotPlain
    return title, sections


def _sections(
    record: bytes, start: int, end: int, level: int, depths: _Depths
) -> tuple[tuple[str, int, int], ...]:
    """Label and text span of each of the abstract's sections (its ``AbstractText`` children,
    open ``level`` deep, between ``start`` and ``end``)."""
    sections = []
    section = tag_at(record, b"<AbstractText", start, end)
    while section >= 0:
        tag = _SECTION_TAG.match(record, section, end)
        if tag is None or depths.at(section) != level:
            raise _NotPlain
        content_end = _content_end(record, tag.end(), b"</AbstractText>")
        depths.past_text(tag.end(), content_end)
        sections.append((_label(tag.group(1)), tag.end(), content_end))
        section = tag_at(record, b"<AbstractText", content_end, end)
    return tuple(sections)


def _label(attributes: bytes) -> str:
    """The value of the ``Label`` attribute among a section's ``attributes`` ("" if none)."""
    for attribute in _ATTRIBUTES.finditer(attributes):
        if attribute.group(1) == b"Label":
            return attribute.group(2).decode()
    return ""


def _content_end(record: bytes, content: int, end_tag: bytes) -> int:
    """Where the text starting at ``content`` ends: at ``end_tag``, with no markup before, and
    no character reference in it."""
    end = record.find(b"<", content)
    if not record.startswith(end_tag, end) or (
        record.find(b"&", content, end) >= 0 and record.find(b"&#", content, end) >= 0
    ):
        raise _NotPlain
    return end
