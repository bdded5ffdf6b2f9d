"""`--record DIR` against a local stand-in registry, then `--replay DIR` with it gone."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
SEED_BATCH = ROOT / "fixtures" / "registries" / "ctgov" / "seed_batch.json"
SEED_NCTS = ["NCT01506986", "NCT04273854", "NCT04285021", "NCT05434195"]


class _Ctgov(BaseHTTPRequestHandler):
    """Answers any /api/v2/studies request with the four seed studies."""

    def do_GET(self) -> None:
        body = SEED_BATCH.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def local_ctgov() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ctgov)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/v2"
    finally:
        server.shutdown()
        server.server_close()


def lookup(*args: str, env: dict[str, str]) -> tuple[int, list[dict[str, object]]]:
    result = CliRunner().invoke(cli, ["lookup", *SEED_NCTS, "--format", "json", *args], env=env)
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else []


def test_record_then_replay_without_the_server(local_ctgov: str, tmp_path: Path) -> None:
    store = tmp_path / "store"
    env = {"TRIAL_LINKER_CTGOV_URL": local_ctgov, "TRIAL_LINKER_CACHE_DIR": str(tmp_path / "c")}
    code, recorded = lookup("--record", str(store), env=env)
    assert code == 0
    assert {a["kind"] for a in recorded} == {"found"}
    index = json.loads((store / "index.json").read_text())
    assert index
    assert all((store / entry["file"]).is_file() for entry in index if "file" in entry)

    code, replayed = lookup("--replay", str(store), env={"TRIAL_LINKER_CACHE_DIR": str(tmp_path)})
    assert code == 0
    assert [comparable(a) for a in replayed] == [comparable(a) for a in recorded]


def comparable(answer: dict[str, object]) -> dict[str, object]:
    """The answer without when and from which host it was fetched."""
    record = dict(answer["record"])  # type: ignore[call-overload]
    del record["retrieved_at"], record["retrieved_from"]
    return {**answer, "record": record}
