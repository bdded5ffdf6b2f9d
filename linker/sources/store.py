"""PubMed answers per PMID and per DOI: ``--record`` writes them, ``--replay`` answers from them.

``DIR/pubmed/<PMID>.xml`` is an efetch ``PubmedArticleSet`` holding that PMID's record, as
PubMed sent it; a PMID that PubMed answered without a record is stored as an empty
``PubmedArticleSet`` (what efetch gives for it), so its replay is ``not_found`` again. A PMID
with no file is *unverified* ("not in replay store"), never not-found. Any subset of a recorded
list replays, in any batch sizes.

``DIR/pubmed-doi/<DOI, percent-encoded>.json`` is the esearch answer for that DOI alone
(``"<DOI>"[doi]``): derived from the batched answer it came in (esearch does not say which DOI
found which PMID), so it holds what PubMed would answer for the DOI by itself. A DOI with no
file is unverified, never not-found.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

from lxml import etree

from linker.sources.doi import DoiLink, answer_for
from linker.sources.interface import PaperOutcome, PaperOutcomeKind

FOLDER = "pubmed"
DOI_FOLDER = "pubmed-doi"
_LONGEST_NAME = 200  # file systems allow 255 bytes; longer DOIs are stored by digest
_EMPTY = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
_PMID = re.compile(r"^\d{1,9}$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class PubmedStore:
    def __init__(self, directory: Path) -> None:
        self.folder = directory / FOLDER
        self.doi_folder = directory / DOI_FOLDER

    def path(self, pmid: str) -> Path | None:
        return self.folder / f"{pmid}.xml" if _PMID.match(pmid) else None

    def answer(self, pmid: str) -> bytes | None:
        """The recorded efetch answer for ``pmid``, or None."""
        path = self.path(pmid)
        if path is None or not path.is_file():
            return None
        return path.read_bytes()

    def save(self, body: bytes, outcomes: dict[str, PaperOutcome]) -> None:
        """Split one efetch answer into one file per PMID PubMed answered for."""
        try:
            root = etree.fromstring(body, _PARSER)
        except etree.XMLSyntaxError:
            return
        articles = {
            (article.findtext(".//PMID") or "").strip(): article
            for article in root
            if isinstance(article.tag, str)
        }
        self.folder.mkdir(parents=True, exist_ok=True)
        for pmid, outcome in outcomes.items():
            path = self.path(pmid)
            if path is None or outcome.kind is PaperOutcomeKind.UNVERIFIED:
                continue
            article = articles.get(pmid)
            data = _EMPTY
            if article is not None:
                data = (
                    b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n'
                    + etree.tostring(article, encoding="utf-8").strip()
                    + b"\n</PubmedArticleSet>\n"
                )
            _write(path, data)

    def doi_path(self, doi: str) -> Path:
        name = quote(doi, safe="")
        if len(name) > _LONGEST_NAME:
            name = "sha256-" + hashlib.sha256(doi.encode("utf-8")).hexdigest()
        return self.doi_folder / f"{name}.json"

    def doi_answer(self, doi: str) -> bytes | None:
        """The recorded esearch answer for ``doi`` alone, or None."""
        path = self.doi_path(doi)
        return path.read_bytes() if path.is_file() else None

    def save_links(self, links: Mapping[str, DoiLink]) -> None:
        """One esearch answer file per DOI PubMed answered for (never an unverified one)."""
        kept = [link for link in links.values() if link.kind is not PaperOutcomeKind.UNVERIFIED]
        if kept:
            self.doi_folder.mkdir(parents=True, exist_ok=True)
        for link in kept:
            _write(self.doi_path(link.doi), answer_for(link))


def _write(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    Path(temporary).replace(path)


def missing(pmids: Sequence[str]) -> dict[str, PaperOutcome]:
    return {
        pmid: PaperOutcome(
            kind=PaperOutcomeKind.UNVERIFIED,
            source=FOLDER,
            requested_id=pmid,
            reason="not in replay store",
        )
        for pmid in pmids
    }
