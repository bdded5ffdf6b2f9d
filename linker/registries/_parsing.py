"""Small helpers shared by the registry clients: registry dates, registry-id tagging, text.

Kept deliberately stable: the CT.gov, ISRCTN, EUCTR and CTIS clients all import from here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from linker.extract.identifiers import parse_identifier
from linker.models import Registry
from linker.registries.causes import FailureCause
from linker.registries.interface import PartialDate, SecondaryId

_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_ISO_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
)
_DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


class MalformedResponse(Exception):
    """The registry answered, but not with the document it should have (or, with
    ``cause=FAILED``, with a status the client cannot use)."""

    def __init__(self, reason: str, cause: FailureCause = FailureCause.UNUSABLE_ANSWER) -> None:
        self.reason = reason
        self.cause = cause
        super().__init__(reason)


def utc_now() -> datetime:
    return datetime.now(UTC)


def text_or_none(value: str | None) -> str | None:
    """Stripped text, or None for missing or blank values (registries send empty elements)."""
    if value is None:
        return None
    stripped = value.strip()
    return stripped or None


def parse_partial_date(value: str | None, actual: bool | None = None) -> PartialDate | None:
    """A registry date at the precision given, or None when absent or unreadable.

    Accepts ``2013``, ``2013-08``, ``2013-08-14``, ISO date-times such as
    ``2021-10-07T00:00:00.000Z`` or ``2026-09-30T14:08:37.63458888Z`` (day precision: the date
    part as written, no time-zone shift) and ``dd/mm/yyyy`` (EU registers).
    """
    text = text_or_none(value)
    if text is None:
        return None
    if match := _ISO_DATETIME.fullmatch(text):
        text = match.group(1)
    elif match := _DMY_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
        text = f"{year:04d}-{month:02d}-{day:02d}"
    match = _ISO_DATE.fullmatch(text)
    if match is None or not _is_real_date(*match.groups()):
        return None
    return PartialDate(value=text, actual=actual)


def _is_real_date(year: str, month: str | None, day: str | None) -> bool:
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def registry_id(value: str | None) -> tuple[Registry, str] | None:
    """The registry and canonical form of ``value`` when the whole value is a registry id.

    ``"ISRCTN 10134725"`` -> ``(ISRCTN, "ISRCTN10134725")``; ``"2011-003425-96-GB"`` ->
    ``(EUCTR, "2011-003425-96")``; ISRCTN's ``"CTIS2020-005891-36-00"`` wrapping of a EudraCT
    number -> ``(EUCTR, "2020-005891-36")``; ``"2013-062"``, a grant number or a placeholder
    such as ``NCT00000000`` -> None. The extractor's reading of a typed identifier, required to
    cover the whole value.
    """
    text = text_or_none(value)
    if text is None:
        return None
    found = parse_identifier(text)
    if found is None or not found.valid_format or (found.start, found.end) != (0, len(text)):
        return None
    return found.registry, found.id


def tag_secondary_id(
    value: str, kind: str | None, registry: Registry | None = None
) -> SecondaryId | None:
    """A :class:`SecondaryId` for a listed identifier, or None when ``value`` is blank.

    With ``registry`` given (the source says which registry it belongs to), the id is put in
    that registry's canonical form when it matches it; otherwise the registry is guessed from
    the id's own shape, and ids of no recognisable registry keep ``registry=None``.
    """
    text = text_or_none(value)
    if text is None:
        return None
    recognised = registry_id(text)
    if registry is not None:
        if recognised is not None and recognised[0] is registry:
            return SecondaryId(id=recognised[1], registry=registry, kind=kind)
        return SecondaryId(id=text, registry=registry, kind=kind)
    if recognised is not None:
        return SecondaryId(id=recognised[1], registry=recognised[0], kind=kind)
    return SecondaryId(id=text, registry=None, kind=kind)


def dedupe_secondary_ids(ids: list[SecondaryId]) -> list[SecondaryId]:
    """First occurrence of each (registry, id) pair, in order."""
    seen: set[tuple[Registry | None, str]] = set()
    kept: list[SecondaryId] = []
    for item in ids:
        key = (item.registry, item.id.upper())
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)", re.I)
_PUBMED_LINK = re.compile(r"(?:pubmed(?:\.ncbi\.nlm\.nih\.gov)?/|PMID:?\s*)(\d{1,9})\b", re.I)


def normalise_doi(doi: str | None) -> str | None:
    """A DOI for comparison: lower case, no resolver prefix, no trailing punctuation."""
    text = text_or_none(doi)
    if text is None:
        return None
    text = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", text, flags=re.I)
    return text.rstrip(".,;:)]").lower() or None


def find_doi(text: str | None) -> str | None:
    """The first DOI written in ``text`` (a citation, a link), normalised."""
    found = _DOI.search(text or "")
    return normalise_doi(found.group(1)) if found else None


def find_dois(text: str) -> list[str]:
    return list(dict.fromkeys(d for m in _DOI.finditer(text) if (d := normalise_doi(m.group(1)))))


def find_pmids(text: str) -> list[str]:
    """PMIDs written as PubMed links or ``PMID: n`` in free text."""
    return list(dict.fromkeys(m.group(1) for m in _PUBMED_LINK.finditer(text)))


def looks_like_html(body: bytes | str) -> bool:
    """True for an HTML page (a proxy or error page where JSON or XML was due)."""
    head = body[:512].decode("utf-8", "replace") if isinstance(body, bytes) else body[:512]
    head = head.lstrip("\ufeff \t\r\n").lower()
    if head.startswith("<?xml"):
        head = head[head.find("?>") + 2 :].lstrip()
    return head.startswith(("<!doctype html", "<html", "<head", "<body"))


def body_problem(body: bytes, expected: str) -> str | None:
    """Why a response body cannot be the ``expected`` document ("JSON", "XML"), or None."""
    if not body.strip():
        return "malformed response: empty body"
    if looks_like_html(body):
        return f"malformed response: HTML page where {expected} was expected"
    return None
