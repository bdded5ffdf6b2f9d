"""Benchmark: verifying many NCT ids through the Verifier against a naive one-request-per-id loop.

A local CT.gov-like server on 127.0.0.1 (a thread; it answers ``/api/v2/studies?filter.ids=``
and ``/api/v2/studies/{id}`` with a fixed added latency, and shuts itself down) stands in for
the registry, so nothing leaves the machine. Run once:

    python bench/verify.py            # 2,000 ids, 50 ms latency
    python bench/verify.py --ids 500 --latency 0.02 --no-polite

Rows: the naive client (plain httpx, sequential, ``GET /studies/{id}`` per id); the Verifier
with the real ``CtgovClient`` cold (empty cache) with pacing off; the same with the default
politeness (at most 1 request/s, 2 in flight); and warm (every answer from the cache).
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from linker.models import Registry  # noqa: E402
from linker.registries.cache import OutcomeCache  # noqa: E402
from linker.registries.interface import OutcomeKind  # noqa: E402
from linker.registries.settings import RegistrySettings  # noqa: E402
from linker.registries.verifier import Verifier, open_http  # noqa: E402

TEMPLATES = [
    ROOT / "fixtures/registries/ctgov/study_NCT06604689_fields.json",
    ROOT.parent / "shared/fixtures-real/ctgov/study_NCT06604689_fields.json",
]
FALLBACK_STUDY: dict[str, Any] = {
    "protocolSection": {
        "identificationModule": {"nctId": "NCT00000000", "briefTitle": "Benchmark study"},
        "statusModule": {"overallStatus": "COMPLETED"},
    },
    "hasResults": False,
}
SERVER_LIFETIME = 900.0  # seconds: the server stops by itself even if the bench is killed midway


def load_template() -> dict[str, Any]:
    for path in TEMPLATES:
        if path.exists():
            study: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return study
    return FALLBACK_STUDY


class FakeCtgov(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, existing: set[str], latency: float) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.existing = existing
        self.latency = latency
        self.template = load_template()
        self.requests = 0
        self._lock = threading.Lock()

    def count(self) -> None:
        with self._lock:
            self.requests += 1

    def study(self, nct_id: str) -> dict[str, Any]:
        study = copy.deepcopy(self.template)
        identification = study["protocolSection"]["identificationModule"]
        identification["nctId"] = nct_id
        identification.pop("nctIdAliases", None)
        return study

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/api/v2"


class _Handler(BaseHTTPRequestHandler):
    server: FakeCtgov
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body in two writes stall ~40 ms on keep-alive

    def do_GET(self) -> None:
        self.server.count()
        time.sleep(self.server.latency)
        url = urlsplit(self.path)
        query = {name: values[-1] for name, values in parse_qs(url.query).items()}
        if url.path == "/api/v2/studies":
            self._batch(query)
        elif url.path.startswith("/api/v2/studies/"):
            nct_id = url.path.rsplit("/", 1)[1].upper()
            if nct_id in self.server.existing:
                self._send(200, "application/json", json.dumps(self.server.study(nct_id)))
            else:
                self._send(404, "text/plain", f"NCT number {nct_id} not found")
        else:
            self._send(400, "text/plain", f"unknown path {url.path}")

    def _batch(self, query: dict[str, str]) -> None:
        ids = [i.strip().upper() for i in query.get("filter.ids", "").replace(",", "|").split("|")]
        hits = [i for i in ids if i in self.server.existing]
        size = min(int(query.get("pageSize") or 10), 1000)
        start = int(query.get("pageToken") or 0)
        page: dict[str, Any] = {
            "studies": [self.server.study(i) for i in hits[start : start + size]]
        }
        if start + size < len(hits):
            page["nextPageToken"] = str(start + size)
        self._send(200, "application/json", json.dumps(page))

    def _send(self, status: int, content_type: str, text: str) -> None:
        body = text.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def running(server: FakeCtgov) -> Iterator[FakeCtgov]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    watchdog = threading.Timer(SERVER_LIFETIME, server.shutdown)
    watchdog.daemon = True
    watchdog.start()
    try:
        yield server
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@dataclass
class Row:
    name: str
    requests: int
    seconds: float
    found: int
    not_found: int
    other: int


def naive(server: FakeCtgov, ids: list[str]) -> Row:
    before = server.requests
    kinds = {"found": 0, "not_found": 0, "other": 0}
    began = time.perf_counter()
    with httpx.Client(timeout=30) as client:
        for nct_id in ids:
            status = client.get(f"{server.base_url}/studies/{nct_id}").status_code
            kinds["found" if status == 200 else "not_found" if status == 404 else "other"] += 1
    return Row(
        "naive: 1 request per id, sequential",
        server.requests - before,
        time.perf_counter() - began,
        **kinds,
    )


async def with_verifier(
    name: str, server: FakeCtgov, ids: list[str], settings: RegistrySettings, cache_dir: Path
) -> Row:
    from linker.registries.ctgov import CtgovClient  # written by another helper

    before = server.requests
    began = time.perf_counter()
    with OutcomeCache(cache_dir) as cache:
        async with open_http(settings) as http:
            client = CtgovClient(http, settings.base_url(Registry.CTGOV))
            results = await Verifier({Registry.CTGOV: client}, cache).verify(
                (Registry.CTGOV, nct_id) for nct_id in ids
            )
    seconds = time.perf_counter() - began
    kinds = [outcome.kind for outcome in results.values()]
    found = sum(kind in (OutcomeKind.FOUND, OutcomeKind.ALIAS) for kind in kinds)
    not_found = kinds.count(OutcomeKind.NOT_FOUND)
    return Row(
        name, server.requests - before, seconds, found, not_found, len(kinds) - found - not_found
    )


def table(rows: list[Row], ids: int) -> str:
    baseline = rows[0]
    lines = [
        "| run | requests | requests/id | wall s | ids/s | vs naive (time) | found | not found "
        "| other |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        speedup = baseline.seconds / row.seconds if row.seconds else float("inf")
        lines.append(
            f"| {row.name} | {row.requests} | {row.requests / ids:.3f} | {row.seconds:.2f} "
            f"| {ids / row.seconds:,.0f} | {speedup:,.1f}x | {row.found} | {row.not_found} "
            f"| {row.other} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ids", type=int, default=2000, help="identifiers to verify (2000)")
    parser.add_argument("--latency", type=float, default=0.05, help="added per request, s (0.05)")
    parser.add_argument(
        "--missing-every", type=int, default=100, help="every Nth id does not exist (100)"
    )
    parser.add_argument(
        "--no-polite", action="store_true", help="skip the run with default pacing (1 request/s)"
    )
    options = parser.parse_args()

    ids = [f"NCT{n:08d}" for n in range(1_000_001, 1_000_001 + options.ids)]
    existing = {nct_id for n, nct_id in enumerate(ids, 1) if n % options.missing_every}
    unpaced = RegistrySettings().merged({"ctgov": {"min_interval": 0}})
    polite = RegistrySettings()
    with running(FakeCtgov(existing, options.latency)) as server:
        rows = [naive(server, ids)]
        with tempfile.TemporaryDirectory() as cache_dir:
            rows.append(
                asyncio.run(
                    with_verifier(
                        "Verifier cold, pacing off (2 in flight)",
                        server,
                        ids,
                        unpaced.merged({"ctgov": {"base_url": server.base_url}}),
                        Path(cache_dir),
                    )
                )
            )
            rows.append(
                asyncio.run(
                    with_verifier(
                        "Verifier warm (cache)",
                        server,
                        ids,
                        unpaced.merged({"ctgov": {"base_url": server.base_url}}),
                        Path(cache_dir),
                    )
                )
            )
        if not options.no_polite:
            with tempfile.TemporaryDirectory() as cache_dir:
                rows.append(
                    asyncio.run(
                        with_verifier(
                            "Verifier cold, default pacing (1 request/s, 2 in flight)",
                            server,
                            ids,
                            polite.merged({"ctgov": {"base_url": server.base_url}}),
                            Path(cache_dir),
                        )
                    )
                )
    print(
        f"{options.ids} NCT ids ({options.ids - len(existing)} absent), "
        f"{options.latency * 1000:.0f} ms added latency per request, local server 127.0.0.1\n"
    )
    print(table(rows, options.ids))


if __name__ == "__main__":
    main()
