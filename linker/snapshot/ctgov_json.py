"""Import the ClinicalTrials.gov full download (``/api/v2/studies/download?format=json.zip``).

The zip holds one v2 ``Study`` JSON per study (about 600,000). Entries are read one at a time,
so memory stays flat; each study is normalised by the live client's own
:func:`~linker.registries.ctgov.parse_study`, so a snapshot answer carries the very record the
API would have given. Every ``nctIdAliases`` entry becomes an ``alias`` answer.

The data date, unless given, is the latest submission or posting date found in the studies: a
lower bound of the download's date, so a not-found is never dated later than it should be.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from linker.errors import InputError
from linker.registries._parsing import MalformedResponse, parse_partial_date
from linker.registries.ctgov import parse_study, study_ids
from linker.snapshot.database import Writer
from linker.snapshot.outcomes import alias, found

_DATE_KEYS = ("studyFirstSubmitDate", "lastUpdateSubmitDate", "resultsFirstSubmitDate")
_DATE_STRUCTS = ("studyFirstPostDateStruct", "lastUpdatePostDateStruct")


def latest_date(study: Mapping[str, Any]) -> date | None:
    """The latest submission or posting date of a study (when it was last seen changing)."""
    status = study.get("protocolSection", {}).get("statusModule", {})
    if not isinstance(status, dict):
        return None
    values = [status.get(key) for key in _DATE_KEYS]
    values += [(status.get(key) or {}).get("date") for key in _DATE_STRUCTS]
    days = [
        parsed.last_day()
        for value in values
        if isinstance(value, str) and (parsed := parse_partial_date(value)) is not None
    ]
    return max(days, default=None)


def store_study(writer: Writer, study: Mapping[str, Any]) -> None:
    """One study as a ``found`` answer, and an ``alias`` answer per old id (where and when it
    was retrieved is filled in when answering, from the snapshot's source and date)."""
    writer.saw_date(latest_date(study))
    nct_id, aliases = study_ids(study)
    record = parse_study(study, retrieved_from=None, retrieved_at=None)
    writer.add(nct_id, found(record))
    for old in aliases:
        if old != nct_id:
            writer.add(old, alias(old, record), record=False)


def iter_zip_studies(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """(entry name, study) for every JSON entry of the zip, one at a time."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise InputError(str(path), f"not a readable zip file ({error})") from None
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(".json"):
                continue
            try:
                study = json.loads(archive.read(info))
            except (ValueError, UnicodeDecodeError) as error:
                raise InputError(f"{path}:{info.filename}", f"invalid JSON: {error}") from None
            if not isinstance(study, dict):
                raise InputError(f"{path}:{info.filename}", "not a study object")
            yield info.filename, study


def import_json_zip(path: Path, writer: Writer) -> None:
    for name, study in iter_zip_studies(path):
        try:
            store_study(writer, study)
        except MalformedResponse as error:
            raise InputError(f"{path}:{name}", error.reason) from None
