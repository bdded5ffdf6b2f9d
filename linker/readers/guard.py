"""Checks every reader's output passes through, whatever the format.

* No text field of a yielded :class:`Publication` contains a surrogate code point (which no
  encoder can write): any left is replaced with U+FFFD (one warning per file). Readers that can
  produce them (JSON ``\\ud800`` escapes) replace them themselves and warn in their own words;
  this is the last line of defence.
* A record with neither title nor abstract is yielded with a warning; after
  :data:`WARN_UNTITLED_MAX` such warnings, the rest are counted into one summary warning.
* A file that yields no record, or no record with a title or abstract, is an
  :class:`~linker.errors.InputError`, raised at its end (reading streams, so only then is it
  known).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from linker.errors import InputError
from linker.limits import describe
from linker.readers.interface import ReadOptions

if TYPE_CHECKING:
    from linker.models import Publication

WARN_UNTITLED_MAX = 5
#: Formats whose title/abstract can be named with ``--column``.
COLUMN_FORMATS = frozenset({"csv", "tsv", "json", "jsonl"})

_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with every surrogate code point replaced by U+FFFD, and how many there were."""
    return _SURROGATE.subn("\ufffd", text)


def _clean(text: str, counter: list[int]) -> str:
    cleaned, count = replace_surrogates(text)
    counter[0] += count
    return cleaned


def _clean_optional(text: str | None, counter: list[int]) -> str | None:
    return None if text is None else _clean(text, counter)


def scrub_publication(publication: Publication) -> tuple[Publication, int]:
    """The publication with surrogates replaced in every string (a one-for-one replacement, so
    offsets and anchors stay valid), and how many were replaced in title, abstract and the
    scalar fields (the copies in ``fields`` are not counted twice)."""
    if not any(_SURROGATE.search(t) for t in _strings(publication) if not t.isascii()):
        return publication, 0
    from linker.models import DeclaredIdentifier, TextField

    counter = [0]
    ignored = [0]
    cleaned = publication.model_copy(
        update={
            "key": _clean(publication.key, counter),
            "title": _clean(publication.title, counter),
            "abstract": _clean(publication.abstract, counter),
            "doi": _clean_optional(publication.doi, counter),
            "pmid": _clean_optional(publication.pmid, counter),
            "file": _clean(publication.file, counter),
            "publication_types": [_clean(t, counter) for t in publication.publication_types],
            "declared_ids": [
                DeclaredIdentifier(
                    databank=_clean(d.databank, counter),
                    accession=_clean(d.accession, counter),
                    line=d.line,
                    column=d.column,
                )
                for d in publication.declared_ids
            ],
            "fields": [
                TextField(
                    name=_clean(f.name, ignored),
                    text=_clean(f.text, ignored if f.name in ("title", "abstract") else counter),
                    anchors=list(f.anchors),
                )
                for f in publication.fields
            ],
        }
    )
    return cleaned, counter[0]


def _strings(publication: Publication) -> Iterator[str]:
    yield publication.key
    yield publication.title
    yield publication.abstract
    yield publication.doi or ""
    yield publication.pmid or ""
    yield publication.file
    yield from publication.publication_types
    for declared in publication.declared_ids:
        yield declared.databank
        yield declared.accession
    for text_field in publication.fields:
        yield text_field.name
        yield text_field.text


def record_too_large(options: ReadOptions, line: int) -> InputError:
    """The error for a record (starting at ``line``) over ``--max-record-size``."""
    return options.error(
        f"record larger than {describe(options.max_record_size)} (--max-record-size)", line
    )


