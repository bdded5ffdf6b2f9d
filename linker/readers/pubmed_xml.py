"""PubMed XML (efetch ``PubmedArticleSet``, baseline ``MedlineCitationSet``/``PubmedArticleSet``).

Parsed safely and as a stream: lxml ``iterparse`` with entity resolution, DTD loading and
network access off (an entity reference stays as the literal ``&name;`` text, never expanded),
and each record is cleared once read, so a large baseline file is not held in memory. An entity
that no DTD can declare (a file without DOCTYPE, or with an internal subset only, that does not
declare it) is not well-formed: the error names it at its line (see :func:`_syntax_error`).

Positions: the line is lxml's ``sourceline`` of the element; its content starts after the
element's start tag on that raw line (the n-th such tag there, when several elements of the
name start on one line, as in a file written on one line). From there the raw text is followed
character by character across physical lines: inline markup (``<i>``, ``<sup>``), comments and
CDATA delimiters are skipped and an entity or character reference (``&amp;``, ``&#233;``) maps
to the character it stands for, anchored at its ``&``; so columns are exact for text after
entities and inline markup too. Where the raw text cannot be followed (a tag split across
lines, CDATA spanning lines, text that does not match), the element falls back to a coarse
mapping: its text is laid out from the content start, each line break continuing at column 1
of the next line, so columns after an entity or a tag on that line are then off by the width
of the markup (tens of characters is possible).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, BinaryIO, TypedDict

from lxml import etree

from linker.errors import InputError
from linker.extract.identifiers import find_identifiers, holds_identifier
from linker.readers.interface import (
    Reader,
    ReadOptions,
    RecordDraft,
    TextBuilder,
    clean_pmid,
    number,
    parse_year,
)

if TYPE_CHECKING:  # the models are imported where a record is built: lean reading skips them
    from linker.models import Publication


# How every PubMed XML parse of the tool reads (the reference, a record alone, the lean
# reader's well-formedness check): no entity resolved, nothing loaded, no huge trees.
class ParserOptions(TypedDict):
    resolve_entities: bool
    no_network: bool
    load_dtd: bool
    dtd_validation: bool
    huge_tree: bool
    remove_comments: bool
    remove_pis: bool


PARSER_OPTIONS: ParserOptions = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}
_RECORD_TAGS = frozenset({"PubmedArticle", "PubmedBookArticle", "MedlineCitation"})
#: Elements whose content is located (see :meth:`PubmedXmlReader._position`).
_LOCATED_TAGS = frozenset({"ArticleTitle", "BookTitle", "AbstractText", "AccessionNumber"})
_PREDEFINED_ENTITIES = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_VERBATIM = re.compile(r"[^<&]+")
_REFERENCE = re.compile(r"&(?:#[xX]([0-9a-fA-F]+)|#([0-9]+)|([A-Za-z_][\w.-]*));")
_CDATA_START = "<![CDATA["

#: Runs of an element's text placed in the file: (start in the text, length, line, column).
_Runs = list[tuple[int, int, int, int]]
_ROOT_TAGS = frozenset(
    {"PubmedArticleSet", "MedlineCitationSet", "PubmedBookArticleSet"} | _RECORD_TAGS
)


class _LineRecorder:
    """A pass-through byte stream that remembers the raw lines not yet discarded, and finds
    each record's own bytes in them (:meth:`next_record`)."""

    def __init__(self, stream: BinaryIO, first_line: int = 1, *, records: bool = True) -> None:
        self._stream = stream
        self._buffer = bytearray()
        self._first_line = first_line  # line number of the start of the buffer
        self._offset = 0  # offset in the stream of the start of the buffer
        # Where the next record is looked for (the end of the one before); None once lost.
        self._cursor: int | None = 0 if records else None

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self._buffer.extend(data)
        return data

    def line(self, number: int) -> str:
        if number < self._first_line:
            return ""
        start = 0
        for _ in range(number - self._first_line):
            start = self._buffer.find(b"\n", start) + 1
            if start == 0:
                return ""
        end = self._buffer.find(b"\n", start)
        raw = self._buffer[start : end if end >= 0 else len(self._buffer)]
        return raw.decode("utf-8", errors="replace").removesuffix("\r")

    def discard_before(self, number: int) -> None:
        while self._first_line < number:
            end = self._buffer.find(b"\n")
            if end < 0:
                return
            del self._buffer[: end + 1]
            self._first_line += 1
            self._offset += end + 1

    def next_record(self, name: str) -> RawRecord | None:
        """The bytes of the record that just ended (an element ``name``): from the first start
        tag of a record element after the record before (only tags and text between: no
        comment, CDATA or processing instruction that could hide one) to the first end tag of
        its name after it. None where that does not hold, and for every later record (the raw
        bytes are no longer followed); :func:`record_fragment` checks that it parses alone."""
        cursor = self._cursor
        self._cursor = None
        if cursor is None or cursor < self._offset:
            return None
        buffer = self._buffer
        start = cursor - self._offset
        begin = _RECORD_START.search(buffer, start)
        if begin is None or begin.group(1).decode() != name:
            return None
        if RECORD_GAP.fullmatch(buffer, start, begin.start()) is None:
            return None
        tags = re.compile(rb"<(/?)" + begin.group(1) + rb"[\s/>]")
        close = tags.search(buffer, begin.end())
        if close is None or not close.group(1):
            return None
        end = buffer.find(b">", close.end() - 1) + 1
        if end == 0:
            return None
        self._cursor = self._offset + end
        line_start = buffer.rfind(b"\n", 0, begin.start()) + 1
        return RawRecord(
            bytes(buffer[begin.start() : end]),
            self._first_line + buffer.count(b"\n", 0, begin.start()),
            bytes(buffer[line_start : begin.start()]),
        )


