"""Record and replay: what is recorded replays the same, with no network; misses are unverified."""

from __future__ import annotations

import asyncio
import gzip
import json
from pathlib import Path

import httpx
import pytest
import respx

from linker.errors import InputError
from linker.models import Registry
from linker.registries.http import HostPolicy, HttpSettings, RegistryHttp, Unreachable, make_client
from linker.registries.replay import (
    INDEX,
    RecordingTransport,
    ReplayTransport,
    folder_names,
    load_index,
)

LIVE = "https://clinicaltrials.gov/api/v2"
MIRROR = "http://127.0.0.1:9/api/v2"  # nothing listens there: replay must not connect
SETTINGS = HttpSettings(attempts=1, default_policy=HostPolicy(concurrency=4, min_interval=0))
BATCH = {"studies": [{"protocolSection": {"identificationModule": {"nctId": "NCT01506986"}}}]}


def live_router() -> respx.MockRouter:
    router = respx.MockRouter(assert_all_called=False)
    router.get(f"{LIVE}/studies", params={"filter.ids": "NCT01506986|NCT04273854"}).respond(
        200, json=BATCH
    )
    router.get(f"{LIVE}/studies/NCT99999999").respond(
        404, text="NCT number NCT99999999 not found", headers={"content-type": "text/plain"}
    )
    router.get(f"{LIVE}/studies/NCT00009113").respond(
        301, headers={"location": f"{LIVE}/studies/NCT00010647"}
    )
    router.get(f"{LIVE}/studies/NCT00010647").respond(200, json={"nctId": "NCT00010647"})
    router.post("https://euclinicaltrials.eu/ctis-public-api/search").respond(
        200, json={"data": []}
    )
    router.get("https://www.isrctn.com/api/query/format/default").respond(
        200, text="<allTrials totalCount='0'/>", headers={"content-type": "application/xml"}
    )
    return router


async def exchange(http: RegistryHttp, base: str) -> list[httpx.Response]:
    return [
        await http.get(
            Registry.CTGOV,
            f"{base}/studies",
            params={"filter.ids": "NCT01506986|NCT04273854", "pageSize": "1000"},
        ),
        await http.get(Registry.CTGOV, f"{base}/studies/NCT99999999"),
        await http.get(Registry.CTGOV, f"{base}/studies/NCT00009113"),
        await http.post_json(
            Registry.CTIS, "https://euclinicaltrials.eu/ctis-public-api/search", {"page": 1}
        ),
    ]


async def record(directory: Path) -> list[httpx.Response]:
    inner = httpx.MockTransport(live_router().handler)
    transport = RecordingTransport(inner, directory, folder_names({"ctgov": LIVE}))
    async with make_client(SETTINGS, transport) as client:
        return await exchange(RegistryHttp(client, SETTINGS), LIVE)


async def test_round_trip_replays_what_was_recorded(tmp_path: Path) -> None:
    recorded = await record(tmp_path)
    listed = json.loads((tmp_path / INDEX).read_text())
    assert len(listed) == 5  # the redirect is its own entry
    assert listed == sorted(listed, key=lambda e: e["path"])  # diff-friendly order
    entries = {e["path"].rsplit("/", 1)[-1]: e for e in listed}
    batch = entries["studies"]
    assert batch["query"] == {"filter.ids": "NCT01506986|NCT04273854", "pageSize": "1000"}
    assert batch["file"].startswith("ctgov/GET_studies_")
    assert batch["file"].endswith(".json")
    assert entries["NCT99999999"]["file"].endswith(".txt")
    assert entries["NCT00009113"]["status"] == 301
    assert entries["NCT00009113"]["file"] is None
    assert entries["search"]["method"] == "POST"
    assert entries["search"]["body"] == {"page": 1}
    assert entries["search"]["file"].startswith("euclinicaltrials.eu/POST_")

    async with make_client(SETTINGS, ReplayTransport(tmp_path)) as client:
        replayed = await exchange(RegistryHttp(client, SETTINGS), MIRROR)
    for original, again in zip(recorded, replayed, strict=True):
        assert again.status_code == original.status_code
        assert again.content == original.content
        assert again.headers.get("content-type") == original.headers.get("content-type")
    assert [r.status_code for r in replayed[2].history] == [301]
    assert replayed[2].json() == {"nctId": "NCT00010647"}


