"""`lookup` of EudraCT numbers: a transitioned trial is found with its CTIS link, a number
EUCTR does not list is not_public (not "not found"), both with the reason."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner
from support import FIXTURES

from linker.cli.main import cli

TRANSITIONED = "2019-001588-63"


def store_with_zero_page(tmp_path: Path, number: str) -> Path:
    """The bundled store plus a EUCTR "(0)" page for ``number`` (test-only: EUCTR's real
    answer for this number is not recorded; this exercises the EUCTR-absent path)."""
    store = tmp_path / "store"
    shutil.copytree(FIXTURES / "registries", store)
    zero = (store / "euctr" / "search_zero_hits_2010-099999-10.html").read_bytes()
    (store / "euctr" / f"zero_{number}.html").write_bytes(
        zero.replace(b"2010-099999-10", number.encode())
    )
    index = json.loads((store / "index.json").read_text(encoding="utf-8"))
    index.append(
        {
            "method": "GET",
            "path": "/ctr-search/search",
            "query": {"query": number},
            "status": 200,
            "headers": {"content-type": "text/html;charset=UTF-8"},
            "file": f"euctr/zero_{number}.html",
        }
    )
    (store / "index.json").write_text(json.dumps(index), encoding="utf-8")
    return store


def lookup(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["lookup", *args])
    return result.exit_code, result.stdout


def test_lookup_shows_a_transitioned_trial_found_with_the_link(tmp_path: Path) -> None:
    store = store_with_zero_page(tmp_path, TRANSITIONED)
    code, out = lookup(TRANSITIONED, "--replay", str(store), "--no-cache", "--format", "json")
    assert code == 0
    [answer] = json.loads(out)
    assert answer["kind"] == "found" and answer.get("current_id") is None
    assert "transitioned to CTIS as 2024-510663-34-00" in answer["reason"]
    code, out = lookup(TRANSITIONED, "--replay", str(store), "--no-cache", "--format", "table")
    assert "found: transitioned" in out and "2024-510663-34-00" in out  # wrapped in a table


def test_lookup_of_a_number_euctr_does_not_list_is_not_public(tmp_path: Path) -> None:
    code, out = lookup(
        "2010-099999-10", "--replay", str(FIXTURES / "registries"), "--no-cache", "--format", "json"
    )
    assert code == 0  # no proof that the number is wrong
    [answer] = json.loads(out)
    assert answer["kind"] == "not_public"
    assert "phase 1 trials in adults are not public there" in answer["reason"]
