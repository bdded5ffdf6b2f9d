"""``snapshot import isrctn`` (an API answer of all trials) and recorded stores (any registry)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx
from support import FIXTURES

from linker.errors import InputError
from linker.models import Registry
from linker.registries.interface import Outcome, OutcomeKind
from linker.registries.snapshot import Snapshot
from linker.registries.verifier import verify_sync
from linker.snapshot.imports import import_source, snapshot_sources

ISRCTN = FIXTURES / "registries" / "isrctn"
REAL_ANSWERS = (
    "query_ISRCTN54285094_pace_2003.xml",
    "query_ISRCTN62918594_eudract_nct_ctis_xrefs.xml",
)


def all_trials(target: Path, total: int) -> Path:
    """Two real ``fullTrial`` answers in one ``allTrials`` document, as ``limit=N`` returns."""
    trials = [
        re.search(r"<fullTrial>.*</fullTrial>", (ISRCTN / name).read_text(encoding="utf-8"), re.S)
        for name in REAL_ANSWERS
    ]
    body = "\n".join(match.group(0) for match in trials if match)
    target.write_text(
        f'<allTrials xmlns="http://www.67bricks.com/isrctn" totalCount="{total}">\n{body}\n'
        "</allTrials>\n",
        encoding="utf-8",
    )
    return target


def answer(snapshot: Path, registry: Registry, *ids: str) -> dict[str, Outcome]:
    with Snapshot(snapshot) as opened:
        return {k[1]: v for k, v in opened.answer([(registry, i) for i in ids]).items()}


def test_isrctn_api_answer_of_all_trials(tmp_path: Path) -> None:
    snapshot = tmp_path / "s.snapshot"
    import_source(Registry.ISRCTN, all_trials(tmp_path / "all.xml", 2), snapshot)
    source = snapshot_sources(snapshot)[Registry.ISRCTN]
    assert (source.records, source.complete) == (2, True)
    got = answer(snapshot, Registry.ISRCTN, "ISRCTN54285094", "ISRCTN62918594", "ISRCTN10000000")
    assert got["ISRCTN54285094"].record.acronym
    assert "NCT05057013" in [s.id for s in got["ISRCTN62918594"].record.secondary_ids]
    assert got["ISRCTN10000000"].kind is OutcomeKind.NOT_FOUND


def test_isrctn_answer_cut_short_is_partial(tmp_path: Path) -> None:
    snapshot = tmp_path / "s.snapshot"
    import_source(Registry.ISRCTN, all_trials(tmp_path / "all.xml", 5), snapshot)
    assert snapshot_sources(snapshot)[Registry.ISRCTN].complete is False
    assert answer(snapshot, Registry.ISRCTN, "ISRCTN10000000") == {}  # left for the live client


def test_ctis_recorded_store(tmp_path: Path) -> None:
    snapshot = tmp_path / "s.snapshot"
    store = FIXTURES / "registries"
    with pytest.raises(InputError, match="--date"):
        import_source(Registry.CTIS, store, snapshot)
    import_source(Registry.CTIS, store, snapshot, data_date=date(2026, 10, 14))
    source = snapshot_sources(snapshot)[Registry.CTIS]
    assert (source.complete, source.data_date) == (False, date(2026, 10, 14))
    got = answer(snapshot, Registry.CTIS, "2024-510663-34-00", "2025-599999-10-00")
    assert got["2024-510663-34-00"].kind is OutcomeKind.FOUND
    assert got["2024-510663-34-00"].snapshot_date == date(2026, 10, 14)
    assert "2025-599999-10-00" not in got


CTGOV = "https://clinicaltrials.gov/api/v2"


def test_recorded_store_keeps_found_and_not_found_answers(tmp_path: Path) -> None:
    """Record a store (the live client against a stand-in), then import it: the answers are
    the live client's, the snapshot is partial."""
    store = tmp_path / "store"
    study = (FIXTURES / "registries" / "ctgov" / "study_NCT00010647_alias_target.json").read_bytes()
    with respx.mock() as router:
        router.get(f"{CTGOV}/studies").mock(
            return_value=httpx.Response(
                200,
                content=b'{"studies": [' + study + b"]}",
                headers={"content-type": "application/json"},
            )
        )
        router.get(f"{CTGOV}/studies/NCT99999999").mock(
            return_value=httpx.Response(
                404, text="NCT number NCT99999999 not found", headers={"content-type": "text/plain"}
            )
        )
        live = verify_sync(
            [(Registry.CTGOV, "NCT00010647"), (Registry.CTGOV, "NCT99999999")], record=store
        )
    assert {o.kind for o in live.values()} == {OutcomeKind.FOUND, OutcomeKind.NOT_FOUND}
    snapshot = tmp_path / "s.snapshot"
    imported = import_source(Registry.CTGOV, store, snapshot, data_date=date(2026, 11, 1))
    assert (imported.kind, imported.source.complete, imported.source.records) == ("store", False, 1)
    got = answer(snapshot, Registry.CTGOV, "NCT00010647", "NCT99999999", "NCT00000001")
    assert got["NCT00010647"].record.id == "NCT00010647"
    assert got["NCT99999999"].kind is OutcomeKind.NOT_FOUND
    assert got["NCT99999999"].snapshot_date == date(2026, 11, 1)
    assert "NCT00000001" not in got


def test_not_a_snapshot_is_an_input_error(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.snapshot"
    bogus.write_text("hello")
    with pytest.raises(InputError, match="not a trial-linker snapshot"):
        Snapshot(bogus)
    with pytest.raises(InputError, match="no such snapshot"):
        Snapshot(tmp_path / "absent.snapshot")
