"""Small snapshots built in the tests, in the real source formats."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from support import FIXTURES, shared_path

from linker.models import Registry
from linker.snapshot.imports import import_source

REAL_STUDIES = (
    "study_NCT01987596_full_from_ctrdata_demo.json",
    "study_NCT06382129_fields.json",
    "study_NCT06604689_fields.json",
)
ALIAS_TARGET = FIXTURES / "registries" / "ctgov" / "study_NCT00010647_alias_target.json"


def ctgov_zip(target: Path) -> Path:
    """The CT.gov download layout: one ``NCTxxxxxxxx.json`` per study in a zip."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in REAL_STUDIES:
            study = shared_path("fixtures-real", "ctgov", name)
            archive.write(study, f"{name.split('_')[1]}.json")
        archive.write(ALIAS_TARGET, "NCT00010647.json")
    return target


@pytest.fixture
def ctgov_snapshot(tmp_path: Path) -> Path:
    snapshot = tmp_path / "registries.snapshot"
    import_source(Registry.CTGOV, ctgov_zip(tmp_path / "ctgov.zip"), snapshot, complete=True)
    return snapshot