async def test_body_is_stored_decoded(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = gzip.compress(b'{"studies": []}')
        return httpx.Response(
            200, content=body, headers={"content-encoding": "gzip", "content-type": "text/json"}
        )

    transport = RecordingTransport(httpx.MockTransport(handler), tmp_path)
    async with make_client(SETTINGS, transport) as client:
        response = await client.get("https://example.test/studies")
    assert response.json() == {"studies": []}
    (entry,) = load_index(tmp_path)
    assert (tmp_path / entry["file"]).read_bytes() == b'{"studies": []}'
    assert "content-encoding" not in entry["headers"]


async def test_registries_behind_one_host_get_their_own_folders(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={})

    names = folder_names(
        {"ctgov": "http://127.0.0.1:8080/ctgov/api/v2", "isrctn": "http://127.0.0.1:8080/isrctn"}
    )
    transport = RecordingTransport(httpx.MockTransport(handler), tmp_path, names)
    async with make_client(SETTINGS, transport) as client:
        await client.get("http://127.0.0.1:8080/ctgov/api/v2/studies")
        await client.get("http://127.0.0.1:8080/isrctn/api/query/format/default")
        await client.get("http://127.0.0.1:8080/other")
    folders = sorted(entry["file"].split("/")[0] for entry in load_index(tmp_path))
    assert folders == ["127.0.0.1", "ctgov", "isrctn"]


async def test_miss_becomes_unreachable_naming_the_replay_store(tmp_path: Path) -> None:
    await record(tmp_path)
    replay = ReplayTransport(tmp_path)
    async with make_client(SETTINGS, replay) as client:
        http = RegistryHttp(client, HttpSettings(attempts=4))
        with pytest.raises(Unreachable, match="not recorded in the replay store") as caught:
            await http.get(Registry.CTGOV, f"{MIRROR}/studies/NCT12345678")
    assert "NCT12345678" in caught.value.reason
    assert http.requests_sent == 1  # not retried
    assert replay.misses == ["GET /api/v2/studies/NCT12345678?"]


def write_index(directory: Path, entries: list[dict[str, object]]) -> None:
    (directory / INDEX).write_text(json.dumps(entries))
    for entry in entries:
        if entry.get("file"):
            target = directory / str(entry["file"])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(str(entry.get("note", "")))


async def replay_text(directory: Path, url: str) -> str:
    async with make_client(SETTINGS, ReplayTransport(directory)) as client:
        response = await client.get(url)
    return response.text if response.status_code != 599 else "MISS"


async def test_query_subset_most_specific_and_id_order(tmp_path: Path) -> None:
    write_index(
        tmp_path,
        [
            {"method": "GET", "path": "/api/v2/studies", "status": 200, "file": "a", "note": "any"},
            {
                "method": "GET",
                "path": "/api/v2/studies",
                "query": {"filter.ids": "NCT00000001|NCT00000002"},
                "status": 200,
                "file": "b",
                "note": "pair",
            },
            {
                "method": "GET",
                "path": "/api/query/format/default",
                "query": {"q": "ISRCTN11111111 OR ISRCTN22222222"},
                "status": 200,
                "file": "c",
                "note": "isrctn pair",
            },
        ],
    )
    base = "https://mirror.test/api/v2/studies"
    assert await replay_text(tmp_path, f"{base}?filter.ids=NCT00000002,NCT00000001&x=1") == "pair"
    assert await replay_text(tmp_path, f"{base}?filter.ids=NCT00000003") == "any"
    assert await replay_text(tmp_path, f"{base}/NCT00000003") == "MISS"
    isrctn = "https://isrctn.invalid/api/query/format/default?limit=10&q="  # the host is ignored
    assert await replay_text(tmp_path, isrctn + "ISRCTN22222222+OR+ISRCTN11111111") == "isrctn pair"
    assert await replay_text(tmp_path, isrctn + "ISRCTN22222222") == "MISS"


async def test_missing_body_file_is_a_miss(tmp_path: Path) -> None:
    (tmp_path / INDEX).write_text(
        json.dumps([{"method": "GET", "path": "/x", "status": 200, "file": "gone.json"}])
    )
    assert await replay_text(tmp_path, "https://h.test/x") == "MISS"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no replay index"),
        ("{not json", "not valid JSON"),
        ('{"a": 1}', "expected a JSON list"),
        ('[{"path": "x", "status": 200}]', "entry 1"),
        ('[{"path": "/x", "status": "200"}]', "status"),
    ],
)
def test_bad_index_is_a_clear_input_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / INDEX).write_text(content)
    with pytest.raises(InputError, match=message):
        ReplayTransport(tmp_path)


async def test_concurrent_recording_keeps_every_entry(tmp_path: Path) -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.001)
        return httpx.Response(200, json={"path": request.url.path})

    transport = RecordingTransport(httpx.MockTransport(handler), tmp_path)
    async with make_client(SETTINGS, transport) as client:
        await asyncio.gather(*(client.get(f"https://h.test/item/{n}") for n in range(30)))
        await client.get("https://h.test/item/3")  # re-recording replaces, not duplicates
    entries = load_index(tmp_path)
    assert sorted(e["path"] for e in entries) == sorted(f"/item/{n}" for n in range(30))
    assert len({e["file"] for e in entries}) == 30
    assert not list(tmp_path.glob(".index.json.*"))  # no temporary files left behind


def bundled_store(tmp_path: Path, fixtures_dir: Path, index_name: str) -> Path:
    """The hand-written fixture store under tmp_path/index.json (bodies linked, not copied)."""
    source = fixtures_dir / "registries"
    if not (source / index_name).exists():
        pytest.skip(f"fixture index {index_name} not present")
    (tmp_path / INDEX).write_text((source / index_name).read_text())
    for folder in source.iterdir():
        if folder.is_dir():
            (tmp_path / folder.name).symlink_to(folder)
    return tmp_path


async def test_real_ctgov_client_replays_fixtures(tmp_path: Path, fixtures_dir: Path) -> None:
    ctgov = pytest.importorskip("linker.registries.ctgov")
    from linker.registries.interface import OutcomeKind

    store = bundled_store(tmp_path, fixtures_dir, INDEX)
    seed = ["NCT01506986", "NCT04273854", "NCT04285021", "NCT05434195"]
    async with make_client(SETTINGS, ReplayTransport(store)) as client:
        http = RegistryHttp(client, SETTINGS)
        found = await ctgov.CtgovClient(http, MIRROR).verify_many(seed)
        missing = await ctgov.CtgovClient(http, MIRROR).verify_many(["NCT12345678"])
    assert {outcome.kind for outcome in found.values()} == {OutcomeKind.FOUND}
    assert missing["NCT12345678"].kind is OutcomeKind.UNVERIFIED
    assert "replay store" in (missing["NCT12345678"].reason or "")
