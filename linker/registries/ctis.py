"""CTIS, the EU Clinical Trials Information System (EU CT numbers ``YYYY-5NNNNN-CC-NN``).

CTIS has no documented API; its public website talks to a JSON backend that ctrdata and others
use: ``POST /ctis-public-api/search`` (1-based pages) and ``GET /ctis-public-api/retrieve/{n}``.
Per EU CT number this client sends one search (to learn whether the number exists and whether a
resubmission with a higher ``-NN`` suffix replaced it) and one retrieve for the current number.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx

from linker.models import Registry
from linker.registries._parsing import (
    body_problem,
    dedupe_secondary_ids,
    parse_partial_date,
    tag_secondary_id,
    text_or_none,
)
from linker.registries.causes import FailureCause
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.interface import (
    Enrollment,
    Outcome,
    OutcomeKind,
    PartialDate,
    RegistryClient,
    RegistryRecord,
    SecondaryId,
)

EU_CT_NUMBER = re.compile(r"((?:19|20)\d{2}-5\d{5}-\d{2})-(\d{2})")
EU_CT_STEM = re.compile(r"(?:19|20)\d{2}-5\d{5}-\d{2}")
EUDRACT_NUMBER = re.compile(r"(?:19|20)\d{2}-0\d{5}-\d{2}")
PUBLIC_PAGE = "https://euclinicaltrials.eu/search-for-clinical-trials/?lang=en&EUCT={}"
SEARCH_PAGE_SIZE = 20
# More hits than this for one EudraCT number means the server ignored the criterion.
MAX_PLAUSIBLE_TRANSITION_HITS = 5

# ctPublicStatusCode, as decoded by ctrdata's f.statusRecruitment.
PUBLIC_STATUS = {
    1: "Under evaluation",
    2: "Authorised, recruitment pending",
    3: "Authorised, recruiting",
    4: "Ongoing, recruiting",
    5: "Ongoing, recruitment ended",
    6: "Temporarily halted",
    7: "Suspended",
    8: "Ended",
    9: "Expired",
    10: "Revoked",
    11: "Not authorised",
    12: "Cancelled",
}
_PHASE_NUMERALS = {"I": "1", "II": "2", "III": "3", "IV": "4"}


def public_url(ct_number: str) -> str:
    return PUBLIC_PAGE.format(quote(ct_number, safe="-"))


def search_body(criteria: Mapping[str, str], size: int = SEARCH_PAGE_SIZE) -> dict[str, Any]:
    """The search request. ``page`` is 1-based: page 0 answers ``totalRecords: 0`` to anything."""
    return {
        "pagination": {"page": 1, "size": size},
        "sort": {"property": "decisionDate", "direction": "DESC"},
        "searchCriteria": dict(criteria),
    }


class CtisClient(RegistryClient):
    registry = Registry.CTIS
    DEFAULT_BASE_URL = "https://euclinicaltrials.eu"

    def __init__(self, http: RegistryHttp, base_url: str = DEFAULT_BASE_URL) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")

    @property
    def search_url(self) -> str:
        return f"{self.base_url}/ctis-public-api/search"

    def retrieve_url(self, ct_number: str) -> str:
        return f"{self.base_url}/ctis-public-api/retrieve/{quote(ct_number, safe='-')}"

    async def verify_many(self, ids: Sequence[str]) -> dict[str, Outcome]:
        unique = list(dict.fromkeys(ids))
        answers = await asyncio.gather(*(self._verify_one(requested) for requested in unique))
        return dict(zip(unique, answers, strict=True))

    async def _verify_one(self, requested: str) -> Outcome:
        # Papers often cite the number without its resubmission suffix. Ask for the first
        # submission (-00); the search answers with later resubmissions of the same stem too.
        stem = EU_CT_STEM.fullmatch(requested) is not None
        asked = f"{requested}-00" if stem else requested
        if EU_CT_NUMBER.fullmatch(asked) is None:
            return _outcome(
                OutcomeKind.UNVERIFIED,
                requested,
                reason="not a well-formed EU CT number (YYYY-5NNNNN-CC-NN); not looked up",
            )
        try:
            search = await self._search({"number": asked})
        except Unreachable as error:
            return _outcome(
                OutcomeKind.UNVERIFIED, requested, reason=error.reason, cause=error.cause
            )
        if search.total == 0:
            if stem:  # only -00 was asked for: another suffix may exist, so accuse nothing
                return _outcome(
                    OutcomeKind.UNVERIFIED,
                    requested,
                    reason=f"CTIS has no trial {asked}; cite the full EU CT number with its suffix",
                )
            return _outcome(
                OutcomeKind.NOT_FOUND,
                requested,
                reason="CTIS search found no trial with this number",
            )
        current = _current_number(asked, search.items)
        if current is None:
            return _outcome(
                OutcomeKind.UNVERIFIED,
                requested,
                reason="CTIS search answered with other trials only (unrecognised response)",
            )
        record, problem = await self._record(current, search.item(current))
        kind = OutcomeKind.FOUND if stem or current == requested else OutcomeKind.ALIAS
        return _outcome(
            kind,
            requested,
            current_id=current if kind is OutcomeKind.ALIAS else None,
            record=record,
            reason=problem,
        )

    async def find_transitioned(self, eudract: str) -> RegistryRecord | None:
        """The CTIS record of a trial that moved from EudraCT ``eudract``, or None when CTIS
        answered that no trial carries that EudraCT number. Raises :class:`Unreachable` when
        CTIS could not answer usefully.

        The ``eudraCtCode`` search criterion is known from a scraper's list of criteria, but its
        behaviour is unverified. So every hit is checked against the EudraCT number in its
        retrieved record, and a flood of hits (the criterion ignored) counts as no answer.
        """
        search = await self._search({"eudraCtCode": eudract})
        if search.total == 0:
            return None
        if search.total > MAX_PLAUSIBLE_TRANSITION_HITS:
            raise Unreachable(
                f"CTIS search by EudraCT number returned {search.total} trials "
                "(criterion apparently ignored)"
            )
        candidates = [
            item
            for item in search.items
            if _item_eudract(item) in (None, eudract) and isinstance(item.get("ctNumber"), str)
        ]
        for item in sorted(candidates, key=lambda i: str(i["ctNumber"]), reverse=True):
            payload = await self._retrieve(str(item["ctNumber"]))
            if _transitioned_from(payload) == eudract:
                return record_from_retrieve(payload, item, self.retrieve_url(item["ctNumber"]))
        return None

    async def _search(self, criteria: Mapping[str, str]) -> _SearchAnswer:
        response = await self.http.post_json(
            Registry.CTIS, self.search_url, search_body(criteria), expect="JSON"
        )
        data = _json_object(response)
        pagination = data.get("pagination")
        items = data.get("data")
        total = pagination.get("totalRecords") if isinstance(pagination, dict) else None
        if not isinstance(total, int) or not isinstance(items, list):
            raise Unreachable("unrecognised response: CTIS search without totalRecords/data")
        if total > 0 and not items:
            raise Unreachable("unrecognised response: CTIS search counted trials but listed none")
        return _SearchAnswer(total, [item for item in items if isinstance(item, dict)])

    async def _retrieve(self, ct_number: str) -> dict[str, Any]:
        response = await self.http.get(Registry.CTIS, self.retrieve_url(ct_number), expect="JSON")
        payload = _json_object(response)
        if payload.get("ctNumber") != ct_number:
            raise Unreachable("unrecognised response: CTIS retrieve for another or no trial")
        return payload

    async def _record(
        self, ct_number: str, item: Mapping[str, Any]
    ) -> tuple[RegistryRecord, str | None]:
        """The full record; if the retrieve fails the search item still proves the trial
        exists, so a thinner record is returned with the reason."""
        try:
            payload = await self._retrieve(ct_number)
        except Unreachable as error:
            record = record_from_retrieve({"ctNumber": ct_number}, item, self.search_url)
            return record, f"CTIS details unavailable ({error.reason}); search listing used"
        return record_from_retrieve(payload, item, self.retrieve_url(ct_number)), None


class _SearchAnswer:
    def __init__(self, total: int, items: list[dict[str, Any]]) -> None:
        self.total = total
        self.items = items

    def item(self, ct_number: str) -> dict[str, Any]:
        return next((i for i in self.items if i.get("ctNumber") == ct_number), {})


def _outcome(
    kind: OutcomeKind,
    requested: str,
    *,
    current_id: str | None = None,
    record: RegistryRecord | None = None,
    reason: str | None = None,
    cause: FailureCause | None = None,
) -> Outcome:
    return Outcome(
        kind=kind,
        registry=Registry.CTIS,
        requested_id=requested,
        current_id=current_id,
        record=record,
        reason=reason,
        cause=cause,
        url=record.url if record is not None else public_url(requested),
    )


def _json_object(response: httpx.Response) -> dict[str, Any]:
    if response.status_code != 200:
        raise Unreachable(f"HTTP {response.status_code}")
    problem = body_problem(response.content, "JSON")
    if problem is not None:
        raise Unreachable(problem, FailureCause.UNUSABLE_ANSWER)
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise Unreachable(
            "malformed response: invalid JSON", FailureCause.UNUSABLE_ANSWER
        ) from None
    if not isinstance(data, dict):
        raise Unreachable("malformed response: JSON is not an object", FailureCause.UNUSABLE_ANSWER)
    return data


def _current_number(requested: str, items: Iterable[Mapping[str, Any]]) -> str | None:
    """The highest resubmission of the requested trial (same ``YYYY-5NNNNN-CC`` stem) listed,
    or None if the search listed other trials only."""
    match = EU_CT_NUMBER.fullmatch(requested)
    assert match is not None
    versions = [
        number
        for item in items
        if isinstance(number := item.get("ctNumber"), str)
        and (found := EU_CT_NUMBER.fullmatch(number)) is not None
        and found.group(1) == match.group(1)
    ]
    return max(versions, key=lambda n: int(n[-2:])) if versions else None


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(data: Any, *path: str) -> str | None:
    value = _get(data, *path)
    return text_or_none(value) if isinstance(value, str) else None


def _item_eudract(item: Mapping[str, Any]) -> str | None:
    info = item.get("eudraCtInfo")
    code = info.get("eudraCtCode") if isinstance(info, dict) else info
    return code.strip() if isinstance(code, str) and code.strip() else None


def _transitioned_from(payload: Mapping[str, Any]) -> str | None:
    """The EudraCT number of a transitioned trial (CTIS2 path, then the CTIS1 one)."""
    return _text(payload, "authorizedApplication", "eudraCt", "eudraCtCode") or _text(
        payload, "eudraCtInfo", "eudraCtCode"
    )


def record_from_retrieve(
    payload: Mapping[str, Any], item: Mapping[str, Any], retrieved_from: str
) -> RegistryRecord:
    """Normalise a retrieve payload, filling gaps from the matching search-list item."""
    ct_number = str(payload.get("ctNumber") or item.get("ctNumber"))
    part1 = _get(payload, "authorizedApplication", "authorizedPartI")
    identifiers = _get(part1, "trialDetails", "clinicalTrialIdentifiers")
    short_title = _text(identifiers, "shortTitle") or _text(item, "shortTitle")
    registered, basis = _registration(payload, item)
    return RegistryRecord(
        registry=Registry.CTIS,
        id=ct_number,
        url=public_url(ct_number),
        public_title=_text(identifiers, "publicTitle"),
        scientific_title=_text(identifiers, "fullTitle") or _text(item, "ctTitle"),
        # shortTitle often holds a protocol code such as "200925": only a word is an acronym.
        acronym=short_title if short_title and re.search(r"[A-Za-z]", short_title) else None,
        sponsor=_sponsor(part1) or _text(item, "sponsor"),
        conditions=_conditions(part1) or _split_list(_text(item, "conditions")),
        study_type="Interventional",
        phases=_phases(_text(item, "trialPhase")),
        registration_date=registered,
        registration_basis=basis,
        start_date=_start_date(payload, item),
        completion_date=_completion_date(payload, part1),
        overall_status=_status(payload, item),
        enrollment=_enrollment(item),
        secondary_ids=_secondary_ids(payload, identifiers),
        has_results=_has_results(payload, item),
        last_update=parse_partial_date(_text(item, "lastUpdated")),
        retrieved_at=datetime.now(UTC),
        retrieved_from=retrieved_from,
    )


def _sponsor(part1: Any) -> str | None:
    sponsors = [s for s in (_get(part1, "sponsors") or []) if isinstance(s, dict)]
    ordered = sorted(sponsors, key=lambda s: s.get("primary") is not True)
    return next((n for s in ordered if (n := _text(s, "organisation", "name"))), None)


def _conditions(part1: Any) -> list[str]:
    conditions = _get(part1, "medicalConditions") or []
    return [c for item in conditions if (c := _text(item, "medicalCondition"))]


def _split_list(text: str | None) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()] if text else []


def _phases(text: str | None) -> list[str]:
    """``"Therapeutic exploratory (Phase II)"`` -> ``["PHASE2"]`` (CT.gov's spelling)."""
    if not text:
        return []
    found = re.findall(r"Phase\s+(IV|III|II|I)\b", text)
    return list(dict.fromkeys(f"PHASE{_PHASE_NUMERALS[n]}" for n in found))


def _earliest(dates: Iterable[PartialDate | None]) -> PartialDate | None:
    known = [d for d in dates if d is not None]
    return min(known, key=lambda d: d.value) if known else None


def _registration(
    payload: Mapping[str, Any], item: Mapping[str, Any]
) -> tuple[PartialDate | None, str | None]:
    """When the trial was registered. A trial that transitioned from EudraCT was registered
    there first: CTIS's own dates are of the transition, so the EudraCT number's year is used,
    a lower bound (the EUCTR record's "first entered" date is on EUCTR, not here)."""
    eudract = _transitioned_from(payload)
    if eudract is not None and EUDRACT_NUMBER.fullmatch(eudract):
        return PartialDate(value=eudract[:4]), (
            f"the year of its EudraCT number {eudract} (a lower bound; CTIS's dates are of "
            "the transition)"
        )
    registered = _registration_date(payload, item)
    return registered, "submitted to CTIS" if registered is not None else None


def _registration_date(payload: Mapping[str, Any], item: Mapping[str, Any]) -> PartialDate | None:
    """The earliest application submission: the day the EU CT number was issued, as
    CT.gov's first-submitted date is. CTIS publishes only after a decision, so the earliest
    decision date (or the search list's overall one) is only the fallback."""
    applications = list(_get(payload, "authorizedApplication", "applicationInfo") or [])
    submitted = _earliest(parse_partial_date(_text(a, "submissionDate")) for a in applications)
    if submitted is not None:
        return submitted
    decided = _earliest(parse_partial_date(_text(a, "decisionDate")) for a in applications)
    return decided or parse_partial_date(_text(item, "decisionDateOverall"))


def _start_date(payload: Mapping[str, Any], item: Mapping[str, Any]) -> PartialDate | None:
    """The earliest START_OF_TRIAL notification, else the EEA start date, else the planned
    recruitment start (marked anticipated)."""
    events = [
        event
        for country in _get(payload, "events", "trialEvents") or []
        if isinstance(country, dict)
        for event in country.get("events") or []
        if isinstance(event, dict) and event.get("notificationType") == "START_OF_TRIAL"
    ]
    started = _earliest(parse_partial_date(_text(e, "date"), actual=True) for e in events)
    if started is not None:
        return started
    eea_start = _text(payload, "startDateEU") or _text(item, "startDateEU")
    if eea_start and (parsed := parse_partial_date(eea_start, actual=True)):
        return parsed
    duration = _get(
        payload, "authorizedApplication", "authorizedPartI", "trialDetails", "trialInformation"
    )
    planned = _text(duration, "trialDuration", "estimatedRecruitmentStartDate")
    return parse_partial_date(planned, actual=False)


def _completion_date(payload: Mapping[str, Any], part1: Any) -> PartialDate | None:
    ended = parse_partial_date(_text(payload, "endDateEU"), actual=True)
    if ended is not None:
        return ended
    planned = _text(part1, "trialDetails", "trialInformation", "trialDuration", "estimatedEndDate")
    return parse_partial_date(planned, actual=False)


def _status(payload: Mapping[str, Any], item: Mapping[str, Any]) -> str | None:
    for code in (payload.get("ctPublicStatusCode"), item.get("ctStatus")):
        if isinstance(code, int) and code in PUBLIC_STATUS:
            return PUBLIC_STATUS[code]
    status = payload.get("ctStatus")
    return status.strip() if isinstance(status, str) and status.strip() else None


def _enrollment(item: Mapping[str, Any]) -> Enrollment | None:
    count = item.get("totalNumberEnrolled")
    if isinstance(count, str) and count.strip().isdigit():
        count = int(count)
    return Enrollment(count=count) if isinstance(count, int) else None


def _secondary_ids(payload: Mapping[str, Any], identifiers: Any) -> list[SecondaryId]:
    numbers = _get(identifiers, "secondaryIdentifyingNumbers")
    ids: list[SecondaryId | None] = [
        tag_secondary_id(_text(numbers, "nctNumber", "number") or "", "NCT number", Registry.CTGOV),
        tag_secondary_id(
            _text(numbers, "isrctnNumber", "number") or "", "ISRCTN number", Registry.ISRCTN
        ),
    ]
    for extra in _get(numbers, "additionalRegistries") or []:
        kind = _text(extra, "otherRegistryName") or _text(extra, "ctRegistryCode")
        ids.append(tag_secondary_id(_text(extra, "number") or "", kind))
    eudract = _transitioned_from(payload)
    if eudract:
        ids.append(tag_secondary_id(eudract, "EudraCT number (transitioned)", Registry.EUCTR))
    return dedupe_secondary_ids([i for i in ids if i is not None])


def _has_results(payload: Mapping[str, Any], item: Mapping[str, Any]) -> bool | None:
    results = payload.get("results")
    if isinstance(results, dict) and any(isinstance(v, list) and v for v in results.values()):
        return True
    flag = _text(item, "resultsFirstReceived")
    if flag is not None:
        return flag.lower() == "yes"
    return False if isinstance(results, dict) else None
