"""EU Clinical Trials Register, EUCTR (EudraCT numbers ``YYYY-0NNNNN-CC``).

EUCTR has no API. Requests, per batch of up to 20 EudraCT numbers (a result page shows 20):

1. one HTML search ``/ctr-search/search?query=A OR B ...``; the hit count is read from the tab
   "Trials with a EudraCT protocol (N)" and each hit from the summary listing;
2. when any number was found, one plain-text "full details" download of the found numbers
   (registration date, public title, acronym and cross-registrations are only there);
3. a number a multi-number page did not show is searched again on its own, and only a
   well-formed "(0)" for that single number counts as an answer that EUCTR does not list it.
   CTIS is then asked by EudraCT number: a transitioned trial lives on there.

"(0)" is not proof of a typo: EUCTR does not publish phase 1 trials in adults. Such a number is
``not_public`` (with the reason); whether that can still be an error depends on the paper
(phase 2-4 and paediatric trials are all public), which the rules decide. A EudraCT number stays
the valid identifier of a trial that transitioned to CTIS: the outcome is ``found``, with the
EU CT number in the record's ``transitioned_to`` and in the reason, never an alias.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from urllib.parse import urlencode

from linker.models import Registry
from linker.registries._parsing import looks_like_html
from linker.registries.causes import FailureCause
from linker.registries.ctis import CtisClient
from linker.registries.euctr_pages import (
    EUDRACT_NUMBER,
    MemberStateRecord,
    SearchPage,
    UnrecognisedPage,
    build_record,
    fulltext_problem,
    parse_fulltext,
    parse_search_page,
    search_page_problem,
)
from linker.registries.http import RegistryHttp, Unreachable
from linker.registries.interface import Outcome, OutcomeKind, RegistryClient, RegistryRecord

SEARCH_PATH = "/ctr-search/search"
FULLTEXT_PATH = "/ctr-search/rest/download/full"
PAGE_SIZE = 20
NO_PUBLIC_RECORD = (
    "EUCTR lists no trial with this number: a typo, or a trial it does not publish "
    "(phase 1 trials in adults are not public there)"
)
# EUCTR marks a trial that moved to CTIS with a country status "Trial now transitioned"
# (the label's exact wording is unverified: any status mentioning a transition counts).
_TRANSITIONED_STATUS = "transition"


class EuctrClient(RegistryClient):
    registry = Registry.EUCTR
    DEFAULT_BASE_URL = "https://www.clinicaltrialsregister.eu"

    def __init__(
        self,
        http: RegistryHttp,
        base_url: str = DEFAULT_BASE_URL,
        ctis: CtisClient | None = None,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.ctis = ctis

    def search_url(self, query: str) -> str:
        return f"{self.base_url}{SEARCH_PATH}?{urlencode({'query': query})}"

    async def verify_many(self, ids: Sequence[str]) -> dict[str, Outcome]:
        unique = list(dict.fromkeys(ids))
        numbers: dict[str, str] = {}
        outcomes: dict[str, Outcome] = {}
        for requested in unique:
            match = EUDRACT_NUMBER.fullmatch(requested.strip())
            if match is None:
                outcomes[requested] = self._outcome(
                    OutcomeKind.UNVERIFIED,
                    requested,
                    reason="not a well-formed EudraCT number (YYYY-0NNNNN-CC); not looked up",
                )
            else:
                numbers[requested] = match.group(1)
        distinct = sorted(set(numbers.values()))
        batches = [distinct[i : i + PAGE_SIZE] for i in range(0, len(distinct), PAGE_SIZE)]
        answered: dict[str, Outcome] = {}
        for answer in await asyncio.gather(*(self._verify_batch(b) for b in batches)):
            answered.update(answer)
        for requested, number in numbers.items():
            outcomes[requested] = answered[number].model_copy(update={"requested_id": requested})
        return {requested: outcomes[requested] for requested in unique}

    async def _verify_batch(self, numbers: list[str]) -> dict[str, Outcome]:
        try:
            page = await self._search(numbers)
        except Unreachable as error:
            return {
                n: self._outcome(OutcomeKind.UNVERIFIED, n, reason=error.reason, cause=error.cause)
                for n in numbers
            }
        found = [n for n in numbers if page.hit(n) is not None]
        outcomes = await self._found(found, page) if found else {}
        missing = [n for n in numbers if n not in outcomes]
        if len(numbers) == 1 and missing:
            outcomes[missing[0]] = await self._missing(missing[0], page)
        else:  # a page of several numbers proves nothing about one it does not show
            for answer in await asyncio.gather(*(self._verify_batch([n]) for n in missing)):
                outcomes.update(answer)
        return outcomes

    async def _search(self, numbers: Sequence[str]) -> SearchPage:
        response = await self.http.get(
            Registry.EUCTR,
            f"{self.base_url}{SEARCH_PATH}",
            params={"query": " OR ".join(numbers)},
            expect=search_page_problem,
        )
        if response.status_code != 200:
            raise Unreachable(f"HTTP {response.status_code}")
        try:
            return parse_search_page(response.text)
        except UnrecognisedPage as error:
            raise Unreachable(str(error)) from None

    async def _found(self, numbers: list[str], page: SearchPage) -> dict[str, Outcome]:
        details, problem = await self._details(numbers)
        outcomes = {}
        for number in numbers:
            states = details.get(number, [])
            record = build_record(
                number,
                page.hit(number),
                states,
                url=self.search_url(number),
                retrieved_from=self.search_url(number),
            )
            reason = problem or (None if states else "EUCTR full details lacked this trial")
            if _marked_transitioned(record):
                record, note = await self._with_ctis(record)
                reason = "; ".join(r for r in (note, reason) if r)
            outcomes[number] = self._outcome(
                OutcomeKind.FOUND, number, record=record, reason=reason
            )
        return outcomes

    async def _with_ctis(self, record: RegistryRecord) -> tuple[RegistryRecord, str | None]:
        """A EUCTR record marked transitioned, with its CTIS number and CTIS's results: the
        trial's results may be posted in either register."""
        if self.ctis is None:
            return record, "EUCTR marks the trial as transitioned to CTIS (CTIS not asked)"
        try:
            moved = await self.ctis.find_transitioned(record.id)
        except Unreachable as error:
            return (
                record,
                f"EUCTR marks the trial as transitioned; CTIS unavailable ({error.reason})",
            )
        if moved is None:
            return record, "EUCTR marks the trial as transitioned; CTIS lists no such trial"
        results = True if True in (record.has_results, moved.has_results) else record.has_results
        linked = record.model_copy(update={"transitioned_to": moved.id, "has_results": results})
        return linked, f"transitioned to CTIS as {moved.id}"

    async def _details(
        self, numbers: list[str]
    ) -> tuple[dict[str, list[MemberStateRecord]], str | None]:
        """Full-text records of the found numbers, one request for the whole batch. A failure
        here costs detail, not the verdict: the search already showed the trials exist."""
        try:
            response = await self.http.get(
                Registry.EUCTR,
                f"{self.base_url}{FULLTEXT_PATH}",
                params={"query": " OR ".join(numbers), "mode": "current_page"},
                expect=fulltext_problem,
            )
            if response.status_code != 200:
                raise Unreachable(f"HTTP {response.status_code}")
            if not response.text.strip() or looks_like_html(response.text):
                raise Unreachable("unrecognised response")
        except Unreachable as error:
            return {}, f"EUCTR full details unavailable ({error.reason}); search listing used"
        grouped: dict[str, list[MemberStateRecord]] = {}
        for state in parse_fulltext(response.text):
            if state.eudract is not None:
                grouped.setdefault(state.eudract, []).append(state)
        return grouped, None

    async def _missing(self, number: str, page: SearchPage) -> Outcome:
        """A single-number search that did not list the number: ask CTIS whether the trial
        transitioned, then answer not_found only for a well-formed "(0)"."""
        if page.count == 0:
            absent_reason = NO_PUBLIC_RECORD
        else:
            absent_reason = (
                f"EUCTR search for this number listed {page.count} other trial(s) but not it"
            )
        if self.ctis is None:
            kind = OutcomeKind.NOT_PUBLIC if page.count == 0 else OutcomeKind.UNVERIFIED
            return self._outcome(kind, number, reason=f"{absent_reason} (CTIS not asked)")
        try:
            moved = await self.ctis.find_transitioned(number)
        except Unreachable as error:
            return self._outcome(
                OutcomeKind.UNVERIFIED,
                number,
                reason=f"{absent_reason}; CTIS could not be asked ({error.reason})",
                cause=error.cause,
            )
        if moved is not None:  # the number stays valid: found, with the CTIS record
            return Outcome(
                kind=OutcomeKind.FOUND,
                registry=Registry.EUCTR,
                requested_id=number,
                record=moved,
                reason=f"transitioned to CTIS as {moved.id}; EUCTR has no public record",
                url=moved.url,
            )
        kind = OutcomeKind.NOT_PUBLIC if page.count == 0 else OutcomeKind.UNVERIFIED
        return self._outcome(
            kind, number, reason=f"{absent_reason}; CTIS has no transitioned trial"
        )

    def _outcome(
        self,
        kind: OutcomeKind,
        number: str,
        *,
        record: RegistryRecord | None = None,
        reason: str | None = None,
        cause: FailureCause | None = None,
    ) -> Outcome:
        return Outcome(
            kind=kind,
            registry=Registry.EUCTR,
            requested_id=number,
            record=record,
            reason=reason,
            cause=cause,
            url=self.search_url(number),
        )


def _marked_transitioned(record: RegistryRecord) -> bool:
    return _TRANSITIONED_STATUS in (record.overall_status or "").lower()
