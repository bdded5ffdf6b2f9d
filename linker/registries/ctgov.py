"""ClinicalTrials.gov (API v2): many NCT ids per request, one outcome per id.

Ids are sorted and cut into batches of at most 200 for ``GET /studies?filter.ids=...``; the
server matches them against ``nctId`` and ``nctIdAliases``. An id missing from a well-formed
batch is asked about once more on its own (``GET /studies/{id}``) before it is called
``not_found``: only the registry's own 404 ``NCT number ... not found`` says that.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx

from linker.models import Registry
from linker.registries._parsing import (
    MalformedResponse,
    body_problem,
    dedupe_secondary_ids,
    find_doi,
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
)

DEFAULT_BASE_URL = "https://clinicaltrials.gov/api/v2"
STUDY_PAGE_URL = "https://clinicaltrials.gov/study/{}"
MAX_IDS_PER_REQUEST = 200
PAGE_SIZE = 1000
# Whole modules, not single pieces: ``fields=StartDate`` drops the ACTUAL/ESTIMATED type.
FIELDS = (
    "IdentificationModule|StatusModule|SponsorCollaboratorsModule|ConditionsModule"
    "|DesignModule|ArmsInterventionsModule|ReferencesModule|HasResults"
)
MAX_PAGES = 50  # a batch of 200 ids fits one page of 1000; this only stops a runaway cursor

NCT_ID = re.compile(r"NCT\d{8}")
_NOT_FOUND_TEXT = re.compile(r"NCT number (\S+) not found")
_GRANT_TYPES = frozenset({"NIH", "FDA", "VA", "CDC", "AHRQ", "SAMHSA", "OTHER_GRANT"})
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def study_page_url(nct_id: str) -> str:
    return STUDY_PAGE_URL.format(nct_id)


# --- JSON access that tolerates missing or mistyped values -----------------------------------


def _obj(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return text_or_none(value) if isinstance(value, str) else None


def _texts(value: Any) -> list[str]:
    return [t for t in (_text(item) for item in _items(value)) if t]


def _date_struct(struct: Any) -> PartialDate | None:
    struct = _obj(struct)
    kind = _text(struct.get("type"))
    actual = {"ACTUAL": True, "ESTIMATED": False}.get(kind or "")
    return parse_partial_date(_text(struct.get("date")), actual)


# --- Study JSON -> RegistryRecord --------------------------------------------------------------


def study_ids(study: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The study's ``nctId`` and its ``nctIdAliases``; MalformedResponse without an nctId."""
    identification = _obj(_obj(study.get("protocolSection")).get("identificationModule"))
    nct_id = (_text(identification.get("nctId")) or "").upper()
    if not NCT_ID.fullmatch(nct_id):
        raise MalformedResponse("malformed response: study without a valid nctId")
    aliases = [a.upper() for a in _texts(identification.get("nctIdAliases"))]
    return nct_id, aliases


def _secondary_ids(identification: Mapping[str, Any]) -> list[SecondaryId]:
    found: list[SecondaryId] = []
    for info in _items(identification.get("secondaryIdInfos")):
        info = _obj(info)
        value = _text(info.get("id"))
        if value is None:
            continue
        kind = _text(info.get("type"))
        tagged: SecondaryId | None
        if kind in ("EUDRACT_NUMBER", "CTIS"):
            # Sponsors file EU CT numbers under EUDRACT_NUMBER and vice versa: trust the shape.
            recognised = registry_id(value)
            if recognised is not None and recognised[0] in (Registry.EUCTR, Registry.CTIS):
                tagged = SecondaryId(id=recognised[1], registry=recognised[0], kind=kind)
            else:
                default = Registry.EUCTR if kind == "EUDRACT_NUMBER" else Registry.CTIS
                tagged = SecondaryId(id=value, registry=default, kind=kind)
        elif kind in _GRANT_TYPES:
            tagged = SecondaryId(id=value, registry=None, kind=kind)
        else:
            tagged = tag_secondary_id(value, kind or _text(info.get("domain")))
        if tagged is not None:
            found.append(tagged)
    org_id = _text(_obj(identification.get("orgStudyIdInfo")).get("id"))
    recognised = registry_id(org_id)
    if org_id is not None and recognised is not None:
        found.append(SecondaryId(id=recognised[1], registry=recognised[0], kind="orgStudyId"))
    return dedupe_secondary_ids(found)


def _references(protocol: Mapping[str, Any]) -> list[RecordReference]:
    """``referencesModule.references[]``: the publications the record lists, with their
    type (RESULT, DERIVED: found by CT.gov's PubMed matching; BACKGROUND)."""
    found = []
    for item in _items(_obj(protocol.get("referencesModule")).get("references")):
        item = _obj(item)
        pmid = _text(item.get("pmid"))
        citation = _text(item.get("citation"))
        doi = find_doi(citation)
        if pmid is not None and not pmid.isdigit():
            pmid = None
        if pmid or doi:
            found.append(
                RecordReference(pmid=pmid, doi=doi, kind=_text(item.get("type")), citation=citation)
            )
    return found


