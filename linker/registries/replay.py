"""Record registry exchanges to a directory, and answer from them later with no network.

``--record DIR`` wraps the real transport in :class:`RecordingTransport`; ``--replay DIR``
replaces it with :class:`ReplayTransport`. Both speak one directory layout, simple enough to
write by hand (``fixtures/registries/`` is such a directory)::

    DIR/index.json            a JSON list of entries, one per exchange
    DIR/ctgov/GET_studies_3f9a0c12d4.json   the response body, bytes as received

An entry::

    {
      "method": "GET",
      "path": "/api/v2/studies",
      "query": {"filter.ids": "NCT01506986|NCT04273854", "pageSize": "1000"},
      "body": null,
      "status": 200,
      "headers": {"content-type": "application/json"},
      "file": "ctgov/seed_batch.json",
      "note": "free text"
    }

- ``method``, ``path`` (percent-decoded, no host) and ``status`` are required; ``file`` is a path
  relative to DIR (omit it for an empty body); ``headers`` are the response headers that
  matter (``content-type``, ``location`` for redirects, ``retry-after``, paging headers);
  ``note`` is for people.
- ``query`` is matched as a subset: every parameter the entry names must be in the request
  with the same value; parameters the entry leaves out are ignored. Identifier lists compare
  as sets: ``filter.ids`` (and ``postFilter.ids``) split on ``|`` or ``,``; ISRCTN's ``q``
  split on ``OR``. A list value (``["a", "b"]``) stands for a repeated parameter.
- ``body`` is the JSON request body of a POST; null means "any body".
- The host is ignored, so base-URL overrides and mirrors replay the same store.
- When several entries match, the most specific (most query parameters, then a body) wins;
  among equals the first in the file.

A batch request with no entry of its own is answered from the records that recorded batch
answers hold (:mod:`linker.registries.replay_records`), so any subset of a recorded list replays.

A redirect is recorded as its own entry (status 301 and ``location``), then the request it
leads to, so an alias replays exactly. A request with no entry gets a synthetic status 599
with header ``x-trial-linker-replay: miss``; the HTTP layer turns it into an ``unverified``
outcome ("not recorded in the replay store"), never into an answer.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import httpx

from linker.errors import InputError
from linker.registries.http import REPLAY_MISS_HEADER
from linker.registries.replay_records import RecordIndex

INDEX = "index.json"
MISS_STATUS = 599
KEPT_HEADERS = (
    "content-type",
    "location",
    "retry-after",
    "x-next-page-token",
    "x-total-count",
)
_LIST_PARAMS: Mapping[str, re.Pattern[str]] = {
    "filter.ids": re.compile(r"[|,]"),
    "postFilter.ids": re.compile(r"[|,]"),
    "q": re.compile(r"\s+OR\s+"),
}
_API_PREFIX = re.compile(r"^(api|v\d+)$", re.I)  # left out of file names: no information
_EXTENSIONS = (("json", "json"), ("xml", "xml"), ("html", "html"), ("text/", "txt"))

QueryValue = str | list[str]


def request_query(request: httpx.Request) -> dict[str, QueryValue]:
    """The request's query as the index writes it (repeated parameters become lists)."""
    query: dict[str, QueryValue] = {}
    for name, value in request.url.params.multi_items():
        previous = query.get(name)
        if previous is None:
            query[name] = value
        elif isinstance(previous, list):
            previous.append(value)
        else:
            query[name] = [previous, value]
    return query


def request_body(request: httpx.Request) -> Any:
    """The request body as a JSON value (or text), None when empty."""
    content = request.content
    if not content:
        return None
    try:
        return json.loads(content)
    except ValueError:
        return content.decode("utf-8", errors="replace")


def _comparable(name: str, value: QueryValue) -> object:
    if isinstance(value, list):
        return sorted(value)
    splitter = _LIST_PARAMS.get(name)
    if splitter is not None:
        return frozenset(item.strip() for item in splitter.split(value) if item.strip())
    return value


