"""The HTML report's data: every publication, identifier and finding as one compact JSON document.

The page embeds this document once and renders the table and the finding cards from it on
demand, so a 50,000-publication report stays a few megabytes and opens fast. Keys are short
because they repeat once per row; :data:`FORMAT` names them for the script and for readers.

Fields the result model does not have yet (a publication's own PMID and DOI, a record's
results-posted date, the provenance of a finding's data) are read with :func:`_optional`, so
the page shows them as soon as the result carries them and renders as before while it does not.
"""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from linker.models import Classification, Registry, Role
from linker.registries.interface import OutcomeKind, PartialDate
from linker.report.escape import FORMULA_STARTS
from linker.report.settings_view import accepted_because
from linker.report.summary import NOT_CHECKED, identifier_of, outcome_label, registry_url
from linker.results import (
    AcceptedBy,
    Finding,
    IdentifierResult,
    MatchScore,
    PublicationResult,
    RecordSummary,
    RunResult,
)
from linker.rules.catalog import BY_CODE

JsonObject = dict[str, Any]

#: What each short key of the embedded document holds (documentation; the script relies on it).
FORMAT = {
    "publication": "k key, t title, f file index, l line, y year, c classification code, "
    "pm PMID and doi DOI (when not the key), ev evidence, tn trial names, i identifiers, "
    "x findings",
    "identifier": "r registry, id, raw, l line, col column, rf read from (not the input), "
    "ro role (absent: own), o outcome "
    "(absent: found), rs reason, cur current id, u url, src source of the answer, rec record, "
    "m [score, verdict]",
    "record": "r registry, id, u url (each absent when the identifier's), t title, ac acronym, "
    "sp sponsor, st status, reg registered, start, done completed, res results posted, "
    "xr cross-registrations",
    "finding": "c code, s severity, m message, l line, col column, id identifier, pt paper title, "
    "rt registry title (absent: the identifier's record's), sg suggestions, "
    "why suppression reason",
}

OUTCOME_LABELS: dict[str, str] = {
    OutcomeKind.FOUND.value: "found",
    OutcomeKind.ALIAS.value: "alias",
    OutcomeKind.NOT_FOUND.value: "not found",
    OutcomeKind.NOT_PUBLIC.value: "not public",
    OutcomeKind.UNSUPPORTED.value: "unsupported",
    OutcomeKind.UNVERIFIED.value: "unverified",
    NOT_CHECKED: "not checked",
}

OUTCOME_MEANINGS: dict[str, str] = {
    OutcomeKind.FOUND.value: "the registry has this record",
    OutcomeKind.ALIAS.value: "the registry knows the identifier as an alias of another record",
    OutcomeKind.NOT_FOUND.value: "the registry answered, well-formed, that it does not exist",
    OutcomeKind.NOT_PUBLIC.value: "the registry does not make such records public "
    "(e.g. adult phase 1 trials in EUCTR): absence is no proof of a typo",
    OutcomeKind.UNSUPPORTED.value: "the registry has no public interface to check against",
    OutcomeKind.UNVERIFIED.value: "the registry could not be asked or gave no usable answer; "
    "nothing is concluded",
    NOT_CHECKED: "malformed, or checks were skipped: never sent to a registry",
}

CLASSIFICATION_LABELS: dict[str, str] = {
    Classification.TRIAL_RESULTS.value: "trial results",
    Classification.TRIAL_PROTOCOL.value: "trial protocol",
    Classification.SECONDARY_ANALYSIS.value: "secondary analysis",
    Classification.NOT_TRIAL.value: "not a trial",
}

CLASSIFICATION_MEANINGS: dict[str, str] = {
    Classification.TRIAL_RESULTS.value: "reports a trial's results: owes its own registration",
    Classification.TRIAL_PROTOCOL.value: "a trial's protocol: owes its own registration",
    Classification.SECONDARY_ANALYSIS.value: "analyses another trial's data: should cite that "
    "trial's registration",
    Classification.NOT_TRIAL.value: "not a trial report: no registration duty",
}

#: Classifications by a one-letter code in the embedded data (they repeat once per row).
KIND_CODES: dict[Classification, str] = {
    Classification.TRIAL_RESULTS: "r",
    Classification.TRIAL_PROTOCOL: "p",
    Classification.SECONDARY_ANALYSIS: "s",
    Classification.NOT_TRIAL: "n",
}

