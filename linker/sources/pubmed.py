"""PubMed through NCBI E-utilities ``efetch``: abstracts, DataBankList accessions, types.

``efetch.fcgi`` with ``db=pubmed&retmode=xml``, POSTed with up to 200 PMIDs a request (NCBI asks
for POST beyond a couple of hundred ids), ``tool`` and ``email`` as NCBI asks, and ``api_key``
from ``NCBI_API_KEY`` when set. NCBI allows 3 requests a second, 10 with a key: the pacing is
the shared HTTP layer's, under the key ``pubmed``.

What counts as an answer (coded defensively; no live capture of an error answer exists here):
a well-formed ``PubmedArticleSet`` is PubMed's word, and a requested PMID absent from it is
``not_found``. An HTML page, an ``eFetchResult``/``ERROR`` document, a truncated or unparsable
body is retried like a 5xx; when it stays so, or on any HTTP failure, every PMID of the batch
is ``unverified``, never not-found.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from linker.errors import InputError
from linker.models import Publication
from linker.readers.interface import ReadOptions
from linker.readers.pubmed_xml import PubmedXmlReader
from linker.registries.answers import answer_problem
from linker.registries.http import RegistryHttp, Unreachable
from linker.sources.interface import PaperOutcome, PaperOutcomeKind, PaperRecord, PaperSource

NAME = "pubmed"
EFETCH_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/efetch.fcgi"
BATCH_SIZE = 200
TOOL = "trial-linker"
DEFAULT_EMAIL = "trial-linker@users.noreply.github.com"
API_KEY_VARIABLE = "NCBI_API_KEY"
EMAIL_VARIABLE = "NCBI_EMAIL"
REQUESTS_PER_SECOND = 3.0
REQUESTS_PER_SECOND_WITH_KEY = 10.0


AnswerHook = Callable[[bytes, dict[str, PaperOutcome]], None]
"""Called with every well-formed answer body and its outcomes (``--record``)."""


@dataclass(frozen=True)
class NcbiContact:
    """Who is asking, as NCBI wants every E-utilities request to say (``tool``, ``email``), and
    the ``api_key`` that raises the rate limit."""

    email: str
    api_key: str | None

    @classmethod
    def of(cls, email: str | None = None, api_key: str | None = None) -> NcbiContact:
        return cls(
            email=email or os.environ.get(EMAIL_VARIABLE) or DEFAULT_EMAIL,
            api_key=api_key if api_key is not None else os.environ.get(API_KEY_VARIABLE),
        )

    def params(self) -> dict[str, str]:
        params = {"tool": TOOL, "email": self.email}
        if self.api_key:
            params["api_key"] = self.api_key
        return params


def record_url(pmid: str) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


def min_interval(environ: Mapping[str, str] | None = None) -> float:
    """Seconds between request starts that NCBI's limit allows."""
    environ = os.environ if environ is None else environ
    rate = REQUESTS_PER_SECOND_WITH_KEY if environ.get(API_KEY_VARIABLE) else REQUESTS_PER_SECOND
    return 1.0 / rate


def _not_a_set(body: bytes) -> str | None:
    head = body.lstrip()[:512].lower()
    if not head.startswith(b"<?xml") and not head.startswith(b"<pubmedarticleset"):
        return _describe_body(head)
    if b"<pubmedarticleset" not in body[:4096].lower():
        return _describe_body(head)
    return None


def efetch_problem(body: bytes) -> str | None:
    """Why ``body`` is no usable efetch answer (then retried like a 5xx), or None."""
    problem = _not_a_set(body)
    if problem is None and answer_problem(body, "XML") is not None:
        problem = "malformed PubMed answer (unparsable XML)"
    return problem


def parse_efetch(body: bytes, requested: Sequence[str]) -> dict[str, PaperOutcome]:
    """The outcome of every requested PMID from one efetch answer body."""
    problem = _not_a_set(body)
    if problem is not None:
        return _all_unverified(requested, problem)
    try:
        publications = list(
            PubmedXmlReader().read_stream(io.BytesIO(body), ReadOptions(file_name="efetch"))
        )
    except InputError as error:
        return _all_unverified(requested, f"malformed PubMed answer ({error.message})")
    found = {p.pmid: _record(p) for p in publications if p.pmid}
    outcomes: dict[str, PaperOutcome] = {}
    for pmid in requested:
        record = found.get(pmid)
        if record is None:
            outcomes[pmid] = PaperOutcome(
                kind=PaperOutcomeKind.NOT_FOUND,
                source=NAME,
                requested_id=pmid,
                reason="PubMed has no record with this PMID",
            )
        else:
            outcomes[pmid] = PaperOutcome(
                kind=PaperOutcomeKind.FOUND, source=NAME, requested_id=pmid, record=record
            )
    return outcomes


def _describe_body(head: bytes) -> str:
    if b"<html" in head or b"<!doctype html" in head:
        return "PubMed answered with an HTML page, not PubMed XML"
    if b"efetchresult" in head or b"<error" in head:
        return "PubMed answered with an error document"
    return "PubMed's answer is not PubMed XML"


def _all_unverified(pmids: Sequence[str], reason: str) -> dict[str, PaperOutcome]:
    return {
        pmid: PaperOutcome(
            kind=PaperOutcomeKind.UNVERIFIED, source=NAME, requested_id=pmid, reason=reason
        )
        for pmid in pmids
    }


def _record(publication: Publication) -> PaperRecord:
    pmid = publication.pmid or ""
    return PaperRecord(
        pmid=pmid,
        url=record_url(pmid),
        title=publication.title,
        abstract=publication.abstract,
        publication_types=publication.publication_types,
        # Positions inside an efetch answer mean nothing to a user: the record is the place.
        databank_ids=[
            d.model_copy(update={"line": 0, "column": 0}) for d in publication.declared_ids
        ],
        year=publication.year,
        doi=publication.doi,
    )


class PubmedClient(PaperSource):
    """Fetches PubMed records by PMID, ``BATCH_SIZE`` to a POST."""

    name = NAME

    def __init__(
        self,
        http: RegistryHttp,
        *,
        base_url: str = EFETCH_URL,
        email: str | None = None,
        api_key: str | None = None,
        on_answer: AnswerHook | None = None,
    ) -> None:
        self.http = http
        self.on_answer = on_answer
        self.base_url = base_url
        self.contact = NcbiContact.of(email, api_key)

    def form(self, pmids: Sequence[str]) -> dict[str, str]:
        return {"db": "pubmed", "retmode": "xml", "id": ",".join(pmids), **self.contact.params()}

    async def fetch_many(self, pmids: Sequence[str]) -> dict[str, PaperOutcome]:
        wanted = list(dict.fromkeys(p.strip() for p in pmids if p.strip()))
        outcomes: dict[str, PaperOutcome] = {}
        for start in range(0, len(wanted), BATCH_SIZE):
            outcomes.update(await self._fetch_batch(wanted[start : start + BATCH_SIZE]))
        return outcomes

    async def _fetch_batch(self, pmids: Sequence[str]) -> dict[str, PaperOutcome]:
        try:
            response = await self.http.request(
                NAME, "POST", self.base_url, data=self.form(pmids), expect=efetch_problem
            )
        except Unreachable as error:
            return _all_unverified(pmids, error.reason)
        if response.status_code != 200:
            return _all_unverified(pmids, f"HTTP {response.status_code}")
        outcomes = parse_efetch(response.content, pmids)
        if self.on_answer is not None:
            self.on_answer(response.content, outcomes)
        return outcomes