def parse_study(
    study: Mapping[str, Any], *, retrieved_from: str | None, retrieved_at: datetime | None
) -> RegistryRecord:
    """Normalise one v2 ``Study`` object (full record or a ``fields=`` subset)."""
    nct_id, _aliases = study_ids(study)
    protocol = _obj(study.get("protocolSection"))
    identification = _obj(protocol.get("identificationModule"))
    status = _obj(protocol.get("statusModule"))
    design = _obj(protocol.get("designModule"))
    enrollment_info = _obj(design.get("enrollmentInfo"))
    count = enrollment_info.get("count")
    enrollment_kind = _text(enrollment_info.get("type"))
    interventions = _obj(protocol.get("armsInterventionsModule")).get("interventions")
    completion = _date_struct(status.get("completionDateStruct")) or _date_struct(
        status.get("primaryCompletionDateStruct")
    )
    has_results = study.get("hasResults")
    return RegistryRecord(
        registry=Registry.CTGOV,
        id=nct_id,
        url=study_page_url(nct_id),
        public_title=_text(identification.get("briefTitle")),
        scientific_title=_text(identification.get("officialTitle")),
        acronym=_text(identification.get("acronym")),
        sponsor=_text(
            _obj(_obj(protocol.get("sponsorCollaboratorsModule")).get("leadSponsor")).get("name")
        ),
        conditions=_texts(_obj(protocol.get("conditionsModule")).get("conditions")),
        interventions=[n for n in (_text(_obj(i).get("name")) for i in _items(interventions)) if n],
        study_type=_text(design.get("studyType")),
        phases=_texts(design.get("phases")),
        registration_date=parse_partial_date(_text(status.get("studyFirstSubmitDate")), True),
        registration_basis="first submitted to ClinicalTrials.gov",
        start_date=_date_struct(status.get("startDateStruct")),
        completion_date=completion,
        overall_status=_text(status.get("overallStatus")),
        enrollment=(
            Enrollment(
                count=count, actual={"ACTUAL": True, "ESTIMATED": False}.get(enrollment_kind or "")
            )
            if isinstance(count, int) and not isinstance(count, bool)
            else None
        ),
        secondary_ids=_secondary_ids(identification),
        references=_references(protocol),
        results_first_posted=_date_struct(status.get("resultsFirstPostDateStruct")),
        has_results=has_results if isinstance(has_results, bool) else None,
        last_update=_date_struct(status.get("lastUpdatePostDateStruct")),
        retrieved_at=retrieved_at,
        retrieved_from=retrieved_from,
    )


def decode_json(response: httpx.Response) -> Any:
    """The JSON body, or MalformedResponse for empty, HTML, truncated or invalid bodies."""
    problem = body_problem(response.content, "JSON")
    if problem is not None:
        raise MalformedResponse(problem)
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError) as error:
        raise MalformedResponse("malformed response: invalid or truncated JSON") from error


# --- the client ---------------------------------------------------------------------------------


@dataclass
class _BatchResult:
    studies: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (study, page URL)
    failure: str | None = None  # set when a page could not be read: absence proves nothing
    cause: FailureCause | None = None  # why (see FailureCause)