_PMID = re.compile(r"\d{1,9}")
_DOI = re.compile(r"10\.\d{4,9}/\S+")


def registry_name(registry: Registry) -> str:
    """``EU Clinical Trials Register``: the label without the article messages put before it."""
    return registry.label.removeprefix("the ")


def _optional(model: BaseModel, name: str) -> Any:
    """A field that a newer result model may have (``None`` while it does not)."""
    return getattr(model, name) if name in type(model).model_fields else None


def _plain(value: Any) -> Any:
    """JSON-ready form of a model, enum, date or list of them."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _date(value: PartialDate | None) -> str | None:
    return value.value if value is not None else None


def _compact(data: JsonObject) -> JsonObject:
    """Without empty values, so that absent fields cost nothing per row."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def publication_ids(publication: PublicationResult) -> tuple[str | None, str | None]:
    """(PMID, DOI): from the result where it carries them, else read from the key, which is
    the PMID, else the DOI, else derived from the file."""
    pmid = _optional(publication, "pmid")
    doi = _optional(publication, "doi")
    key = publication.key.strip()
    if pmid is None and _PMID.fullmatch(key):
        pmid = key
    if doi is None and _DOI.fullmatch(key):
        doi = key
    return pmid, doi


def _record(record: RecordSummary, identifier: IdentifierResult, url: str | None) -> JsonObject:
    """The record; registry, id and url only where they differ from the identifier's."""
    own_url = record.url if record.url.startswith(("https://", "http://")) else None
    return _compact(
        {
            "r": record.registry.value if record.registry is not identifier.registry else None,
            "id": record.id if record.id != identifier.id else None,
            "u": own_url if own_url != url else None,
            "t": record.title,
            "ac": record.acronym,
            "sp": record.sponsor,
            "st": record.overall_status,
            "reg": _date(record.registration_date),
            "start": _date(record.start_date),
            "done": _date(record.completion_date),
            "res": _date(_optional(record, "results_first_posted")),
            "xr": record.cross_registrations,
        }
    )


def _source(identifier: IdentifierResult) -> str | None:
    """Where the answer came from, when not as the run settings say (a snapshot)."""
    if identifier.snapshot_date is not None:
        return f"registry snapshot of {identifier.snapshot_date.isoformat()}"
    return None


def _read_from(identifier: IdentifierResult) -> str | None:
    """Where the identifier was read when not in the input (PubMed's DataBankList)."""
    source = identifier.source
    return f"{source.name} {source.field}, {source.url}" if source is not None else None


def _identifier(identifier: IdentifierResult) -> JsonObject:
    match = identifier.match
    url = registry_url(identifier)
    record = identifier.record
    outcome = outcome_label(identifier)
    return _compact(
        {
            "r": identifier.registry.value,
            "id": identifier.id,
            "raw": identifier.raw if identifier.raw != identifier.id else None,
            "l": identifier.line,
            "col": identifier.column,
            "ro": identifier.role.value if identifier.role is not Role.OWN else None,
            "o": outcome if outcome != OutcomeKind.FOUND.value else None,
            "rs": identifier.reason,
            "cur": identifier.current_id,
            "u": url,
            "src": _source(identifier),
            "rf": _read_from(identifier),
            "rec": _record(record, identifier, url) if record else None,
            "m": _match(match),
        }
    )


def _match(match: MatchScore | None) -> list[Any] | None:
    """[score, verdict], and for a mismatch whether the evidence is conclusive."""
    if match is None:
        return None
    shown: list[Any] = [round(match.score, 2), match.verdict.value]
    if match.conclusive is not None:
        shown.append(match.conclusive)
    return shown


def _finding(publication: PublicationResult | None, finding: Finding) -> JsonObject:
    record_title = finding.record_title
    if record_title is not None and publication is not None:
        identifier = identifier_of(publication, finding)
        record = identifier.record if identifier is not None else None
        if record is not None and record.title == record_title:
            record_title = None  # the script takes it from the identifier's record
    paper_title = finding.paper_title
    if publication is not None and paper_title == publication.title:
        paper_title = None  # the publication's own title: the script takes it from there
    return _compact(
        {
            "c": finding.code,
            "n": finding.name if finding.code not in BY_CODE else None,
            "s": finding.severity.value,
            "m": finding.message,
            "l": finding.line,
            "col": finding.column,
            "id": finding.identifier,
            "pt": paper_title,
            "rt": record_title,
            "sg": _plain(finding.suggestions),
            "prov": _plain(_optional(finding, "provenance")),
        }
    )


