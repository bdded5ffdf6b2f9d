"""Import the AACT pipe-delimited flat files (a folder of ``*.txt``, or their zip).

Tables read (AACT's documented layout: UTF-8, ``|`` between fields, a header row, line breaks
removed from fields, a field holding ``|`` double-quoted):

- ``studies.txt``: one row per study (titles, status, dates, design);
- ``id_information.txt``: ``id_source`` ``org_study_id``, ``secondary_id`` and ``nct_alias``
  (the alias map);
- ``sponsors.txt`` (the ``lead`` row), ``conditions.txt``, ``interventions.txt``.

``study_references.txt`` is accepted but not read: a registry record here carries no reference
list. The side tables are staged in temporary SQLite tables with an index on ``nct_id``; then
``studies.txt`` is streamed and each row is turned into a CT.gov v2 ``Study`` object and
normalised by the live client's :func:`~linker.registries.ctgov.parse_study`, so both import
paths give the same records. AACT spells enumerations two ways over the years
(``Active, not recruiting`` / ``ACTIVE_NOT_RECRUITING``, ``Phase 2/Phase 3`` / ``PHASE2/PHASE3``,
``Anticipated`` / ``ESTIMATED``): both are mapped to the API's spelling.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import sys
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from linker.errors import InputError
from linker.registries._parsing import MalformedResponse
from linker.snapshot.ctgov_json import store_study
from linker.snapshot.database import Writer

STUDIES = "studies.txt"
SIDE_TABLES: Mapping[str, tuple[str, ...]] = {
    "id_information.txt": ("id_source", "id_type", "id_type_description", "id_value"),
    "sponsors.txt": ("lead_or_collaborator", "name"),
    "conditions.txt": ("name",),
    "interventions.txt": ("name",),
}
_STATUS_SPELLINGS = {"UNKNOWN_STATUS": "UNKNOWN"}
_MONTH_YEAR = re.compile(r"([A-Za-z]+)\s+(?:\d{1,2},\s*)?(\d{4})")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # AACT descriptions run long


class FlatFiles:
    """The flat files of one AACT export, opened by table name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        self._names: dict[str, str] = {}
        if path.is_dir():
            self._names = {child.name.lower(): str(child) for child in path.iterdir()}
        else:
            try:
                self._zip = zipfile.ZipFile(path)
            except (OSError, zipfile.BadZipFile) as error:
                raise InputError(str(path), f"not an AACT folder or zip ({error})") from None
            self._names = {Path(n).name.lower(): n for n in self._zip.namelist()}
        if STUDIES not in self._names:
            raise InputError(str(path), f"no {STUDIES}: not an AACT flat-file export")

    def has(self, table: str) -> bool:
        return table in self._names

    def open(self, table: str) -> TextIO:
        name = self._names[table]
        if self._zip is not None:
            return io.TextIOWrapper(self._zip.open(name), encoding="utf-8", newline="")
        return Path(name).open(encoding="utf-8", newline="")

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def rows(files: FlatFiles, table: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of one table; :class:`InputError` naming the file and line on bad data."""
    display = f"{files.path}/{table}"
    with files.open(table) as stream:
        reader = csv.DictReader(stream, delimiter="|", quotechar='"')
        if reader.fieldnames is None or "nct_id" not in reader.fieldnames:
            raise InputError(display, "no nct_id column in the header row")
        try:
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except (csv.Error, UnicodeDecodeError) as error:
            raise InputError(display, f"line {reader.line_num}: {error}") from None


def stage(connection: sqlite3.Connection, files: FlatFiles) -> None:
    """Each side table into ``temp.<name>(nct_id, columns...)``, indexed by ``nct_id``."""
    for table, columns in SIDE_TABLES.items():
        name = table.removesuffix(".txt")
        connection.execute(f"DROP TABLE IF EXISTS temp.{name}")
        connection.execute(f"CREATE TEMP TABLE {name}(nct_id TEXT, {', '.join(columns)})")
        if not files.has(table):
            continue
        marks = ", ".join("?" * (len(columns) + 1))
        connection.executemany(
            f"INSERT INTO temp.{name} VALUES ({marks})",
            ((row["nct_id"], *(row.get(c, "") for c in columns)) for _, row in rows(files, table)),
        )
        connection.execute(f"CREATE INDEX temp.{name}_nct ON {name}(nct_id)")


def _enum(value: str) -> str | None:
    spelled = re.sub(r"[^A-Z0-9]+", "_", value.upper()).strip("_")
    return _STATUS_SPELLINGS.get(spelled, spelled) or None


def _date_type(value: str) -> str | None:
    return {"ACTUAL": "ACTUAL", "ANTICIPATED": "ESTIMATED", "ESTIMATED": "ESTIMATED"}.get(
        value.upper()
    )


def _month_year(value: str) -> str | None:
    """``2013-08`` as is; ``August 2013`` / ``August 5, 2013`` as ``2013-08``."""
    if re.fullmatch(r"\d{4}(-\d{2}){0,2}", value):
        return value
    match = _MONTH_YEAR.fullmatch(value)
    if match is None:
        return None
    try:
        month = datetime.strptime(match.group(1)[:3], "%b").month
    except ValueError:
        return None
    return f"{match.group(2)}-{month:02d}"


def _struct(row: Mapping[str, str], prefix: str) -> dict[str, str] | None:
    """A v2 date struct from ``<prefix>_month_year`` (its precision) or ``<prefix>_date``."""
    value = _month_year(row.get(f"{prefix}_month_year", "")) or row.get(f"{prefix}_date", "")
    if not value:
        return None
    struct = {"date": value}
    kind = _date_type(row.get(f"{prefix}_date_type", ""))
    if kind:
        struct["type"] = kind
    return struct


def _phases(value: str) -> list[str]:
    phases = []
    for part in value.split("/"):
        spelled = re.sub(r"[^A-Z0-9]+", "", part.upper())
        spelled = spelled.replace("EARLYPHASE", "EARLY_PHASE")
        if spelled:
            phases.append(spelled)
    return phases


def _values(connection: sqlite3.Connection, table: str, nct_id: str) -> list[tuple[str, ...]]:
    return connection.execute(
        f"SELECT * FROM temp.{table} WHERE nct_id = ? ORDER BY rowid", (nct_id,)
    ).fetchall()


def study_object(row: Mapping[str, str], connection: sqlite3.Connection) -> dict[str, Any]:
    """An AACT study row and its side rows as a CT.gov v2 ``Study`` object."""
    nct_id = row["nct_id"].upper()
    identification: dict[str, Any] = {"nctId": nct_id, "secondaryIdInfos": [], "nctIdAliases": []}
    for key, column in (("briefTitle", "brief_title"), ("officialTitle", "official_title")):
        identification[key] = row.get(column) or None
    identification["acronym"] = row.get("acronym") or None
    for _, source, kind, description, value in _values(connection, "id_information", nct_id):
        if source == "nct_alias":
            identification["nctIdAliases"].append(value)
        elif source == "org_study_id":
            identification["orgStudyIdInfo"] = {"id": value}
        else:
            info = {"id": value, "type": kind or None, "domain": description or None}
            identification["secondaryIdInfos"].append(info)
    status: dict[str, Any] = {
        "overallStatus": _enum(row.get("overall_status", "")),
        "studyFirstSubmitDate": row.get("study_first_submitted_date") or None,
        "lastUpdateSubmitDate": row.get("last_update_submitted_date") or None,
        "resultsFirstSubmitDate": row.get("results_first_submitted_date") or None,
    }
    for key, prefix in (
        ("startDateStruct", "start"),
        ("completionDateStruct", "completion"),
        ("primaryCompletionDateStruct", "primary_completion"),
        ("studyFirstPostDateStruct", "study_first_posted"),
        ("resultsFirstPostDateStruct", "results_first_posted"),
        ("lastUpdatePostDateStruct", "last_update_posted"),
    ):
        status[key] = _struct(row, prefix)
    sponsors = _values(connection, "sponsors", nct_id)
    lead = next((name for _, role, name in sponsors if role.lower() == "lead"), None)
    enrollment = row.get("enrollment", "")
    design: dict[str, Any] = {
        "studyType": _enum(row.get("study_type", "")),
        "phases": _phases(row.get("phase", "")),
    }
    if re.fullmatch(r"\d+(\.0+)?", enrollment):
        design["enrollmentInfo"] = {
            "count": int(float(enrollment)),
            "type": _date_type(row.get("enrollment_type", "")),
        }
    return {
        "protocolSection": {
            "identificationModule": identification,
            "statusModule": status,
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": lead}},
            "conditionsModule": {
                "conditions": [n for _, n in _values(connection, "conditions", nct_id)]
            },
            "designModule": design,
            "armsInterventionsModule": {
                "interventions": [
                    {"name": n} for _, n in _values(connection, "interventions", nct_id)
                ]
            },
        },
        "hasResults": bool(
            row.get("results_first_posted_date") or row.get("results_first_submitted_date")
        ),
    }


def import_flat_files(path: Path, writer: Writer) -> None:
    with ExitStack() as stack:
        files = FlatFiles(path)
        stack.callback(files.close)
        stage(writer.connection, files)
        for line, row in rows(files, STUDIES):
            try:
                store_study(writer, study_object(row, writer.connection))
            except MalformedResponse as error:
                raise InputError(f"{path}/{STUDIES}", f"line {line}: {error.reason}") from None