class CtgovClient(BatchingClient):
    id_pattern = NCT_ID
    id_form = "ClinicalTrials.gov id (NCT + 8 digits)"
    registry = Registry.CTGOV

    def __init__(
        self,
        http: RegistryHttp,
        base_url: str = DEFAULT_BASE_URL,
        *,
        batch_size: int = MAX_IDS_PER_REQUEST,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.batch_size = max(1, min(batch_size, MAX_IDS_PER_REQUEST))
        self.clock = clock

    def page_url(self, identifier: str) -> str:
        return study_page_url(identifier)

    async def _verify_batch(self, batch: list[str]) -> dict[str, Outcome]:
        result = await self._fetch_batch(batch)
        by_id: dict[str, tuple[dict[str, Any], str]] = {}
        by_alias: dict[str, tuple[dict[str, Any], str]] = {}
        for study, url in result.studies:
            nct_id, aliases = study_ids(study)
            by_id.setdefault(nct_id, (study, url))
            for alias in aliases:
                by_alias.setdefault(alias, (study, url))
        outcomes: dict[str, Outcome] = {}
        absent: list[str] = []
        for nct_id in batch:
            if nct_id in by_id:
                outcomes[nct_id] = self._found(nct_id, *by_id[nct_id])
            elif nct_id in by_alias:
                outcomes[nct_id] = self._alias(nct_id, self._record(*by_alias[nct_id]))
            elif result.failure is not None:
                outcomes[nct_id] = self._unverified(nct_id, result.failure, result.cause)
            else:
                absent.append(nct_id)
        # A batch can be wrong: confirm every absence with the single-study endpoint.
        confirmed = await asyncio.gather(*(self._verify_single(nct_id) for nct_id in absent))
        outcomes.update(zip(absent, confirmed, strict=True))
        return outcomes

    async def _fetch_batch(self, batch: list[str]) -> _BatchResult:
        result = _BatchResult()
        params = {"filter.ids": "|".join(batch), "fields": FIELDS, "pageSize": str(PAGE_SIZE)}
        for _page in range(MAX_PAGES):
            try:
                response = await self.http.get(
                    self.registry, f"{self.base_url}/studies", params=params, expect="JSON"
                )
                if response.status_code != 200:
                    raise MalformedResponse(f"HTTP {response.status_code}", FailureCause.FAILED)
                page = decode_json(response)
                studies, token = studies_page(page)
            except (Unreachable, MalformedResponse) as error:
                result.failure, result.cause = error.reason, error.cause
                return result
            result.studies.extend((study, str(response.url)) for study in studies)
            if token is None:
                return result
            params = {**params, "pageToken": token}
        result.failure = f"malformed response: more than {MAX_PAGES} pages"
        result.cause = FailureCause.UNUSABLE_ANSWER
        return result

    async def _verify_single(self, nct_id: str, *, hops: int = 1) -> Outcome:
        try:
            response = await self.http.get(
                self.registry,
                f"{self.base_url}/studies/{nct_id}",
                params={"fields": FIELDS},
                expect="JSON",
            )
        except Unreachable as error:
            return self._unverified(nct_id, error.reason, error.cause)
        status = response.status_code
        if status == 200:
            try:
                study = decode_json(response)
                if not isinstance(study, dict):
                    raise MalformedResponse("malformed response: not a study object")
                current, aliases = study_ids(study)
            except MalformedResponse as error:
                return self._unverified(nct_id, error.reason, error.cause)
            if current == nct_id:
                return self._found(nct_id, study, str(response.url))
            if response.history or nct_id in aliases:
                return self._alias(nct_id, self._record(study, str(response.url)))
            return self._unverified(nct_id, f"registry returned another study ({current})")
        if status == 404:
            said = _NOT_FOUND_TEXT.search(response.text)
            # Only the registry's own plain message about this very id counts as an answer.
            about_this_id = said is not None and said.group(1).upper() == nct_id
            plain = "html" not in response.headers.get("content-type", "").lower()
            if about_this_id and plain and body_problem(response.content, "") is None:
                return Outcome(
                    kind=OutcomeKind.NOT_FOUND,
                    registry=self.registry,
                    requested_id=nct_id,
                    reason=response.text.strip()[:200],
                    url=study_page_url(nct_id),
                )
            return self._unverified(nct_id, "HTTP 404 without the registry's not-found message")
        if status in _REDIRECTS and hops > 0:
            # Only reached when the HTTP client does not follow redirects itself.
            target = re.search(r"NCT\d{8}", response.headers.get("location", ""), re.I)
            if target is not None:
                outcome = await self._verify_single(target.group(0).upper(), hops=hops - 1)
                if outcome.record is not None:
                    return self._alias(nct_id, outcome.record)
                return self._unverified(
                    nct_id, f"redirected to {target.group(0)}: {outcome.reason}"
                )
        detail = response.text.strip()[:120] if status == 400 else ""
        return self._unverified(nct_id, f"HTTP {status}" + (f": {detail}" if detail else ""))

    # --- outcome builders ---

    def _record(self, study: dict[str, Any], url: str | None) -> RegistryRecord:
        return parse_study(study, retrieved_from=url, retrieved_at=self.clock())

    def _found(self, nct_id: str, study: dict[str, Any], url: str) -> Outcome:
        return Outcome(
            kind=OutcomeKind.FOUND,
            registry=self.registry,
            requested_id=nct_id,
            record=self._record(study, url),
            url=study_page_url(nct_id),
        )

    def _alias(self, nct_id: str, record: RegistryRecord) -> Outcome:
        return Outcome(
            kind=OutcomeKind.ALIAS,
            registry=self.registry,
            requested_id=nct_id,
            current_id=record.id,
            record=record,
            reason=f"{nct_id} is an alias of {record.id}",
            url=study_page_url(record.id),
        )


def studies_page(page: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Studies and next-page token of a ``PagedStudies`` object; MalformedResponse otherwise."""
    if not isinstance(page, dict) or not isinstance(page.get("studies"), list):
        raise MalformedResponse("malformed response: no studies list")
    studies = page["studies"]
    if not all(isinstance(study, dict) for study in studies):
        raise MalformedResponse("malformed response: a study is not an object")
    for study in studies:
        study_ids(study)  # every study must name itself, or absence would prove nothing
    token = page.get("nextPageToken")
    if token is not None and not (isinstance(token, str) and token):
        raise MalformedResponse("malformed response: bad nextPageToken")
    return studies, token