def publication_row(publication: PublicationResult, file_index: int) -> JsonObject:
    pmid, doi = publication_ids(publication)
    duty = publication.classification is not Classification.NOT_TRIAL
    return _compact(
        {
            "k": publication.key,
            "t": publication.title,
            "f": file_index,
            "l": publication.line,
            "y": publication.year,
            "c": KIND_CODES[publication.classification],
            "pm": pmid if pmid != publication.key else None,
            "doi": doi if doi != publication.key else None,
            # Why a paper owes a registration; most papers owe none, and their evidence
            # would be most of a large report.
            "ev": publication.evidence[:4] if duty else None,
            "tn": publication.trial_names,
            "i": [_identifier(i) for i in publication.identifiers],
            "x": [_finding(publication, f) for f in publication.findings],
        }
    )


def _suppressed(result: RunResult) -> list[JsonObject]:
    """Findings a suppression or the baseline accepted, with why."""
    return [row for publication in result.publications for row in suppressed_rows(publication)]


def suppressed_rows(publication: PublicationResult) -> list[JsonObject]:
    """The accepted findings of one publication, with why."""
    rows: list[JsonObject] = []
    for finding in publication.suppressed:
        row = _finding(publication, finding)
        row.update(
            _compact(
                {
                    "kind": "baselined"
                    if finding.suppressed_by is AcceptedBy.BASELINE
                    else "suppressed",
                    "why": accepted_because(finding),
                    "p": publication.key,
                }
            )
        )
        rows.append(row)
    return rows


def rules_table(codes: Iterable[str]) -> JsonObject:
    table: JsonObject = {}
    for code in sorted(set(codes)):
        rule = BY_CODE.get(code)
        if rule is not None:
            table[code] = {"n": rule.name, "u": rule.doc_url, "d": rule.summary}
    return table


def report_data(result: RunResult) -> JsonObject:
    """The document the page's script renders (``result`` already sorted)."""
    files = sorted({p.file for p in result.publications})
    file_index = {name: index for index, name in enumerate(files)}
    publications = [publication_row(p, file_index[p.file]) for p in result.publications]
    suppressed = _suppressed(result)
    codes = [f.code for f in result.findings] + [str(row["c"]) for row in suppressed]
    return document(files, codes, publications, suppressed)


def document(
    files: list[str], codes: Iterable[str], publications: Any, suppressed: Any
) -> JsonObject:
    """The page's data from its parts (the publication and suppressed rows, or stand-ins)."""
    return {
        "files": files,
        "rules": rules_table(codes),
        "outcomes": OUTCOME_LABELS,
        "registries": {r.value: registry_name(r) for r in Registry},
        "kinds": CLASSIFICATION_LABELS,
        "kind_codes": {code: kind.value for kind, code in KIND_CODES.items()},
        "csv_formula_starts": list(FORMULA_STARTS),
        "publications": publications,
        "suppressed": suppressed,
    }


#: Above this size (characters of JSON) the data is embedded gzip-compressed and base64-encoded,
#: which makes a 50,000-publication report about a third of its plain size; the browser
#: decompresses it with its own ``DecompressionStream``. Below it the data stays readable JSON.
COMPRESS_ABOVE = 2_000_000


@dataclass(frozen=True)
class Embedded:
    text: str
    encoding: str  # "json", or "gzip+base64"


def embedded(data: JsonObject, compress_above: int = COMPRESS_ABOVE) -> Embedded:
    """The data as it goes into the page."""
    text = embed(data)
    if len(text) <= compress_above:
        return Embedded(text, "json")
    packed = gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0)
    return Embedded(base64.b64encode(packed).decode("ascii"), "gzip+base64")


def embed(data: JsonObject) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``<``, ``>`` or ``&`` (so no
    ``</script>`` or ``<!--``), and no line separators that older parsers reject."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
