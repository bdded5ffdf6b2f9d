"""Reading EUCTR's answers: the HTML search page (hit count and summary listing) and the
plain-text "full details" download (one record per member state), and the normalised record
built from them. No network here: :mod:`linker.registries.euctr` asks, this module reads."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import lxml.html
from lxml.html import HtmlElement

from linker.models import Registry
from linker.registries._parsing import (
    body_problem,
    dedupe_secondary_ids,
    parse_partial_date,
    tag_secondary_id,
    text_or_none,
)
from linker.registries.interface import Enrollment, PartialDate, RegistryRecord, SecondaryId

EUDRACT_NUMBER = re.compile(r"((?:19|20)\d{2}-0\d{5}-\d{2})(?:-(?:[A-Za-z]{2}|3RD|3rd))?")
COUNT_MARKER = re.compile(r"Trials with a EudraCT protocol\s*\(\s*([0-9][0-9,.]*)\s*\)")
_LANGUAGE_SUFFIX = re.compile(r"\s*\(([a-z]{2})\)$")
_CODED_LINE = re.compile(
    r"(?P<code>[A-Z](?:\.\d+)+\.?|[A-Z]\.)(?:\s+(?:and|to)\s+[A-Z](?:\.\d+)+)?"
    r"\s+(?P<label>[^:]+?)\s*:[ \t]*(?P<value>.*)"
)
_HEADING = re.compile(r"[A-Z](?:\.[0-9A-Z]+)*\.?\s+[^:]*")
_PHASE_FIELDS = (("E.7.1", "PHASE1"), ("E.7.2", "PHASE2"), ("E.7.3", "PHASE3"), ("E.7.4", "PHASE4"))


class UnrecognisedPage(ValueError):
    """The body is not a usable EUCTR answer; the message is the user-facing reason."""


# --- the HTML search page ----------------------------------------------------------------


@dataclass(frozen=True)
class ListingHit:
    """One trial of the summary listing on a search page."""

    eudract: str
    sponsor_protocol: str | None = None
    start_date: str | None = None
    sponsor: str | None = None
    full_title: str | None = None
    title_truncated: bool = False
    condition: str | None = None
    country_statuses: tuple[tuple[str, str], ...] = ()
    has_results: bool | None = None


@dataclass(frozen=True)
class SearchPage:
    count: int
    hits: tuple[ListingHit, ...]

    @property
    def complete(self) -> bool:
        """Whether every counted trial is listed (a page shows at most 20)."""
        return len(self.hits) >= self.count

    def hit(self, eudract: str) -> ListingHit | None:
        return next((h for h in self.hits if h.eudract == eudract), None)


def parse_search_page(html: str) -> SearchPage:
    """The count and listing of a search page. The count comes only from the tab
    "Trials with a EudraCT protocol (N)": every page, even one with hits, carries a hidden
    "Query did not match any studies." (for the paediatric Art45 tab), which means nothing."""
    if not html.strip():
        raise UnrecognisedPage("unrecognised response: empty body")
    marker = COUNT_MARKER.search(html)
    if marker is None:
        raise UnrecognisedPage("unrecognised response: no 'Trials with a EudraCT protocol' count")
    if not html.rstrip().lower().endswith("</html>"):
        raise UnrecognisedPage("unrecognised response: truncated page")
    count = int(re.sub(r"[,.]", "", marker.group(1)))
    document = lxml.html.fromstring(html)
    tables = _elements(document, f"//div[@id='tabs-1']//table[{_has_class('result')}]")
    hits = tuple(hit for table in tables if (hit := _listing_hit(table)) is not None)
    if count > 0 and not hits:
        raise UnrecognisedPage(f"unrecognised response: {count} trial(s) counted, none listed")
    if count == 0 and hits:
        raise UnrecognisedPage("unrecognised response: trials listed under a count of 0")
    return SearchPage(count, hits)


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def _elements(node: HtmlElement, path: str) -> list[HtmlElement]:
    found = node.xpath(path)
    return (
        [item for item in found if isinstance(item, HtmlElement)] if isinstance(found, list) else []
    )


def _label_name(label: HtmlElement) -> str:
    return re.sub(r"\s+", " ", label.text_content()).replace("*", "").strip().rstrip(":").strip()


def _listing_hit(table: HtmlElement) -> ListingHit | None:
    values: dict[str, str | None] = {}
    statuses: list[tuple[str, str]] = []
    has_results: bool | None = None
    for label in _elements(table, f".//span[{_has_class('label')}]"):
        name = _label_name(label)
        cell = label.getparent()
        if name == "Trial protocol" and cell is not None:
            statuses = _country_statuses(cell)
        elif name == "Trial results" and cell is not None:
            has_results = _results_flag(cell)
        else:
            values[name] = text_or_none(re.sub(r"\s+", " ", label.tail or ""))
    number = EUDRACT_NUMBER.fullmatch(values.get("EudraCT Number") or "")
    if number is None:
        return None
    title = values.get("Full Title")
    truncated = bool(title and title.endswith("..."))
    return ListingHit(
        eudract=number.group(1),
        sponsor_protocol=values.get("Sponsor Protocol Number"),
        start_date=values.get("Start Date"),
        sponsor=values.get("Sponsor Name"),
        full_title=title[:-3].rstrip() if title and truncated else title,
        title_truncated=truncated,
        condition=values.get("Medical condition"),
        country_statuses=tuple(statuses),
        has_results=has_results,
    )


def _country_statuses(cell: HtmlElement) -> list[tuple[str, str]]:
    statuses = []
    for link in _elements(cell, ".//a[contains(@href, '/ctr-search/trial/')]"):
        country = link.text_content().strip()
        follower = link.getnext()
        status = ""
        if follower is not None and "status" in (follower.get("class") or ""):
            status = follower.text_content().strip().removeprefix("(").removesuffix(")")
        if country:
            statuses.append((country, status.strip()))
    return statuses


def _results_flag(cell: HtmlElement) -> bool | None:
    text = cell.text_content()
    if _elements(cell, ".//a[contains(@href, '/results')]") or "View results" in text:
        return True
    if "No results available" in text:
        return False
    return None


# --- the plain-text full details --------------------------------------------------------


@dataclass
class FulltextEntry:
    code: str
    label: str
    value: str
    language: str | None = None


@dataclass
class MemberStateRecord:
    """One member state's (or the ``3rd`` country) protocol record of a full-text download."""

    summary: dict[str, str] = field(default_factory=dict)
    entries: list[FulltextEntry] = field(default_factory=list)

    @property
    def eudract(self) -> str | None:
        number = EUDRACT_NUMBER.fullmatch(
            self.summary.get("EudraCT Number") or self.value("A.2") or ""
        )
        return number.group(1) if number else None

    @property
    def first_entered(self) -> str | None:
        return text_or_none(
            self.summary.get("Date on which this record was first entered in the EudraCT database")
        )

    def values(self, code: str) -> list[str]:
        """Every non-empty value under ``code`` (repeated blocks such as one per IMP)."""
        return [e.value.strip() for e in self.entries if e.code == code and e.value.strip()]

    def value(self, code: str, label_contains: str | None = None) -> str | None:
        """The first non-empty value under ``code``, English lines before translated ones."""
        matches = [
            entry
            for entry in self.entries
            if entry.code == code
            and entry.value.strip()
            and (label_contains is None or label_contains.lower() in entry.label.lower())
        ]
        matches.sort(key=lambda entry: entry.language is not None)
        return matches[0].value.strip() if matches else None