_RECORD_START = re.compile(rb"<(PubmedArticle|PubmedBookArticle|MedlineCitation)[\s/>]")
#: The raw bytes of a prolog (an XML declaration, a DOCTYPE without internal subset) and the
#: root's start tag, without attributes: what :meth:`_LineRecorder.next_record` follows (and
#: :mod:`linker.readers.lean_pubmed_xml`).
PROLOG = re.compile(
    rb"(?:\xef\xbb\xbf)?(?:<\?xml(?P<declaration>[^?>]*)\?>)?\s*"
    rb'(?:<!DOCTYPE\s+[A-Za-z]+(?:\s+PUBLIC\s+"[^"]*"\s+"[^"]*"|\s+SYSTEM\s+"[^"]*")?\s*>\s*)?'
    rb"(?:<(?P<root>PubmedArticleSet|MedlineCitationSet|PubmedBookArticleSet)>)?"
)
#: What may stand between two records (or before the first, after the prolog): white space,
#: the start or end tag of the root, DeleteCitation lists of PMIDs.
RECORD_GAP = re.compile(
    PROLOG.pattern.replace(b"?P<declaration>", b"?:").replace(b"?P<root>", b"?:")
    + rb"(?:\s|</?(?:PubmedArticleSet|MedlineCitationSet|PubmedBookArticleSet)>"
    rb'|</?DeleteCitation>|<PMID(?: Version="\d+")?>\d*</PMID>)*'
)


@dataclass(frozen=True)
class RawRecord:
    """A record's bytes, the line they start on, and what stands before them on that line."""

    data: bytes
    line: int
    before: bytes


def record_fragment(record: RawRecord) -> bytes | None:
    """The record's bytes with what stands before them on their line blanked (one space per
    character: the columns stay), for the record to be parsed alone; None where what stands
    before could change the reader's columns (markup that could hide a start tag)."""
    width = blanked_width(record.before)
    return None if width is None else b" " * width + record.data


def blanked_width(before: bytes) -> int | None:
    """How many characters ``before`` (what stands before a record on its line) has, blanked
    for the record to be read alone; None where it could change the reader's columns."""
    if b"<!" in before or b"<?" in before:
        return None
    try:
        return len(before.decode("utf-8"))
    except UnicodeDecodeError:
        return None


