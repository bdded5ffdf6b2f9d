"""ISRCTN registry: several ids ORed into one query, one outcome per id.

``GET /api/query/format/default?q=ISRCTN1 OR ISRCTN2 ...&limit=n`` answers XML in namespace
``http://www.67bricks.com/isrctn``. The query is free text, so it can also return records that
merely mention a number: results are matched on each trial's own ``isrctn`` element. An id
absent from a well-formed, complete batch answer is asked about once more on its own before it
is called ``not_found``.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from linker.models import Registry
from linker.registries._parsing import (
    MalformedResponse,
    body_problem,
    dedupe_secondary_ids,
    find_dois,
    find_pmids,
    parse_partial_date,
    registry_id,
    tag_secondary_id,
    text_or_none,
    utc_now,
)
from linker.registries.batching import BatchingClient
from linker.registries.causes import FailureCause
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.interface import (
    Enrollment,
    Outcome,
    OutcomeKind,
    PartialDate,
    RecordReference,
    RegistryRecord,
    SecondaryId,
    acronym_name,
)

DEFAULT_BASE_URL = "https://www.isrctn.com"
QUERY_PATH = "/api/query/format/default"
TRIAL_PAGE_URL = "https://www.isrctn.com/{}"
NAMESPACE = "http://www.67bricks.com/isrctn"
MAX_IDS_PER_QUERY = 100
# Free-text hits on other records that mention a number also count against ``limit``.
EXTRA_RESULTS = 20

ISRCTN_ID = re.compile(r"ISRCTN\d{8}")
_NS = f"{{{NAMESPACE}}}"
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
_PHASE = re.compile(
    r"phase\s*(IV|III|II|I|[0-4])(?:\s*/\s*(?:phase\s*)?(IV|III|II|I|[0-4]))?", re.I
)
_STATUS_OVERRIDES = {
    "stopped": "TERMINATED",
    "terminated": "TERMINATED",
    "suspended": "SUSPENDED",
    "withdrawn": "WITHDRAWN",
    "completed": "COMPLETED",
    "recruiting": "RECRUITING",
    "not yet recruiting": "NOT_YET_RECRUITING",
    "no longer recruiting": "ACTIVE_NOT_RECRUITING",
}


def trial_page_url(isrctn_id: str) -> str:
    return TRIAL_PAGE_URL.format(isrctn_id)


def utc_today() -> date:
    return utc_now().date()


# --- XML access ----------------------------------------------------------------------------------


def _path(path: str) -> str:
    return "/".join(_NS + step for step in path.split("/"))


def _text(element: Element | None, path: str | None = None) -> str | None:
    if element is None:
        return None
    target = element.find(_path(path)) if path else element
    return text_or_none(target.text) if target is not None else None


def _texts(element: Element, path: str) -> list[str]:
    return [t for t in (text_or_none(e.text) for e in element.findall(_path(path))) if t]


@dataclass
class QueryResult:
    """A well-formed query answer: ``totalCount`` and the trials by their own ISRCTN id."""

    total: int
    returned: int
    trials: dict[str, Element]

    @property
    def complete(self) -> bool:
        return self.returned >= self.total


def parse_query_response(body: bytes) -> QueryResult:
    """Parse ``allTrials``; MalformedResponse for anything that is not that document."""
    problem = body_problem(body, "XML")
    if problem is not None:
        raise MalformedResponse(problem)
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except (ParseError, defusedxml.DefusedXmlException) as error:
        raise MalformedResponse("malformed response: unparsable XML") from error
    if root.tag != f"{_NS}allTrials":
        raise MalformedResponse(f"malformed response: unexpected XML root {root.tag}")
    total = (root.get("totalCount") or "").strip()
    if not total.isdigit():
        raise MalformedResponse("malformed response: allTrials without a totalCount")
    full_trials = root.findall(f"{_NS}fullTrial")
    trials: dict[str, Element] = {}
    for full_trial in full_trials:
        digits = _text(full_trial, "trial/isrctn") or ""
        if not re.fullmatch(r"\d{8}", digits):
            # A trial we cannot identify may be the one asked for: absence would prove nothing.
            raise MalformedResponse("malformed response: a trial without an 8-digit isrctn")
        trials.setdefault(f"ISRCTN{digits}", full_trial)
    return QueryResult(total=int(total), returned=len(full_trials), trials=trials)


# --- fullTrial -> RegistryRecord -------------------------------------------------------------


def _phases(trial: Element) -> list[str]:
    phases: list[str] = []
    for raw in _texts(trial, "interventions/intervention/phase"):
        lowered = raw.lower()
        if "not applicable" in lowered:
            found = ["NA"]
        elif "not specified" in lowered:
            found = []
        elif match := _PHASE.search(raw):
            found = [f"PHASE{_ROMAN.get(p.upper(), p)}" for p in match.groups() if p]
            found = ["EARLY_PHASE1" if p == "PHASE0" else p for p in found]
        else:
            found = [raw]
        phases.extend(p for p in found if p not in phases)
    return phases


def _interventions(trial: Element) -> list[str]:
    names: list[str] = []
    for intervention in trial.findall(_path("interventions/intervention")):
        name = _text(intervention, "drugNames")
        if name is None:
            description = _text(intervention, "description")
            name = _shorten(description.splitlines()[0].strip()) if description else None
        if name and name not in names:
            names.append(name)
    return names


def _shorten(text: str, limit: int = 200) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _conditions(trial: Element) -> list[str]:
    conditions: list[str] = []
    for description in _texts(trial, "conditions/condition/description"):
        for line in description.splitlines():
            line = line.strip()
            if line and line not in conditions:
                conditions.append(line)
    return conditions


def _sponsor(full_trial: Element, trial: Element) -> str | None:
    sponsors = {s.get("id"): s for s in full_trial.findall(f"{_NS}sponsor")}
    for sponsor_id in _texts(trial, "parties/sponsorId"):
        if (name := _text(sponsors.get(sponsor_id), "organisation")) is not None:
            return name
    for sponsor in sponsors.values():
        if (name := _text(sponsor, "organisation")) is not None:
            return name
    return None


def _enrollment(trial: Element) -> Enrollment | None:
    final = _text(trial, "participants/totalFinalEnrolment")
    if final is not None and final.isdigit():
        return Enrollment(count=int(final), actual=True)
    target = _text(trial, "participants/targetEnrolment")
    if target is not None and target.isdigit():
        return Enrollment(count=int(target), actual=False)
    return None


def _secondary_number(element: Element) -> SecondaryId | None:
    kind = text_or_none(element.get("numberType"))
    value = text_or_none(element.text)
    canonical = text_or_none(element.get("canonicalSecondaryNumber"))
    if value is None:
        return None
    if (kind or "").lower() == "nct":
        return tag_secondary_id(value, kind, Registry.CTGOV)
    if (kind or "").lower() == "ctis":
        # ISRCTN files EudraCT numbers as "CTIS<eudract>-00": not EU CT numbers. Only a real
        # EU CT number (6-digit block starting with 5) goes to CTIS.
        for candidate in (value, canonical):
            recognised = registry_id(candidate)
            if recognised is not None and recognised[0] in (Registry.EUCTR, Registry.CTIS):
                return SecondaryId(id=recognised[1], registry=recognised[0], kind=kind)
        return SecondaryId(id=value, registry=None, kind=kind)
    return tag_secondary_id(value, kind)


def _secondary_ids(trial: Element) -> list[SecondaryId]:
    refs = trial.find(_path("externalRefs"))
    if refs is None:
        return []
    found: list[SecondaryId | None] = [
        tag_secondary_id(_text(refs, "eudraCTNumber") or "", "eudraCTNumber", Registry.EUCTR),
        tag_secondary_id(
            _text(refs, "clinicalTrialsGovNumber") or "", "clinicalTrialsGovNumber", Registry.CTGOV
        ),
    ]
    numbers = refs.findall(_path("secondaryNumbers/secondaryNumber"))
    found.extend(_secondary_number(number) for number in numbers)
    if not numbers:  # older records: only the flat elements
        found.append(tag_secondary_id(_text(refs, "irasNumber") or "", "irasNumber"))
        found.append(
            tag_secondary_id(_text(refs, "protocolSerialNumber") or "", "protocolSerialNumber")
        )
    return dedupe_secondary_ids([item for item in found if item is not None])


def _has_results(trial: Element) -> bool | None:
    """True when results are clearly there; None otherwise (absence here proves little)."""
    if _text(trial, "results/basicReport") is not None:
        return True
    details = _text(trial, "results/publicationDetails") or ""
    if re.search(r"\bresults?\b", details, re.I):
        return True
    outputs = trial.findall(_path("outputs/output"))
    if any("result" in (o.get("outputType") or "").lower() for o in outputs):
        return True
    return None


def _references(trial: Element) -> list[RecordReference]:
    """Publications the record lists: PubMed links and DOIs in ``results/publicationDetails``
    and in the ``outputs/output`` entries (their attributes and text; the output element's
    exact attributes are not documented, so every value is searched). The record's own DOI
    (``10.1186/ISRCTN...``) is not a publication."""
    texts = [("publicationDetails", _text(trial, "results/publicationDetails") or "")]
    for output in trial.findall(_path("outputs/output")):
        kind = output.get("outputType") or "output"
        for element in output.iter():
            texts.extend((kind, value) for value in element.attrib.values())
            texts.append((kind, element.text or ""))
    found: list[RecordReference] = []
    for kind, text in texts:
        found.extend(RecordReference(pmid=pmid, kind=kind) for pmid in find_pmids(text))
        found.extend(
            RecordReference(doi=doi, kind=kind)
            for doi in find_dois(text)
            if not doi.startswith("10.1186/isrctn")
        )
    unique: dict[tuple[str | None, str | None], RecordReference] = {}
    for reference in found:
        unique.setdefault((reference.pmid, reference.doi), reference)
    return list(unique.values())


def derive_status(trial: Element, today: date) -> str | None:
    """Overall status in ClinicalTrials.gov's vocabulary. ISRCTN has no status element: use
    ``recruitmentStatusOverride`` when set, else the trial and recruitment dates."""
    override = _text(trial, "participants/recruitmentStatusOverride")
    if override is not None:
        return _STATUS_OVERRIDES.get(override.lower(), re.sub(r"\W+", "_", override).upper())
    start = _start_date(trial)
    end = _end_date(trial)
    recruitment_end = parse_partial_date(_text(trial, "participants/recruitmentEnd"))
    if end is not None and today > end.last_day():
        return "COMPLETED"
    if start is not None and today < start.first_day():
        return "NOT_YET_RECRUITING"
    if recruitment_end is not None and today > recruitment_end.last_day():
        return "ACTIVE_NOT_RECRUITING"
    if start is not None or end is not None:
        return "RECRUITING"
    return None


def _start_date(trial: Element) -> PartialDate | None:
    return parse_partial_date(_text(trial, "trialDesign/overallStartDate")) or parse_partial_date(
        _text(trial, "participants/recruitmentStart")
    )


def _end_date(trial: Element) -> PartialDate | None:
    return parse_partial_date(_text(trial, "trialDesign/overallEndDate")) or parse_partial_date(
        _text(trial, "participants/recruitmentEnd")
    )


def parse_full_trial(
    full_trial: Element,
    *,
    today: date,
    retrieved_from: str | None = None,
    retrieved_at: datetime | None = None,
) -> RegistryRecord:
    """Normalise one ``fullTrial`` element; MalformedResponse when it has no ISRCTN id."""
    trial = full_trial.find(f"{_NS}trial")
    digits = _text(trial, "isrctn") if trial is not None else None
    if trial is None or digits is None or not re.fullmatch(r"\d{8}", digits):
        raise MalformedResponse("malformed response: trial without an isrctn number")
    isrctn_id = f"ISRCTN{digits}"
    isrctn_element = trial.find(f"{_NS}isrctn")
    assigned = isrctn_element.get("dateAssigned") if isrctn_element is not None else None
    study_type = _text(trial, "trialDesign/primaryStudyDesign")
    return RegistryRecord(
        registry=Registry.ISRCTN,
        id=isrctn_id,
        url=trial_page_url(isrctn_id),
        public_title=_text(trial, "trialDescription/title"),
        scientific_title=_text(trial, "trialDescription/scientificTitle"),
        acronym=acronym_name(_text(trial, "trialDescription/acronym")),
        sponsor=_sponsor(full_trial, trial),
        conditions=_conditions(trial),
        interventions=_interventions(trial),
        study_type=re.sub(r"\W+", "_", study_type).upper() if study_type else None,
        phases=_phases(trial),
        registration_date=parse_partial_date(
            assigned or trial.get("publicIdentifierDateAssigned"), True
        ),
        registration_basis="ISRCTN assigned",
        start_date=_start_date(trial),
        completion_date=_end_date(trial),
        overall_status=derive_status(trial, today),
        enrollment=_enrollment(trial),
        secondary_ids=_secondary_ids(trial),
        references=_references(trial),
        has_results=_has_results(trial),
        last_update=parse_partial_date(trial.get("lastUpdated"), True),
        retrieved_at=retrieved_at,
        retrieved_from=retrieved_from,
    )


# --- the client ---------------------------------------------------------------------------------


class IsrctnClient(BatchingClient):
    id_pattern = ISRCTN_ID
    id_form = "ISRCTN id (ISRCTN + 8 digits)"
    registry = Registry.ISRCTN

    def __init__(
        self,
        http: RegistryHttp,
        base_url: str = DEFAULT_BASE_URL,
        *,
        batch_size: int = MAX_IDS_PER_QUERY,
        today: Callable[[], date] = utc_today,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.batch_size = max(1, min(batch_size, MAX_IDS_PER_QUERY))
        self.today = today
        self.clock = clock

    def page_url(self, identifier: str) -> str:
        return trial_page_url(identifier)

    async def _query(self, batch: list[str]) -> tuple[QueryResult, str]:
        params = {"q": " OR ".join(batch), "limit": str(len(batch) + EXTRA_RESULTS)}
        response = await self.http.get(
            self.registry, self.base_url + QUERY_PATH, params=params, expect="XML"
        )
        if response.status_code != 200:
            raise MalformedResponse(f"HTTP {response.status_code}", FailureCause.FAILED)
        return parse_query_response(response.content), str(response.url)

    async def _verify_batch(self, batch: list[str]) -> dict[str, Outcome]:
        try:
            result, url = await self._query(batch)
        except (Unreachable, MalformedResponse) as error:
            return {
                isrctn_id: self._unverified(isrctn_id, error.reason, error.cause)
                for isrctn_id in batch
            }
        outcomes: dict[str, Outcome] = {}
        absent: list[str] = []
        for isrctn_id in batch:
            full_trial = result.trials.get(isrctn_id)
            if full_trial is not None:
                outcomes[isrctn_id] = self._found(isrctn_id, full_trial, url)
            elif len(batch) > 1:
                absent.append(isrctn_id)  # a batch can be wrong or cut short by limit
            elif result.complete:
                outcomes[isrctn_id] = self._not_found(isrctn_id, result.total)
            else:
                outcomes[isrctn_id] = self._unverified(
                    isrctn_id, f"result cut short ({result.returned} of {result.total} trials)"
                )
        confirmed = await asyncio.gather(*(self._verify_batch([i]) for i in absent))
        for single in confirmed:
            outcomes.update(single)
        return outcomes

    def _found(self, isrctn_id: str, full_trial: Element, url: str) -> Outcome:
        try:
            record = parse_full_trial(
                full_trial, today=self.today(), retrieved_from=url, retrieved_at=self.clock()
            )
        except MalformedResponse as error:  # pragma: no cover - the id was read from it
            return self._unverified(isrctn_id, error.reason, error.cause)
        return Outcome(
            kind=OutcomeKind.FOUND,
            registry=self.registry,
            requested_id=isrctn_id,
            record=record,
            url=trial_page_url(isrctn_id),
        )

    def _not_found(self, isrctn_id: str, total: int) -> Outcome:
        reason = (
            "ISRCTN query found no trial"
            if total == 0
            else f"ISRCTN query returned {total} other trial(s), not this one"
        )
        return Outcome(
            kind=OutcomeKind.NOT_FOUND,
            registry=self.registry,
            requested_id=isrctn_id,
            reason=reason,
            url=trial_page_url(isrctn_id),
        )
