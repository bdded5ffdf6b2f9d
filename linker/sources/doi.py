"""DOI -> PMID through PubMed's own search: E-utilities ``esearch`` on the ``[doi]`` field.

Why esearch and not the PMC ID Converter: the converter knows only articles in PubMed Central
(maia-sh/pubmedparser, the IntoValue authors' tool, says so), so most trial reports would look
unknown to it; esearch searches all of PubMed.

One POST to ``esearch.fcgi`` (``db=pubmed``, ``retmode=json``, ``tool``, ``email``, ``api_key``)
asks for up to :data:`BATCH_SIZE` DOIs as ``"10.x/y"[doi] OR ...``. esearch answers PMIDs
without saying which DOI found which, so the PMIDs are fetched with efetch (needed anyway to
complete the records) and each DOI is given the PMID whose record carries it. A lone DOI's
answer maps directly. Coded defensively, because no live capture of these answers exists here:

- the JSON shape (``esearchresult`` with ``count`` and ``idlist``; ``ERROR`` or a top-level
  ``error`` on failure) is the documented E-utilities format, read from third-party clients
  and schemas [unverified against a live answer];
- NCBI documents no limit on the length of ``term``; :data:`BATCH_SIZE` is kept well below
  what a URL would hold, and POST is used [unverified];
- a DOI is ``not_found`` only when a well-formed answer holds no record carrying it and every
  PMID of the answer was fetched and matched to another DOI; a PMID whose record could not be
  fetched or matched, more hits than returned, or any bad answer leaves the batch's unmatched
  DOIs ``unverified``. A DOI PubMed does not know is never a finding: many journals are not in
  PubMed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence

from pydantic import BaseModel

from linker.registries.http import RegistryHttp, Unreachable
from linker.sources.interface import PaperOutcome, PaperOutcomeKind
from linker.sources.pubmed import NAME, NcbiContact

ESEARCH_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi"
BATCH_SIZE = 50
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)

FetchRecords = Callable[[Sequence[str]], Awaitable[Mapping[str, PaperOutcome]]]
AnswerHook = Callable[[dict[str, "DoiLink"]], None]
"""Called with the links of every well-formed answer (``--record``)."""


class DoiLink(BaseModel):
    """What PubMed says about one DOI: the PMID of its record, none, or nothing known."""

    kind: PaperOutcomeKind
    doi: str
    pmid: str | None = None
    reason: str | None = None
    from_cache: bool = False


def normalise_doi(text: str | None) -> str | None:
    """The DOI in lower case without a resolver prefix; None when it is not a DOI."""
    doi = _PREFIX.sub("", (text or "").strip()).strip().lower()
    return doi if _DOI.match(doi) and '"' not in doi else None


def search_term(dois: Sequence[str]) -> str:
    return " OR ".join(f'"{doi}"[doi]' for doi in dois)


def unverified(dois: Sequence[str], reason: str) -> dict[str, DoiLink]:
    return {d: DoiLink(kind=PaperOutcomeKind.UNVERIFIED, doi=d, reason=reason) for d in dois}


def not_found(doi: str) -> DoiLink:
    return DoiLink(
        kind=PaperOutcomeKind.NOT_FOUND,
        doi=doi,
        reason="PubMed has no record with this DOI (not every journal is in PubMed)",
    )


def parse_esearch(body: bytes) -> tuple[int, list[str]] | str:
    """``(count, PMIDs)`` of a well-formed esearch JSON answer, else why it is not one."""
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        head = body.lstrip()[:256].lower()
        if head.startswith((b"<!doctype html", b"<html")):
            return "PubMed answered with an HTML page, not an esearch answer"
        return "PubMed's search answer is not JSON"
    result = document.get("esearchresult") if isinstance(document, dict) else None
    if not isinstance(result, dict):
        error = document.get("error") if isinstance(document, dict) else None
        return f"PubMed's search failed: {error}" if error else "not an esearch answer"
    if "ERROR" in result:
        return f"PubMed's search failed: {result['ERROR']}"
    count, ids = result.get("count"), result.get("idlist")
    if not isinstance(count, str) or not count.isdigit() or not isinstance(ids, list):
        return "malformed esearch answer (no count or idlist)"
    if not all(isinstance(i, str) and i.isdigit() for i in ids) or len(ids) > int(count):
        return "malformed esearch answer (odd idlist)"
    return int(count), ids


def search_problem(body: bytes) -> str | None:
    """Why ``body`` is no usable esearch answer (then retried like a 5xx), or None."""
    parsed = parse_esearch(body)
    return parsed if isinstance(parsed, str) else None


def answer_for(link: DoiLink) -> bytes:
    """The esearch answer PubMed gives for ``link``'s DOI alone (what ``--record`` keeps)."""
    ids = [link.pmid] if link.pmid else []
    result = {
        "count": str(len(ids)),
        "retmax": str(len(ids)),
        "retstart": "0",
        "idlist": ids,
        "translationset": [],
        "querytranslation": search_term([link.doi]),
    }
    document = {"header": {"type": "esearch", "version": "0.3"}, "esearchresult": result}
    return (json.dumps(document, indent=1) + "\n").encode("utf-8")