class RecordMeter:
    """The size of the record a reader is assembling, counted as its lines are read: a record
    spanning lines (a list entry, a RIS, MEDLINE or BibTeX record, a quoted CSV cell) over
    ``--max-record-size`` is an error naming its first line before it is ever whole, so memory
    never holds more than the limit of it. Line breaks count one character each."""

    def __init__(self, options: ReadOptions) -> None:
        self._options = options
        self._limit = options.max_record_size
        self.line = 0
        self.size = 0

    def start(self, line: int) -> None:
        """A new record begins at ``line``."""
        self.line = line
        self.size = 0

    def add(self, characters: int) -> None:
        """``characters`` more of the current record (a line without its line break)."""
        self.size += characters + 1
        if self.size > self._limit:
            raise record_too_large(self._options, self.line)


class RecordTally:
    """The per-file bookkeeping of :func:`checked`, record by record, for readers that account
    for some records without building them (a lean reader skipping records that hold no
    identifier): the same warnings and errors, in the same order."""

    def __init__(self, options: ReadOptions, fmt: str, *, detected: bool) -> None:
        self._options = options
        self._fmt = fmt
        self._detected = detected
        self.count = self.with_text = self.without_text = self.surrogates = 0
        if options.columns and fmt not in COLUMN_FORMATS:
            options.warn(f"--column ignored: it names CSV/TSV columns and JSON keys, not {fmt}")

    def admit(self, publication: Publication) -> Publication:
        """A built record: its size checked, its surrogates replaced, counted."""
        if len(publication.title) + len(publication.abstract) > self._options.max_record_size:
            raise record_too_large(self._options, publication.line)
        publication, replaced = scrub_publication(publication)
        self.surrogates += replaced
        self.add(
            publication.ordinal, publication.line, bool(publication.title or publication.abstract)
        )
        return publication

    def add(self, ordinal: int, line: int, has_text: bool) -> None:
        """A record counted without being built (its size and text already known to pass)."""
        self.count += 1
        if has_text:
            self.with_text += 1
            return
        self.without_text += 1
        if self.without_text <= WARN_UNTITLED_MAX:
            self._options.warn(f"record {ordinal} (line {line}) has neither title nor abstract")

    def add_with_text(self, count: int) -> None:
        """``count`` records counted without being built, each with a title or abstract."""
        self.count += count
        self.with_text += count

    def _only_deletions(self) -> bool:
        """Whether a PubMed XML file without records is an update file that only deletes
        citations (valid: its ``<DeleteCitation>`` list is applied across the inputs)."""
        if self._fmt != "pubmed-xml":
            return False
        from linker.readers.pubmed_deletions import deleted_pmids  # PubMed XML only

        try:
            return bool(deleted_pmids(self._options.file_name))
        except Exception:  # unreadable again, or a list that does not parse: no records
            return False

    def finish(self) -> None:
        """The end of the file: the summary warnings, or the error of a file without text."""
        options = self._options
        if self.surrogates:
            plural = "" if self.surrogates == 1 else "s"
            options.warn(f"replaced {self.surrogates} unpaired surrogate{plural}")
        if self.count == 0:
            if self._only_deletions():
                return
            fmt = self._fmt
            how = (
                f"detected format: {fmt}"
                if self._detected
                else f"read as {fmt}: is that the right format?"
            )
            raise options.error(f"no publication records found ({how})")
        if self.with_text == 0:
            if self._fmt in COLUMN_FORMATS:
                raise options.error(
                    "no record has a title or abstract; name the columns with "
                    "--column title=... --column abstract=..."
                )
            raise options.error(f"no record has a title or abstract (read as {self._fmt})")
        if self.without_text > WARN_UNTITLED_MAX:
            more = self.without_text - WARN_UNTITLED_MAX
            plural = "" if more == 1 else "s"
            options.warn(f"... and {more} more record{plural} without title or abstract")


def checked(
    publications: Iterable[Publication], options: ReadOptions, fmt: str, *, detected: bool
) -> Iterator[Publication]:
    """``publications`` of one file, with the checks of this module applied."""
    tally = RecordTally(options, fmt, detected=detected)
    for publication in publications:
        yield tally.admit(publication)
    tally.finish()