class _Locator:
    """Finds where an element's content starts in the raw lines of the file (lines offset by
    ``line_offset``: a record parsed alone, see :func:`record_drafts`)."""

    def __init__(
        self,
        recorder: _LineRecorder,
        occurrence: dict[etree._Element, int],
        line_offset: int = 0,
    ) -> None:
        self.recorder = recorder
        self._occurrence = occurrence
        self._line_offset = line_offset

    def line(self, element: etree._Element) -> int:
        """The element's line in the file (0 where lxml does not know it)."""
        line = _line(element)
        return line + self._line_offset if line else 0

    def position(self, element: etree._Element) -> tuple[int, int]:
        """Line and column of the first character of the element's content."""
        line = self.line(element)
        raw = self.recorder.line(line)
        tag = re.compile(rf"<{re.escape(_local(element.tag))}(?=[\s/>])[^>]*>")
        wanted = self._occurrence.get(element, 0)
        for index, match in enumerate(tag.finditer(raw)):
            if index == wanted:
                return line, match.end() + 1
        return line, 1


_UNDEFINED_ENTITY = re.compile(r"Entity '([^']+)' not defined")


def _syntax_error(error: etree.XMLSyntaxError, log: Any, options: ReadOptions) -> InputError:
    """The one-line error for XML that is not well-formed: libxml2's message, at its line.

    ``log``: the parse's own error log (``iterparse(...).error_log``: the exception's own
    ``error_log`` is lxml's log of the whole thread, earlier parses' errors in it). An
    undefined entity (``&eacute;`` with no DTD to declare it) needs it: with entity
    resolution off lxml ignores libxml2's "Entity 'eacute' not defined", but libxml2 has
    stopped there, and lxml then reports "no element found" at line 0. The first error of
    the parse's own log is the cause; an undefined entity is named (``undefined entity
    &eacute;``). Nothing is resolved or loaded to find this out.
    """
    line = error.lineno if error.lineno and error.lineno > 0 else None
    message = str(error.msg).split(",")[0] if error.msg else "malformed XML"
    if line is None:
        cause = next(iter(log.filter_from_errors()), None) if log is not None else None
        text = str(getattr(cause, "message", "") or "").strip()
        if text:
            entity = _UNDEFINED_ENTITY.fullmatch(text)
            message = f"undefined entity &{entity.group(1)};" if entity else text
            where = getattr(cause, "line", 0)
            line = where if isinstance(where, int) and where > 0 else None
    return options.error(f"malformed XML: {message}", line)


def _line(element: etree._Element) -> int:
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else 0


def _all_text(element: etree._Element) -> str:
    return "".join(str(piece) for piece in element.itertext())


def record_parts(
    record: etree._Element,
) -> tuple[etree._Element | None, etree._Element, etree._Element | None, etree._Element | None]:
    """The citation (None: the record has none), the article, the title and the abstract
    elements of a record, as the reader picks them."""
    citation = record if _local(record.tag) == "MedlineCitation" else None
    for child in record:
        if _local(child.tag) in ("MedlineCitation", "BookDocument"):
            citation = child
    if citation is None:
        return None, record, None, None
    article = citation.find("Article")
    if article is None:
        article = citation  # BookDocument keeps title and abstract at its own level
    title = article.find("ArticleTitle")
    if title is None:
        title = article.find("Book/BookTitle")
    return citation, article, title, article.find("Abstract")


def unplaced_texts(
    title: etree._Element | None, abstract: etree._Element | None
) -> tuple[str, str]:
    """The title's and the abstract's text, as the reader joins them, without positions."""
    title_text = _all_text(title) if title is not None else ""
    return title_text, _plain_abstract(abstract) if abstract is not None else ""


def _accessions(article: etree._Element) -> Iterator[tuple[str, etree._Element, str]]:
    """(databank name, element, accession) of each accession the article declares."""
    for bank in article.iterfind("DataBankList/DataBank"):
        name = (bank.findtext("DataBankName") or "").strip()
        for accession in bank.iterfind("AccessionNumberList/AccessionNumber"):
            value = (accession.text or "").strip()
            if value:
                yield name, accession, value


