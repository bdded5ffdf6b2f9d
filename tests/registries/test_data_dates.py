"""Run settings carry CT.gov's data date (``GET /version`` ``dataTimestamp``) where it answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import httpx
import pytest
import respx
from click.testing import CliRunner
from fast_http import make_fast_http

from linker.cli.main import cli
from linker.models import Registry
from linker.registries.data_dates import ctgov_data_timestamp, data_dates
from linker.registries.settings import RegistrySettings

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://clinicaltrials.gov/api/v2"


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (httpx.Response(200, json={"apiVersion": "2.0.5", "dataTimestamp": "2026-11-25T09:00:05"}),
         "2026-11-25T09:00:05"),
        (httpx.Response(200, json={"apiVersion": "2.0.5"}), None),
        (httpx.Response(200, text="<html>maintenance</html>"), None),
        (httpx.Response(503), None),
    ],
)  # fmt: skip
async def test_ctgov_data_timestamp(response: httpx.Response, expected: str | None) -> None:
    http = make_fast_http()
    with respx.mock() as mock:
        mock.get(f"{BASE}/version").mock(return_value=response)
        assert await ctgov_data_timestamp(http, BASE) == expected
        dates = await data_dates(http, RegistrySettings(), [Registry.ISRCTN])
        assert dates == {}  # only CT.gov gives one, and only when it was asked
    await http.client.aclose()


def test_replayed_run_reports_the_recorded_data_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "store"
    shutil.copytree(ROOT / "fixtures" / "registries", store)
    (store / "ctgov" / "version.json").write_text(
        '{"apiVersion": "2.0.5", "dataTimestamp": "2026-11-25T09:00:05"}'
    )  # written for this test: the /version answer's documented shape
    index = json.loads((store / "index.json").read_text())
    index.append(
        {"method": "GET", "path": "/api/v2/version", "status": 200,
         "headers": {"content-type": "application/json"}, "file": "ctgov/version.json"}
    )  # fmt: skip
    (store / "index.json").write_text(json.dumps(index))
    monkeypatch.chdir(tmp_path)
    seed = ROOT / "fixtures" / "publications" / "publications.txt"
    result = CliRunner().invoke(
        cli, ["check", str(seed), "--replay", str(store), "-q", "--format", "json"]
    )
    registries = {r["registry"]: r for r in json.loads(result.stdout)["settings"]["registries"]}
    assert registries["ctgov"]["data_date"] == "2026-11-25T09:00:05"
    assert registries["isrctn"]["data_date"] is None
    result = CliRunner().invoke(cli, ["check", str(seed), "--replay", str(store), "-q"])
    assert "ctgov replay (data of 2026-11-25T09:00:05)" in result.stdout
