"""``snapshot import ctgov``: the JSON zip download and the AACT flat files give the records the
live client gives, aliases, and a data date no later than the data."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from conftest import ALIAS_TARGET, ctgov_zip
from support import shared_path

from linker.errors import InputError
from linker.models import Registry
from linker.registries.ctgov import parse_study
from linker.registries.interface import OutcomeKind
from linker.registries.snapshot import Snapshot
from linker.snapshot.imports import import_source, snapshot_sources


def answers(snapshot: Path, *ids: str) -> dict[str, object]:
    with Snapshot(snapshot) as opened:
        found = opened.answer([(Registry.CTGOV, i) for i in ids])
    return {key[1]: outcome for key, outcome in found.items()}


def test_json_zip_answers_found_alias_and_dated_not_found(ctgov_snapshot: Path) -> None:
    [source] = snapshot_sources(ctgov_snapshot).values()
    assert (source.records, source.complete) == (4, True)
    # The latest submission/posting date in the four studies (NCT01987596: 2020-10-29).
    assert source.data_date == date(2020, 10, 29)

    got = answers(ctgov_snapshot, "NCT01987596", "NCT00009113", "NCT99999998")
    found, alias, absent = got["NCT01987596"], got["NCT00009113"], got["NCT99999998"]
    assert found.kind is OutcomeKind.FOUND
    real = json.loads(
        shared_path(
            "fixtures-real", "ctgov", "study_NCT01987596_full_from_ctrdata_demo.json"
        ).read_text(encoding="utf-8")
    )
    expected = parse_study(real, retrieved_from=None, retrieved_at=None)
    assert found.record.model_dump(exclude={"retrieved_at", "retrieved_from"}) == (
        expected.model_dump(exclude={"retrieved_at", "retrieved_from"})
    )
    assert found.snapshot_date == source.data_date
    assert "ctgov.zip" in (found.record.retrieved_from or "")
    assert (alias.kind, alias.current_id) == (OutcomeKind.ALIAS, "NCT00010647")
    assert absent.kind is OutcomeKind.NOT_FOUND
    assert absent.reason == "not in the ClinicalTrials.gov snapshot of 2020-10-29"
    assert absent.url == "https://clinicaltrials.gov/study/NCT99999998"


def test_given_date_wins_and_reimport_replaces(tmp_path: Path) -> None:
    snapshot = tmp_path / "s.snapshot"
    archive = ctgov_zip(tmp_path / "ctgov.zip")
    import_source(Registry.CTGOV, archive, snapshot, data_date=date(2026, 11, 20), complete=True)
    with zipfile.ZipFile(tmp_path / "one.zip", "w") as small:
        small.write(ALIAS_TARGET, "NCT00010647.json")
    import_source(Registry.CTGOV, tmp_path / "one.zip", snapshot, complete=True)
    [source] = snapshot_sources(snapshot).values()
    assert (source.records, source.data_date) == (1, date(2001, 2, 2))
    assert answers(snapshot, "NCT01987596")["NCT01987596"].kind is OutcomeKind.NOT_FOUND


def test_bad_study_names_the_entry_and_keeps_the_old_snapshot(ctgov_snapshot: Path) -> None:
    broken = ctgov_snapshot.parent / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("NCT00000001.json", "{not json")
    with pytest.raises(InputError, match=r"broken.zip:NCT00000001.json: invalid JSON"):
        import_source(Registry.CTGOV, broken, ctgov_snapshot)
    assert snapshot_sources(ctgov_snapshot)[Registry.CTGOV].records == 4


# --- AACT ------------------------------------------------------------------------------------

STUDIES_HEADER = (
    "nct_id|nlm_download_date_description|study_first_submitted_date|results_first_submitted_date"
    "|last_update_submitted_date|study_first_posted_date|results_first_posted_date"
    "|last_update_posted_date|start_month_year|start_date_type|start_date"
    "|completion_month_year|completion_date_type|completion_date|primary_completion_month_year"
    "|primary_completion_date_type|primary_completion_date|study_type|acronym|brief_title"
    "|official_title|overall_status|phase|enrollment|enrollment_type"
)


def aact_folder(folder: Path) -> Path:
    """Rows in AACT's documented layout: pipes, header rows, a quoted field holding ``|``."""
    folder.mkdir()
    (folder / "studies.txt").write_text(
        STUDIES_HEADER + "\n"
        "NCT01987596||2013-11-12|2020-10-02|2020-10-02|2013-11-19|2020-10-29|2020-10-29"
        "|August 2013||2013-08-01|June 2018|Actual|2018-06-30|June 2018|Actual|2018-06-30"
        '|Interventional||"Fixed vs. Flexible | Filgrastim"|Study of Fixed vs. Flexible Filgrastim'
        "|Terminated|Phase 2/Phase 3|46|Actual\n"
        "NCT00010647||2001-02-02||2001-02-02|||2001-02-05|2001-01|||||||||OBSERVATIONAL"
        "||Alias target||ACTIVE_NOT_RECRUITING|EARLY_PHASE1|12|ESTIMATED\n",
        encoding="utf-8",
    )
    (folder / "id_information.txt").write_text(
        "id|nct_id|id_source|id_type|id_type_description|id_link|id_value\n"
        "1|NCT01987596|org_study_id||||FIXFLEX\n"
        "2|NCT01987596|secondary_id|EUDRACT_NUMBER|||2013-001234-22\n"
        "3|NCT00010647|nct_alias||||NCT00009113\n",
        encoding="utf-8",
    )
    (folder / "sponsors.txt").write_text(
        "id|nct_id|agency_class|lead_or_collaborator|name\n"
        "1|NCT01987596|OTHER|collaborator|Helper Foundation\n"
        "2|NCT01987596|OTHER|lead|St. Jude Children's Research Hospital\n",
        encoding="utf-8",
    )
    (folder / "conditions.txt").write_text(
        "id|nct_id|name|downcase_name\n1|NCT01987596|Neutropenia|neutropenia\n", encoding="utf-8"
    )
    (folder / "interventions.txt").write_text(
        "id|nct_id|intervention_type|name|description\n1|NCT01987596|Drug|Filgrastim|fixed dose\n",
        encoding="utf-8",
    )
    return folder


