"""``snapshot import``: one entry point that picks the importer for a registry and a source."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from linker.errors import InputError
from linker.models import Registry
from linker.snapshot import aact, ctgov_json, isrctn_xml, recorded
from linker.snapshot.database import SnapshotSource, connect, read_sources, replacing

IMPORTABLE = (Registry.CTGOV, Registry.ISRCTN, Registry.EUCTR, Registry.CTIS)


@dataclass
class Imported:
    source: SnapshotSource
    kind: str
    unanswered: list[str] = field(default_factory=list)


def source_kind(registry: Registry, path: Path) -> str:
    """Which importer reads ``path``: ``store``, ``json-zip``, ``aact`` or ``isrctn-xml``."""
    if path.is_dir() and (path / "index.json").is_file():
        return "store"
    if registry is Registry.CTGOV:
        if path.is_dir() or _zip_has(path, aact.STUDIES):
            return "aact"
        return "json-zip"
    if registry is Registry.ISRCTN and path.is_file():
        return "isrctn-xml"
    raise InputError(str(path), f"not a recorded store (a folder with index.json) for {registry}")


def _zip_has(path: Path, name: str) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(Path(n).name.lower() == name for n in archive.namelist())
    except (OSError, zipfile.BadZipFile):
        return False


# A CT.gov download (or AACT copy) with fewer studies than this is taken for a filtered one
# (the website's download of a search): ClinicalTrials.gov held over 500,000 studies in 2025,
# so an id such a file lacks may well exist. ``complete=True`` says the file is whole anyway.
FULL_CTGOV_STUDIES = 400_000


def import_source(
    registry: Registry,
    path: Path,
    into: Path,
    *,
    data_date: date | None = None,
    complete: bool | None = None,
) -> Imported:
    """Replace ``registry``'s part of the snapshot ``into`` with what ``path`` holds.

    Whether the part is complete (an id it lacks does not exist) is decided from the file:
    never for a recorded store; for an ISRCTN answer, when it holds ``totalCount`` trials; for
    a CT.gov download, when it holds at least :data:`FULL_CTGOV_STUDIES` studies, unless
    ``complete`` says otherwise (a smaller registry copy known to be whole)."""
    if registry not in IMPORTABLE:
        raise InputError(str(path), f"no snapshot importer for {registry.label}")
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    kind = source_kind(registry, path)
    if kind == "store" and data_date is None:
        raise InputError(str(path), "a recorded store carries no date: give --date YYYY-MM-DD")
    unanswered: list[str] = []
    with replacing(into, registry, source=path.name, complete=kind != "store") as writer:
        if data_date is not None:
            writer.fix_date(data_date)
        if kind == "json-zip":
            ctgov_json.import_json_zip(path, writer)
        elif kind == "aact":
            aact.import_flat_files(path, writer)
        elif kind == "isrctn-xml":
            isrctn_xml.import_isrctn_xml(path, writer)
        else:
            unanswered = recorded.import_store(path, registry, writer)
        if kind in ("json-zip", "aact"):
            writer.complete = writer.records >= FULL_CTGOV_STUDIES if complete is None else complete
    return Imported(source=snapshot_sources(into)[registry], kind=kind, unanswered=unanswered)


def snapshot_sources(path: Path) -> dict[Registry, SnapshotSource]:
    connection = connect(path)
    try:
        return read_sources(connection)
    finally:
        connection.close()
