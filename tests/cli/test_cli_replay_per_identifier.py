"""The replay store answers per identifier: any subset of a recorded batch, a single lookup, a
batch that mixes recorded and new identifiers; --record adds to an existing store."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from linker.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "publications" / "publications.txt"
STORE = ROOT / "fixtures" / "registries"
SEED_STUDIES = json.loads((STORE / "ctgov" / "seed_batch.json").read_text())["studies"]


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("CTGOV", "ISRCTN", "EUCTR", "CTIS"):
        monkeypatch.delenv(f"TRIAL_LINKER_{name}_URL", raising=False)


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def kinds(out: str) -> dict[str, str]:
    return {a["requested_id"]: a["kind"] for a in json.loads(out)}


def test_lookup_of_any_single_recorded_identifier() -> None:
    for identifier in ("NCT01506986", "NCT05434195", "ISRCTN10134725", "ISRCTN12417565"):
        code, out, _ = run("lookup", identifier, "--replay", str(STORE), "--format", "json")
        assert (code, kinds(out)) == (0, {identifier: "found"})


def test_mixed_batch_recorded_ids_answered_new_ones_unverified() -> None:
    wanted = ["NCT01506986", "NCT12345678", "NCT99999999", "ISRCTN15036829", "ISRCTN11111111"]
    code, out, _ = run("lookup", *wanted, "--replay", str(STORE), "--format", "json")
    assert kinds(out) == {
        "NCT01506986": "found",
        "NCT12345678": "unverified",
        "NCT99999999": "not_found",  # its own recorded 404 is an answer
        "ISRCTN15036829": "found",
        "ISRCTN11111111": "unverified",
    }
    reasons = {a["requested_id"]: a.get("reason") for a in json.loads(out)}
    assert "not recorded" in reasons["NCT12345678"]
    assert code == 1  # NCT99999999 does not exist


def test_first_run_on_a_one_paper_subset_of_the_example(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    subset = tmp_path / "heat.txt"
    subset.write_text("".join(lines[13:15]), encoding="utf-8")  # the HEAT paper only
    code, out, err = run(
        "check", str(subset), "--replay", str(STORE), "--today", "2026-11-26", "--format", "json"
    )
    identifiers = [i for p in json.loads(out)["publications"] for i in p["identifiers"]]
    assert identifiers
    assert {i["outcome"] for i in identifiers} == {"found"}
    assert code == 0, err


class _Registry(BaseHTTPRequestHandler):
    """CT.gov stand-in: the seed studies by id, a plain-text 404 for any other single id."""

    sent: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        type(self).sent.append(self.path)
        if url.path.endswith("/studies"):
            ids = set(parse_qs(url.query)["filter.ids"][0].split("|"))
            studies = [
                s
                for s in SEED_STUDIES
                if s["protocolSection"]["identificationModule"]["nctId"] in ids
            ]
            self._send(200, "application/json", json.dumps({"studies": studies}))
        else:
            nct = url.path.rsplit("/", 1)[-1]
            self._send(404, "text/plain", f"NCT number {nct} not found")

    def _send(self, status: int, content_type: str, text: str) -> None:
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_ctgov() -> Iterator[str]:
    _Registry.sent = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    finally:
        server.shutdown()
        server.server_close()


def test_record_adds_to_an_existing_store(local_ctgov: str, tmp_path: Path) -> None:
    store = tmp_path / "answers"
    env = {"TRIAL_LINKER_CTGOV_URL": local_ctgov}
    code, _, _ = run("lookup", "NCT01506986", "NCT04273854", "--record", str(store), env=env)
    assert code == 0
    first = (store / "index.json").read_text()
    _Registry.sent.clear()

    # Already recorded: answered from the store, nothing sent.
    code, _, _ = run("lookup", "NCT04273854", "--record", str(store), "--format", "json", env=env)
    assert code == 0
    assert _Registry.sent == []

    # A new id is fetched and added; the old entries stay.
    code, out, _ = run(
        "lookup", "NCT01506986", "NCT05434195", "NCT12345678", "--record", str(store),
        "--format", "json", env=env,
    )  # fmt: skip
    assert kinds(out)["NCT12345678"] == "not_found"
    index = json.loads((store / "index.json").read_text())
    assert all(entry in index for entry in json.loads(first))
    assert index == sorted(index, key=lambda e: (e["path"], json.dumps(e["query"], sort_keys=True)))

    # Every one of them replays on its own, without the server.
    shutil.rmtree(tmp_path / "cache", ignore_errors=True)
    for identifier, kind in [
        ("NCT01506986", "found"),
        ("NCT04273854", "found"),
        ("NCT05434195", "found"),
        ("NCT12345678", "not_found"),
    ]:
        code, out, _ = run("lookup", identifier, "--replay", str(store), "--format", "json")
        assert kinds(out) == {identifier: kind}