def parse_fulltext(text: str) -> list[MemberStateRecord]:
    """The member-state records of a full-text download (``rest/download/full`` or
    ``rest/download/trial/{eudract}/{CC}``): a ``Summary`` block of ``Label: value`` lines,
    then coded lines ``A.3 Full title of the trial: ...``. Empty fields are left out by EUCTR;
    lines without a code continue the previous value (lists, long criteria)."""
    records: list[MemberStateRecord] = []
    current: MemberStateRecord | None = None
    last: FulltextEntry | None = None
    in_summary = False
    for raw_line in text.splitlines():
        line = raw_line.rstrip()
        if line.strip() == "Summary":
            current, last, in_summary = MemberStateRecord(), None, True
            records.append(current)
            continue
        if current is None:
            continue
        if not line.strip():
            last, in_summary = None, False
            continue
        if in_summary:
            key, colon, value = line.partition(":")
            if colon:
                current.summary[key.strip()] = value.strip()
            continue
        if coded := _CODED_LINE.fullmatch(line):
            label = coded.group("label").strip()
            language = _LANGUAGE_SUFFIX.search(label)
            last = FulltextEntry(
                code=coded.group("code"),
                label=_LANGUAGE_SUFFIX.sub("", label),
                value=coded.group("value").strip(),
                language=language.group(1) if language else None,
            )
            current.entries.append(last)
        elif _HEADING.fullmatch(line):
            last = None
        elif last is not None:
            last.value = f"{last.value}\n{line.strip()}".strip()
    return records


# --- the normalised record ---------------------------------------------------------------


def build_record(
    eudract: str,
    hit: ListingHit | None,
    states: Sequence[MemberStateRecord],
    *,
    url: str,
    retrieved_from: str | None = None,
) -> RegistryRecord:
    """One record from the listing hit and the member-state records (either may be missing).
    Per field the first member state that has it wins; dates take the earliest."""

    def first(code: str, label_contains: str | None = None) -> str | None:
        return next((v for s in states if (v := s.value(code, label_contains))), None)

    condition = first("E.1.1") or (hit.condition if hit else None)
    registration, basis = registration_date(eudract, states)
    products = [product for s in states for product in s.values("D.3.1")]
    return RegistryRecord(
        registry=Registry.EUCTR,
        id=eudract,
        url=url,
        public_title=first("A.3.1"),
        scientific_title=first("A.3") or (hit.full_title if hit else None),
        acronym=first("A.3.2"),
        sponsor=first("B.1.1") or (hit.sponsor if hit else None),
        conditions=[condition] if condition else [],
        interventions=list(dict.fromkeys(products)),
        study_type="Interventional",
        phases=next((p for s in states if (p := _phases(s))), []),
        registration_date=registration,
        registration_basis=basis,
        start_date=_start_date(hit, states),
        completion_date=_earliest(
            parse_partial_date(s.value("P.", "date"), actual=True) for s in states
        ),
        overall_status=_overall_status(hit, states),
        enrollment=_enrollment(first("F.4.2.2") or first("F.4.1")),
        secondary_ids=_secondary_ids(hit, states),
        has_results=hit.has_results if hit else None,
        retrieved_at=datetime.now(UTC),
        retrieved_from=retrieved_from,
    )


