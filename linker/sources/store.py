"""PubMed answers per PMID: ``--record`` writes them, ``--replay`` answers from them.

``DIR/pubmed/<PMID>.xml`` is an efetch ``PubmedArticleSet`` holding that PMID's record, as
PubMed sent it; a PMID that PubMed answered without a record is stored as an empty
``PubmedArticleSet`` (what efetch gives for it), so its replay is ``not_found`` again. A PMID
with no file is *unverified* ("not in replay store"), never not-found. Any subset of a recorded
list replays, in any batch sizes.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from lxml import etree

from linker.sources.interface import PaperOutcome, PaperOutcomeKind

FOLDER = "pubmed"
_EMPTY = b'<?xml version="1.0" ?>\n<PubmedArticleSet>\n</PubmedArticleSet>\n'
_PMID = re.compile(r"^\d{1,9}$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


class PubmedStore:
    def __init__(self, directory: Path) -> None:
        self.folder = directory / FOLDER

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