def _plain_abstract(abstract: etree._Element) -> str:
    """The abstract's text exactly as :meth:`PubmedXmlReader._abstract` joins it."""
    text = ""
    for section in abstract.iterfind("AbstractText"):
        if text:
            text += " "
        label = section.get("Label")
        if label:
            text += f"{label}: "
        text += _all_text(section)
    return text


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _reference_value(match: re.Match[str]) -> str | None:
    """The character an entity or character reference stands for; None for an entity that is
    not predefined (lxml keeps those as their literal ``&name;`` text)."""
    hexadecimal, decimal, name = match.groups()
    if name is not None:
        return _PREDEFINED_ENTITIES.get(name)
    try:
        return chr(int(hexadecimal, 16) if hexadecimal else int(decimal))
    except (ValueError, OverflowError):
        return None


def _follow(text: str, line: int, column: int, line_text: Callable[[int], str]) -> _Runs | None:
    """Place each character of ``text`` (an element's text, as ``itertext`` joins it) in the raw
    lines, starting at ``line``/``column``; None where the raw text cannot be followed."""
    runs: _Runs = []
    raw = line_text(line)
    position = column - 1
    index = 0
    while index < len(text):
        if position >= len(raw):
            if text[index] != "\n":
                return None
            runs.append((index, 1, line, position + 1))
            index += 1
            line, position = line + 1, 0
            raw = line_text(line)
            continue
        piece: str | None = None  # text standing verbatim at ``position``
        if raw.startswith(_CDATA_START, position):
            end = raw.find("]]>", position)
            if end < 0:
                return None
            piece, start, after = raw[position + 9 : end], position + 9, end + 3
        elif raw.startswith("<!--", position):
            end = raw.find("-->", position)
            if end < 0:
                return None
            position = end + 3
            continue
        elif raw[position] == "<":
            end = raw.find(">", position)
            if end < 0:
                return None
            position = end + 1
            continue
        elif raw[position] == "&":
            reference = _REFERENCE.match(raw, position)
            if reference is None:
                return None
            value = _reference_value(reference)
            if value is None:
                piece, start, after = reference.group(0), position, reference.end()
            elif text.startswith(value, index):
                runs.append((index, len(value), line, position + 1))
                index += len(value)
                position = reference.end()
                continue
            else:
                return None
        else:
            verbatim = _VERBATIM.match(raw, position)
            assert verbatim is not None  # raw[position] is neither "<" nor "&"
            piece, start, after = verbatim.group(0), position, verbatim.end()
            piece = piece[: len(text) - index]  # the text cannot end mid-run; be safe anyway
        if not text.startswith(piece, index):
            return None
        if piece:
            runs.append((index, len(piece), line, start + 1))
        index += len(piece)
        position = after
    return runs