def registration_date(eudract: str, states: Sequence[MemberStateRecord]) -> tuple[PartialDate, str]:
    """The earliest "Date on which this record was first entered in the EudraCT database"
    of the member-state records; without them, the number's own year, a lower bound (a
    EudraCT number is issued before its record is first entered)."""
    entered = _earliest(parse_partial_date(s.first_entered) for s in states)
    if entered is not None:
        return entered, "first entered in the EudraCT database"
    return PartialDate(value=eudract[:4]), f"the year of EudraCT number {eudract} (a lower bound)"


def _earliest(dates: Iterable[PartialDate | None]) -> PartialDate | None:
    known = [d for d in dates if d is not None]
    return min(known, key=lambda d: d.value) if known else None


def _phases(state: MemberStateRecord) -> list[str]:
    return [phase for code, phase in _PHASE_FIELDS if (state.value(code) or "").lower() == "yes"]


def _start_date(hit: ListingHit | None, states: Sequence[MemberStateRecord]) -> PartialDate | None:
    """EUCTR's "Start Date*" is the date the trial was authorised to proceed (EEA) or submitted
    (outside the EEA), not a reported first enrolment: ``actual`` is left unknown."""
    listed = parse_partial_date(hit.start_date) if hit else None
    if listed is not None:
        return listed
    return _earliest(
        parse_partial_date(s.value("N.", "Date of Competent Authority Decision")) for s in states
    )


def _overall_status(hit: ListingHit | None, states: Sequence[MemberStateRecord]) -> str | None:
    """One status when the member states agree, else ``"DE: Completed, FR: Ongoing"``.
    "GB - no longer in EU/EEA" says where the record went, not how the trial stands."""
    listed = list(hit.country_statuses) if hit else []
    meaningful = [(c, s) for c, s in listed if s and "no longer in EU/EEA" not in s]
    if not meaningful:
        ended = [v for s in states if (v := s.value("P.", "End of Trial Status"))]
        summary = [v for s in states if (v := text_or_none(s.summary.get("Trial Status")))]
        fallback = ended or summary
        if fallback:
            meaningful = [("", status) for status in fallback]
        else:
            meaningful = [(c, s) for c, s in listed if s]
    distinct = list(dict.fromkeys(status for _, status in meaningful))
    if len(distinct) <= 1:
        return distinct[0] if distinct else None
    return ", ".join(
        f"{country}: {status}" if country else status for country, status in meaningful
    )


def _enrollment(planned: str | None) -> Enrollment | None:
    if planned and planned.strip().isdigit():
        return Enrollment(count=int(planned.strip()), actual=False)
    return None


def _secondary_ids(
    hit: ListingHit | None, states: Sequence[MemberStateRecord]
) -> list[SecondaryId]:
    tagged: list[SecondaryId | None] = []
    for state in states:
        for entry in state.entries:
            if entry.code == "A.5.1":
                tagged.append(tag_secondary_id(entry.value, "ISRCTN number", Registry.ISRCTN))
            elif entry.code == "A.5.2":
                tagged.append(tag_secondary_id(entry.value, "US NCT number", Registry.CTGOV))
            elif entry.code == "A.5.3":
                tagged.append(tag_secondary_id(entry.value, "WHO UTN", Registry.UTN))
            elif entry.code.startswith("A.5.") or entry.code == "A.5":
                tagged.append(tag_secondary_id(entry.value, entry.label or "Other identifier"))
    protocol = next((v for s in states if (v := s.value("A.4.1"))), None)
    protocol = protocol or (hit.sponsor_protocol if hit else None)
    if protocol:
        tagged.append(SecondaryId(id=protocol, registry=None, kind="Sponsor's protocol code"))
    return dedupe_secondary_ids([t for t in tagged if t is not None])


def search_page_problem(body: bytes) -> str | None:
    """Why ``body`` is not a search results page (a maintenance or proxy page), or None."""
    if not body.strip():
        return "malformed response: empty body"
    if COUNT_MARKER.search(body.decode("utf-8", errors="replace")) is None:
        return "malformed response: not a search results page (no trial count)"
    return None


def fulltext_problem(body: bytes) -> str | None:
    """Why ``body`` is not the plain-text full-details answer, or None."""
    return body_problem(body, "plain text")
