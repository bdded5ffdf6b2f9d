"""More training titles for the title-only model, and what keeps them out of a test half.

The labelled non-trials of the abstracts file are few (about 1,300 per tuning half) beside the
trial titles. The Web of Science public-health set of the same file (PLOS ONE / BMC articles of
2018-2019, mostly cross-sectional, qualitative and cohort studies) carries no trial label; a
record of it is taken as a non-trial only when neither its title nor its abstract says anything
a trial report of those years says (randomisation, a trial, placebo, blinding, allocation, a
control or intervention group, a registration or a registry id). Its abstract gives the label
and nothing else: the model sees the title alone. These records never enter a test half (the
test halves hold only labelled records and IntoValue titles).

A training title must not be a test title in disguise: :func:`unseen` drops every candidate that
shares a PMID or a DOI with a held-out record, beside the title-equality check of
``accuracy_classify.title_training``.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

SILVER_SOURCE = "wos_public_health"
# Whatever a trial report's title or abstract would say; one hit and the record is not used.
TRIAL_WORDING = re.compile(
    r"random|trial|placebo|allocat|blind|cross-?over|intervention group|control group|assigned"
    r"|registered|registration|\bNCT\s?\d|ISRCTN|ACTRN|ChiCTR|DRKS|\b(?:19|20)\d\d-\d{6}-\d\d\b",
    re.IGNORECASE,
)

Ids = frozenset[str]


def _unified_rows(path: Path) -> Iterator[dict[str, object]]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _ids(pmid: object, doi: object) -> Ids:
    """``pmid:N`` and ``doi:D`` keys of a record (a DOI lower-cased, PMIDs without a ``.0``)."""
    keys = set()
    text = str(pmid or "").strip().removesuffix(".0")
    if text.isdigit():
        keys.add(f"pmid:{text}")
    d = str(doi or "").strip().lower().removeprefix("https://doi.org/")
    if d.startswith("10."):
        keys.add(f"doi:{d}")
    return frozenset(keys)


def silver_negatives(path: Path) -> list[tuple[str, str]]:
    """(uid, title) of the unlabelled public-health records whose title and abstract say
    nothing of a trial (see the module docstring)."""
    found = []
    for row in _unified_rows(path):
        if row.get("source") != SILVER_SOURCE or row.get("trial_label") is not None:
            continue
        title = str(row.get("title") or "").strip()
        if title and not TRIAL_WORDING.search(f"{title}\n{row.get('abstract') or ''}"):
            found.append((str(row["uid"]), title))
    return found


def publication_ids(unified: Path, intovalue: Path | None) -> dict[str, Ids]:
    """The PMID / DOI keys of every record of the abstracts file and of IntoValue's results
    publications (uids ``intovalue:<pmid>``, as ``load_intovalue_titles`` names them)."""
    ids = {str(row["uid"]): _ids(row.get("pmid"), row.get("doi")) for row in _unified_rows(unified)}
    if intovalue is not None and intovalue.exists():
        with intovalue.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                ids[f"intovalue:{row['pmid']}"] = _ids(row["pmid"], row["doi"])
    return ids


def unseen(candidates: list[str], held: list[str], ids: Mapping[str, Ids]) -> list[bool]:
    """For each candidate uid, whether it shares no PMID or DOI with any held-out uid."""
    taken: set[str] = set()
    for uid in held:
        taken.update(ids.get(uid, ()))
    return [taken.isdisjoint(ids.get(uid, ())) for uid in candidates]