class PubmedXmlReader(Reader):
    name = "pubmed-xml"
    wants_bytes = True

    def read(self, text: str, options: ReadOptions) -> Iterator[Publication]:
        yield from self.read_stream(io.BytesIO(text.encode("utf-8")), options)

    def read_stream(self, stream: BinaryIO, options: ReadOptions) -> Iterator[Publication]:
        yield from number(self._drafts(_LineRecorder(stream), options), options)

    def _drafts(
        self,
        recorder: _LineRecorder,
        options: ReadOptions,
        line_offset: int = 0,
        positioned: bool | None = None,
    ) -> Iterator[RecordDraft]:
        """The records of the stream ``recorder`` reads; its lines are numbered from
        ``line_offset + 1``, and ``positioned`` says whether their texts' positions are
        followed, when already known (a record read alone: :func:`record_drafts`)."""
        events = etree.iterparse(recorder, events=("start", "end"), **PARSER_OPTIONS)
        depth = 0
        record_depth: int | None = None
        # How many located elements of a name started earlier on the same line, so that the
        # n-th start tag on a raw line is taken for the n-th element (one-line files).
        started: dict[tuple[int, str], int] = {}
        occurrence: dict[etree._Element, int] = {}
        try:
            for event, element in events:
                tag = _local(element.tag)
                if event == "start":
                    if tag in _LOCATED_TAGS:
                        seen = (_line(element) + line_offset, tag)
                        occurrence[element] = started.get(seen, 0)
                        started[seen] = occurrence[element] + 1
                    depth += 1
                    if depth == 1 and tag not in _ROOT_TAGS:
                        raise options.error(
                            f"not PubMed XML (root element <{tag}>)", _line(element)
                        )
                    if record_depth is None and tag in _RECORD_TAGS:
                        record_depth = depth
                    continue
                depth -= 1
                if record_depth is not None and depth + 1 == record_depth:
                    record_depth = None
                    raw = recorder.next_record(tag)
                    draft = None
                    if raw is not None and _unreliable_lines(element):
                        draft = _alone(raw, options, positioned)
                    if draft is None:
                        locator = _Locator(recorder, occurrence, line_offset)
                        draft = self._draft(element, locator, positioned)
                    recorder.discard_before(draft.end_line)
                    occurrence.clear()
                    for seen in [seen for seen in started if seen[0] < draft.end_line]:
                        del started[seen]
                    yield draft
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            raise _syntax_error(error, events.error_log, options) from None
        if depth != 0:
            raise options.error("truncated XML")

    def _draft(
        self, record: etree._Element, locator: _Locator, positioned: bool | None = None
    ) -> RecordDraft:
        start = locator.line(record) or 1
        end = max(locator.line(element) or start for element in record.iter())
        draft = RecordDraft(line=start, end_line=end)
        citation, article, title, abstract = record_parts(record)
        if citation is None:
            return draft
        draft.pmid = clean_pmid(citation.findtext("PMID"))
        # Positions are followed only where an identifier may be: the only ones ever reported.
        title_text, abstract_text = unplaced_texts(title, abstract)
        if positioned is None:
            positioned = holds_identifier(title_text) or holds_identifier(abstract_text)
        if positioned:
            if title is not None:
                draft.title = self._text(title, locator)
            if abstract is not None:
                draft.abstract = self._abstract(abstract, locator)
        else:
            draft.title.add_unplaced(title_text)
            draft.abstract.add_unplaced(abstract_text)
        draft.doi = self._doi(record, article)
        draft.year = self._year(article)
        draft.publication_types = [
            _all_text(pt).strip() for pt in article.iterfind("PublicationTypeList/PublicationType")
        ]
        from linker.models import DeclaredIdentifier

        for name, accession, value in _accessions(article):
            line, column = locator.position(accession)
            draft.declared_ids.append(
                DeclaredIdentifier(databank=name, accession=value, line=line, column=column)
            )
        return draft

    def _text(
        self, element: etree._Element, locator: _Locator, builder: TextBuilder | None = None
    ) -> TextBuilder:
        builder = builder or TextBuilder()
        text = _all_text(element)
        line, column = locator.position(element)
        runs = _follow(text, line, column, locator.recorder.line)
        if runs is not None:
            for start, length, run_line, run_column in runs:
                builder.add(text[start : start + length], run_line, run_column)
            return builder
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            builder.add(piece + ("\n" if index < len(pieces) - 1 else ""), line, column)
            line, column = line + 1, 1
        return builder

    def _abstract(self, abstract: etree._Element, locator: _Locator) -> TextBuilder:
        builder = TextBuilder()
        for section in abstract.iterfind("AbstractText"):
            if not builder.empty:
                builder.add_unplaced(" ")
            label = section.get("Label")
            if label:
                builder.add_unplaced(f"{label}: ")
            self._text(section, locator, builder)
        return builder

    @staticmethod
    def _doi(record: etree._Element, article: etree._Element) -> str | None:
        for article_id in record.iterfind("PubmedData/ArticleIdList/ArticleId"):
            if article_id.get("IdType") == "doi" and article_id.text:
                return article_id.text.strip()
        for location in article.iterfind("ELocationID"):
            if location.get("EIdType") == "doi" and location.text:
                return location.text.strip()
        return None

    @staticmethod
    def _year(article: etree._Element) -> int | None:
        for path in (
            "Journal/JournalIssue/PubDate/Year",
            "Journal/JournalIssue/PubDate/MedlineDate",
            "ArticleDate/Year",
            "Book/PubDate/Year",
            "Book/PubDate/MedlineDate",
        ):
            year = parse_year(article.findtext(path))
            if year:
                return year
        return None