def entry_matches(entry: Mapping[str, Any], request: httpx.Request) -> bool:
    if str(entry.get("method", "GET")).upper() != request.method.upper():
        return False
    if entry.get("path") != request.url.path:
        return False
    query = request_query(request)
    for name, expected in (entry.get("query") or {}).items():
        if name not in query or _comparable(name, expected) != _comparable(name, query[name]):
            return False
    expected_body = entry.get("body")
    return expected_body is None or expected_body == request_body(request)


def _specificity(entry: Mapping[str, Any]) -> int:
    return 2 * len(entry.get("query") or {}) + (entry.get("body") is not None)


class ReplayTransport(httpx.AsyncBaseTransport):
    """Answers every request from ``directory`` (see the module docstring); never sends one."""

    def __init__(self, directory: Path, entries: list[dict[str, Any]] | None = None) -> None:
        self.directory = directory
        self.entries = load_index(directory) if entries is None else entries
        self.records = RecordIndex(directory, self.entries)
        self.misses: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.answer(request)
        return answer if answer is not None else self._miss(request, "no entry")

    def answer(self, request: httpx.Request, *, complete: bool = False) -> httpx.Response | None:
        """The recorded answer: an entry for this request, else one made of the records the
        store holds for its identifiers (:mod:`linker.registries.replay_records`; with
        ``complete``, only when it holds an answer for every one of them)."""
        matching = [entry for entry in self.entries if entry_matches(entry, request)]
        if not matching:
            return self.records.answer(request, complete=complete)
        best = max(matching, key=_specificity)  # max keeps the first among equals
        body = b""
        if best.get("file"):
            try:
                body = (self.directory / str(best["file"])).read_bytes()
            except OSError as error:
                return self._miss(request, f"unreadable file {best['file']} ({error.strerror})")
        headers = {str(k).lower(): str(v) for k, v in (best.get("headers") or {}).items()}
        return httpx.Response(int(best["status"]), headers=headers, content=body, request=request)

    def _miss(self, request: httpx.Request, why: str) -> httpx.Response:
        described = f"{request.method} {request.url.path}?{request.url.query.decode()}"
        self.misses.append(described)
        return httpx.Response(
            MISS_STATUS,
            headers={REPLAY_MISS_HEADER: "miss", "content-type": "text/plain"},
            text=f"not in replay store {self.directory}: {why} for {described}",
            request=request,
        )