def test_aact_flat_files(tmp_path: Path) -> None:
    snapshot = tmp_path / "s.snapshot"
    import_source(Registry.CTGOV, aact_folder(tmp_path / "aact"), snapshot, complete=True)
    [source] = snapshot_sources(snapshot).values()
    assert (source.records, source.data_date, source.complete) == (2, date(2020, 10, 29), True)
    got = answers(snapshot, "NCT01987596", "NCT00009113", "NCT00000102")
    record = got["NCT01987596"].record
    assert record.public_title == "Fixed vs. Flexible | Filgrastim"
    assert record.sponsor == "St. Jude Children's Research Hospital"
    assert (record.conditions, record.interventions) == (["Neutropenia"], ["Filgrastim"])
    assert record.phases == ["PHASE2", "PHASE3"]
    assert record.overall_status == "TERMINATED"
    assert record.study_type == "INTERVENTIONAL"
    assert record.start_date.value == "2013-08"
    assert (record.completion_date.value, record.completion_date.actual) == ("2018-06", True)
    assert record.registration_date.value == "2013-11-12"
    assert (record.enrollment.count, record.enrollment.actual) == (46, True)
    assert record.has_results is True
    assert [(s.registry, s.id) for s in record.secondary_ids] == [
        (Registry.EUCTR, "2013-001234-22")
    ]
    alias = got["NCT00009113"]
    assert (alias.kind, alias.current_id) == (OutcomeKind.ALIAS, "NCT00010647")
    assert alias.record.phases == ["EARLY_PHASE1"]
    assert got["NCT00000102"].kind is OutcomeKind.NOT_FOUND


def test_aact_zip_is_read_like_the_folder(tmp_path: Path) -> None:
    folder = aact_folder(tmp_path / "aact")
    with zipfile.ZipFile(tmp_path / "aact.zip", "w") as archive:
        for table in folder.iterdir():
            archive.write(table, f"20261120_export/{table.name}")
    import_source(Registry.CTGOV, tmp_path / "aact.zip", tmp_path / "z.snapshot")
    import_source(Registry.CTGOV, folder, tmp_path / "f.snapshot")
    ids = ("NCT01987596", "NCT00009113")

    def comparable(snapshot: Path) -> dict[str, object]:
        return {
            key: outcome.model_dump(exclude={"record": {"retrieved_from"}})
            for key, outcome in answers(snapshot, *ids).items()
        }

    assert comparable(tmp_path / "z.snapshot") == comparable(tmp_path / "f.snapshot")


def test_aact_without_studies_is_an_input_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match=r"no studies\.txt"):
        import_source(Registry.CTGOV, tmp_path / "empty", tmp_path / "s.snapshot")


def test_a_small_download_is_a_partial_part_unless_said_whole(tmp_path: Path) -> None:
    """The website's download of a search is a json.zip too: an id it lacks may exist, so a
    download under FULL_CTGOV_STUDIES studies answers only what it holds (the rest is asked
    elsewhere: never a false "not found"); ``complete=True`` (``--complete``) says it is whole."""
    archive = ctgov_zip(tmp_path / "ctgov.zip")
    partial, whole = tmp_path / "p.snapshot", tmp_path / "w.snapshot"
    import_source(Registry.CTGOV, archive, partial)
    assert snapshot_sources(partial)[Registry.CTGOV].complete is False
    assert "NCT99999998" not in answers(partial, "NCT99999998")
    assert answers(partial, "NCT01987596")["NCT01987596"].kind is OutcomeKind.FOUND
    import_source(Registry.CTGOV, archive, whole, complete=True)
    assert answers(whole, "NCT99999998")["NCT99999998"].kind is OutcomeKind.NOT_FOUND