# --- one record read alone (the lean reader, linker.readers.lean_pubmed_xml) ---------------

_RECORD_PARSER = etree.XMLParser(**PARSER_OPTIONS)


@dataclass(frozen=True)
class RecordSummary:
    """What :func:`extract` needs to know of a record that may hold no identifier."""

    record: etree._Element  # the record, parsed alone
    line: int  # the record's line, as the reader gives it
    has_text: bool  # a title or an abstract
    size: int  # characters of title and abstract
    holds: bool  # its title or abstract holds an identifier
    declares: bool  # it declares an accession


def summarise_record(fragment: bytes, first_line: int) -> RecordSummary:
    """The summary of the one record in ``fragment`` (the record's bytes, what stands before it
    on its first line blanked), whose first line is line ``first_line`` of the file.
    :class:`lxml.etree.XMLSyntaxError` where it is not well-formed on its own."""
    record = etree.fromstring(fragment, _RECORD_PARSER)
    line = (_line(record) + first_line - 1) if _line(record) else 1
    citation, article, title, abstract = record_parts(record)
    if citation is None:
        return RecordSummary(record, line, has_text=False, size=0, holds=False, declares=False)
    title_text, abstract_text = unplaced_texts(title, abstract)
    return RecordSummary(
        record,
        line,
        has_text=bool(title_text or abstract_text),
        size=len(title_text) + len(abstract_text),
        # The extractor's own search (it keeps its answers for the extractor to ask again).
        holds=bool(find_identifiers(title_text)) or bool(find_identifiers(abstract_text)),
        declares=next(_accessions(article), None) is not None,
    )


def placed_draft(summary: RecordSummary, fragment: bytes, first_line: int) -> RecordDraft:
    """The draft the reader makes of the record of ``summary`` (parsed from ``fragment``, as
    :func:`record_drafts` would read it), from the tree already parsed."""
    recorder = _LineRecorder(io.BytesIO(fragment), first_line, records=False)
    recorder.read()
    # As :meth:`PubmedXmlReader._drafts` counts them: the n-th element of a name on a line.
    started: dict[tuple[int, str], int] = {}
    occurrence: dict[etree._Element, int] = {}
    for element in summary.record.iter():
        tag = _local(element.tag)
        if tag in _LOCATED_TAGS:
            seen = (_line(element), tag)
            occurrence[element] = started.get(seen, 0)
            started[seen] = occurrence[element] + 1
    locator = _Locator(recorder, occurrence, first_line - 1)
    return PubmedXmlReader()._draft(summary.record, locator, summary.holds)


def record_drafts(
    fragment: bytes, first_line: int, options: ReadOptions, *, positioned: bool | None
) -> list[RecordDraft]:
    """The drafts the reader makes of ``fragment`` (from :func:`record_fragment`), placed in
    the file: lines and columns as when the whole file is read; ``positioned``: whether the
    title or the abstract holds an identifier (None: the reader decides)."""
    recorder = _LineRecorder(io.BytesIO(fragment), first_line, records=False)
    return list(PubmedXmlReader()._drafts(recorder, options, first_line - 1, positioned))


#: lxml gives exact lines below this one only (libxml2 keeps an element's line in 16 bits and
#: past it guesses from the element's first text node, which may end lines further down).
_EXACT_LINES = 65535


def _unreliable_lines(record: etree._Element) -> bool:
    return any(_line(element) >= _EXACT_LINES for element in record.iter())


def _alone(raw: RawRecord, options: ReadOptions, positioned: bool | None) -> RecordDraft | None:
    """The record read from its own bytes, its lines counted exactly; None where it cannot be
    (the positions from the whole file are then kept)."""
    fragment = record_fragment(raw)
    if fragment is None:
        return None
    try:
        drafts = record_drafts(fragment, raw.line, options, positioned=positioned)
    except InputError:
        return None
    return drafts[0] if len(drafts) == 1 else None