class RecordingTransport(httpx.AsyncBaseTransport):
    """Sends through ``inner`` and keeps every exchange in ``directory`` (index + body files).

    ``names`` maps a base URL to the folder its bodies go into
    (``https://clinicaltrials.gov/api/v2`` -> ``ctgov``; the longest matching base wins, so
    registries behind one mirror host still get their own folders); other requests use their
    host name. Recording into an existing store adds to it: a request the store already
    answers completely is answered from it and not sent; a new one is sent and recorded (the
    same request recorded again replaces its entry). The index is written sorted by path and
    query, one entry per exchange, so that it diffs well in version control.
    """

    def __init__(
        self,
        inner: httpx.AsyncBaseTransport,
        directory: Path,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.inner = inner
        self.directory = directory
        self.names = dict(names or {})
        directory.mkdir(parents=True, exist_ok=True)
        self.entries = load_index(directory) if (directory / INDEX).exists() else []
        self.store = ReplayTransport(directory, self.entries)
        self.sent = 0
        self._lock = asyncio.Lock()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        stored = self.store.answer(request, complete=True)
        if stored is not None and stored.headers.get(REPLAY_MISS_HEADER) != "miss":
            return stored
        self.sent += 1
        response = await self.inner.handle_async_request(request)
        try:
            body = await response.aread()  # decoded: the file holds what a reader sees
        finally:
            await response.aclose()
        headers = {
            name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
        }
        entry: dict[str, Any] = {
            "method": request.method,
            "path": request.url.path,
            "query": request_query(request),
            "body": request_body(request),
            "status": response.status_code,
            "headers": headers,
            "file": self._file_name(request, headers.get("content-type", "")) if body else None,
            "note": f"recorded from {request.url.host}",
        }
        async with self._lock:
            if entry["file"]:
                target = self.directory / entry["file"]
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(target, body)
            key = _entry_key(entry)
            self.entries = sorted(
                [e for e in self.entries if _entry_key(e) != key] + [entry], key=_sort_key
            )
            self.store.entries = self.entries
            self.store.records.reload(self.entries)
            text = json.dumps(self.entries, indent=2, ensure_ascii=False) + "\n"
            _write_atomically(self.directory / INDEX, text.encode("utf-8"))
        return httpx.Response(response.status_code, headers=headers, content=body, request=request)

    async def aclose(self) -> None:
        await self.inner.aclose()

    def _folder(self, request: httpx.Request) -> str:
        url = str(request.url)
        bases = [base for base in self.names if url.startswith(base)]
        if bases:
            return self.names[max(bases, key=len)]
        return re.sub(r"[^a-z0-9.-]", "_", request.url.host.lower()) or "host"

    def _file_name(self, request: httpx.Request, content_type: str) -> str:
        folder = self._folder(request)
        segments = [s for s in request.url.path.split("/") if s and not _API_PREFIX.match(s)]
        slug = re.sub(r"[^A-Za-z0-9.]+", "-", "-".join(segments)).strip("-")[:60] or "root"
        digest = hashlib.sha256(json.dumps(_entry_key_of(request)).encode()).hexdigest()[:10]
        extension = next((ext for marker, ext in _EXTENSIONS if marker in content_type), "bin")
        return f"{folder}/{request.method}_{slug}_{digest}.{extension}"


def _entry_key_of(request: httpx.Request) -> list[Any]:
    body = hashlib.sha256(request.content).hexdigest() if request.content else None
    return [request.method, request.url.path, sorted(request.url.params.multi_items()), body]


def _entry_key(entry: Mapping[str, Any]) -> str:
    return json.dumps(
        [entry.get("method"), entry.get("path"), entry.get("query"), entry.get("body")],
        sort_keys=True,
    )


def _sort_key(entry: Mapping[str, Any]) -> tuple[str, str, str]:
    """Index order: by path, then by query and body, so a re-recording diffs line by line."""
    rest = json.dumps([entry.get("query"), entry.get("body")], sort_keys=True)
    return (str(entry.get("path")), str(entry.get("method")), rest)


def load_index(directory: Path) -> list[dict[str, Any]]:
    """The entries of ``directory/index.json``; :class:`InputError` if unusable."""
    path = directory / INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "no replay index here (record one with --record)") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror}") from None
    except ValueError as error:
        raise InputError(str(path), f"not valid JSON: {error}") from None
    if isinstance(data, dict):
        data = data.get("entries")
    if not isinstance(data, list):
        raise InputError(str(path), "expected a JSON list of entries")
    for number, entry in enumerate(data, start=1):
        problem = _entry_problem(entry)
        if problem:
            raise InputError(str(path), f"entry {number}: {problem}")
    return data


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict):
        return "not an object"
    if not isinstance(entry.get("path"), str) or not entry["path"].startswith("/"):
        return '"path" must be a string starting with /'
    if not isinstance(entry.get("status"), int):
        return '"status" must be an integer'
    if not isinstance(entry.get("query") or {}, dict):
        return '"query" must be an object'
    if not isinstance(entry.get("headers") or {}, dict):
        return '"headers" must be an object'
    if entry.get("file") is not None and not isinstance(entry["file"], str):
        return '"file" must be a string path relative to the index'
    return None


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def folder_names(base_urls: Mapping[str, str]) -> dict[str, str]:
    """Folder names per base URL from ``{"ctgov": "https://clinicaltrials.gov/api/v2", ...}``."""
    return {url.rstrip("/") + "/": name for name, url in base_urls.items()}