def link_from_answer(doi: str, body: bytes) -> DoiLink:
    """The link a lone DOI's recorded esearch answer gives (``--replay``)."""
    parsed = parse_esearch(body)
    if isinstance(parsed, str):
        return unverified([doi], parsed)[doi]
    count, ids = parsed
    if count == 0:
        return not_found(doi)
    if count == 1 and len(ids) == 1:
        return DoiLink(kind=PaperOutcomeKind.FOUND, doi=doi, pmid=ids[0])
    return unverified([doi], f"PubMed's search found {count} records for this DOI")[doi]


def match_records(
    dois: Sequence[str], count: int, ids: Sequence[str], records: Mapping[str, PaperOutcome]
) -> dict[str, DoiLink]:
    """Each DOI of a batch given the PMID whose fetched record carries it."""
    by_doi: dict[str, str] = {}
    for pmid in ids:
        record = records.get(pmid)
        doi = normalise_doi(record.record.doi) if record and record.record else None
        if doi is not None:
            by_doi.setdefault(doi, pmid)
    matched = set(by_doi.values())
    complete = count == len(ids) and all(pmid in matched for pmid in ids)
    links: dict[str, DoiLink] = {}
    for doi in dois:
        if doi in by_doi:
            links[doi] = DoiLink(kind=PaperOutcomeKind.FOUND, doi=doi, pmid=by_doi[doi])
        elif complete:
            links[doi] = not_found(doi)
        else:
            why = "PubMed's search answer could not be matched to this DOI"
            links[doi] = unverified([doi], why)[doi]
    return links


class DoiResolver:
    """Resolves DOIs to PMIDs, :data:`BATCH_SIZE` to an esearch POST."""

    name = NAME

    def __init__(
        self,
        http: RegistryHttp,
        fetch_records: FetchRecords,
        *,
        base_url: str = ESEARCH_URL,
        email: str | None = None,
        api_key: str | None = None,
        on_answer: AnswerHook | None = None,
    ) -> None:
        self.http = http
        self.fetch_records = fetch_records
        self.base_url = base_url
        self.on_answer = on_answer
        self.contact = NcbiContact.of(email, api_key)

    def form(self, dois: Sequence[str]) -> dict[str, str]:
        return {
            "db": "pubmed",
            "term": search_term(dois),
            "retmode": "json",
            "retmax": str(len(dois) * 3),  # a DOI may find a record and its erratum
            **self.contact.params(),
        }

    async def resolve_many(self, dois: Sequence[str]) -> dict[str, DoiLink]:
        wanted = list(dict.fromkeys(dois))
        links: dict[str, DoiLink] = {}
        for start in range(0, len(wanted), BATCH_SIZE):
            links.update(await self._resolve_batch(wanted[start : start + BATCH_SIZE]))
        return links

    async def _resolve_batch(self, dois: Sequence[str]) -> dict[str, DoiLink]:
        try:
            response = await self.http.request(
                NAME, "POST", self.base_url, data=self.form(dois), expect=search_problem
            )
        except Unreachable as error:
            return unverified(dois, error.reason)
        if response.status_code != 200:
            return unverified(dois, f"HTTP {response.status_code}")
        parsed = parse_esearch(response.content)
        if isinstance(parsed, str):
            return unverified(dois, parsed)
        count, ids = parsed
        if len(dois) == 1 and count <= 1:
            links = {dois[0]: link_from_answer(dois[0], response.content)}
        else:
            links = match_records(dois, count, ids, await self.fetch_records(ids))
        if self.on_answer is not None:
            self.on_answer(links)
        return links
