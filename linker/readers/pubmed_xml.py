"""PubMed XML (efetch ``PubmedArticleSet``, baseline ``MedlineCitationSet``/``PubmedArticleSet``).

Parsed safely and as a stream: lxml ``iterparse`` with entity resolution, DTD loading and
network access off (an entity reference stays as the literal ``&name;`` text, never expanded),
and each record is cleared once read, so a large baseline file is not held in memory.

Positions are best effort: the line is lxml's ``sourceline`` of the element; the column is
found by searching that raw line for the element's start tag. Text that follows an entity
(``&amp;``) or inline markup (``<i>``) on the same line may be a few columns off, and a line
break inside a text continues at column 1 of the next line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from linker.models import DeclaredIdentifier, Publication
from linker.readers.interface import (
    Reader,
    ReadOptions,
    RecordDraft,
    TextBuilder,
    clean_pmid,
    number,
    parse_year,
)

_RECORD_TAGS = frozenset({"PubmedArticle", "PubmedBookArticle", "MedlineCitation"})
_ROOT_TAGS = frozenset(
    {"PubmedArticleSet", "MedlineCitationSet", "PubmedBookArticleSet"} | _RECORD_TAGS
)


class _LineRecorder:
    """A pass-through byte stream that remembers the raw lines not yet discarded."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream
        self._buffer = bytearray()
        self._first_line = 1  # line number of the start of the buffer

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


def _line(element: etree._Element) -> int:
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else 0


def _all_text(element: etree._Element) -> str:
    return "".join(str(piece) for piece in element.itertext())


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


class PubmedXmlReader(Reader):
    name = "pubmed-xml"
    wants_bytes = True

    def read(self, text: str, options: ReadOptions) -> Iterator[Publication]:
        import io

        yield from self.read_stream(io.BytesIO(text.encode("utf-8")), options)

    def read_stream(self, stream: BinaryIO, options: ReadOptions) -> Iterator[Publication]:
        yield from number(self._drafts(_LineRecorder(stream), options), options)

    def _drafts(self, recorder: _LineRecorder, options: ReadOptions) -> Iterator[RecordDraft]:
        events = etree.iterparse(
            recorder,
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        depth = 0
        record_depth: int | None = None
        try:
            for event, element in events:
                tag = _local(element.tag)
                if event == "start":
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
                    draft = self._draft(element, recorder)
                    recorder.discard_before(draft.end_line)
                    yield draft
                    element.clear(keep_tail=False)
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
        except etree.XMLSyntaxError as error:
            line = error.lineno if error.lineno and error.lineno > 0 else None
            message = str(error.msg).split(",")[0] if error.msg else "malformed XML"
            raise options.error(f"malformed XML: {message}", line) from None
        if depth != 0:
            raise options.error("truncated XML")

    def _draft(self, record: etree._Element, recorder: _LineRecorder) -> RecordDraft:
        start = _line(record) or 1
        end = max(_line(element) or start for element in record.iter())
        draft = RecordDraft(line=start, end_line=end)
        citation = record if _local(record.tag) == "MedlineCitation" else None
        for child in record:
            if _local(child.tag) in ("MedlineCitation", "BookDocument"):
                citation = child
        if citation is None:
            return draft
        draft.pmid = clean_pmid(citation.findtext("PMID"))
        article = citation.find("Article")
        if article is None:
            article = citation  # BookDocument keeps title and abstract at its own level
        title = article.find("ArticleTitle")
        if title is None:
            title = article.find("Book/BookTitle")
        if title is not None:
            draft.title = self._text(title, recorder)
        abstract = article.find("Abstract")
        if abstract is not None:
            draft.abstract = self._abstract(abstract, recorder)
        draft.doi = self._doi(record, article)
        draft.year = self._year(article)
        draft.publication_types = [
            _all_text(pt).strip() for pt in article.iterfind("PublicationTypeList/PublicationType")
        ]
        for bank in article.iterfind("DataBankList/DataBank"):
            name = (bank.findtext("DataBankName") or "").strip()
            for accession in bank.iterfind("AccessionNumberList/AccessionNumber"):
                value = (accession.text or "").strip()
                if value:
                    line, column = self._position(accession, recorder)
                    draft.declared_ids.append(
                        DeclaredIdentifier(databank=name, accession=value, line=line, column=column)
                    )
        return draft

    @staticmethod
    def _position(element: etree._Element, recorder: _LineRecorder) -> tuple[int, int]:
        """Line and column of the first character of the element's content."""
        line = _line(element)
        raw = recorder.line(line)
        match = re.search(rf"<{re.escape(_local(element.tag))}(\s[^>]*)?>", raw)
        return line, (match.end() + 1 if match else 1)

    def _text(
        self, element: etree._Element, recorder: _LineRecorder, builder: TextBuilder | None = None
    ) -> TextBuilder:
        builder = builder or TextBuilder()
        text = _all_text(element)
        line, column = self._position(element, recorder)
        pieces = text.split("\n")
        for index, piece in enumerate(pieces):
            builder.add(piece + ("\n" if index < len(pieces) - 1 else ""), line, column)
            line, column = line + 1, 1
        return builder

    def _abstract(self, abstract: etree._Element, recorder: _LineRecorder) -> TextBuilder:
        builder = TextBuilder()
        for section in abstract.iterfind("AbstractText"):
            if not builder.empty:
                builder.add_unplaced(" ")
            label = section.get("Label")
            if label:
                builder.add_unplaced(f"{label}: ")
            self._text(section, recorder, builder)
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
