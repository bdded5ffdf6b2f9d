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

from linker.limits import describe
from linker.models import DeclaredIdentifier, Publication, TextField
from linker.readers.interface import ReadOptions

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


def checked(
    publications: Iterable[Publication], options: ReadOptions, fmt: str, *, detected: bool
) -> Iterator[Publication]:
    """``publications`` of one file, with the checks of this module applied."""
    count = with_text = without_text = surrogates = 0
    for publication in publications:
        count += 1
        if len(publication.title) + len(publication.abstract) > options.max_record_size:
            raise options.error(
                f"record larger than {describe(options.max_record_size)} (--max-record-size)",
                publication.line,
            )
        publication, replaced = scrub_publication(publication)
        surrogates += replaced
        if publication.title or publication.abstract:
            with_text += 1
        else:
            without_text += 1
            if without_text <= WARN_UNTITLED_MAX:
                options.warn(
                    f"record {publication.ordinal} (line {publication.line}) "
                    "has neither title nor abstract"
                )
        yield publication
    if surrogates:
        plural = "" if surrogates == 1 else "s"
        options.warn(f"replaced {surrogates} unpaired surrogate{plural}")
    if count == 0:
        how = f"detected format: {fmt}" if detected else f"read as {fmt}: is that the right format?"
        raise options.error(f"no publication records found ({how})")
    if with_text == 0:
        if fmt in COLUMN_FORMATS:
            raise options.error(
                "no record has a title or abstract; name the columns with "
                "--column title=... --column abstract=..."
            )
        raise options.error(f"no record has a title or abstract (read as {fmt})")
    if without_text > WARN_UNTITLED_MAX:
        more = without_text - WARN_UNTITLED_MAX
        plural = "" if more == 1 else "s"
        options.warn(f"... and {more} more record{plural} without title or abstract")
