"""Per-identifier answers from a replay store: recorded batch answers split into records.

A batch request (CT.gov ``GET /studies?filter.ids=A|B``, ISRCTN ``GET /api/query/format/default
?q=A OR B``) is answered from whatever recorded answers hold records of its identifiers, so a
store recorded for one list also answers any subset of it, a single ``lookup``, or a batch that
mixes recorded and new identifiers. The answer holds the records the store has; identifiers it
has none for are absent from it, so the client asks about each of them on its own, and that
request, unless recorded (a recorded 404 or ``totalCount="0"`` stays an answer), is a miss:
*unverified*, never *not found*. A request none of whose identifiers the store knows is a miss.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from lxml import etree

from linker.registries._parsing import MalformedResponse
from linker.registries.ctgov import study_ids
from linker.registries.isrctn import NAMESPACE

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)

Records = dict[str, bytes]
"""Identifier -> one record, serialised as its registry writes it."""


@dataclass(frozen=True)
class BatchShape:
    """How one registry's batch endpoint lists identifiers and holds records."""

    name: str
    path_suffix: str
    param: str
    separator: re.Pattern[str]
    split: Callable[[bytes], Records]
    join: Callable[[Sequence[bytes]], tuple[bytes, str]]  # body, content type
    single_path: re.Pattern[str] | None = None  # a one-record endpoint whose answers also count

    def ids_of(self, request: httpx.Request) -> list[str] | None:
        if not request.url.path.endswith(self.path_suffix):
            return None
        value = request.url.params.get(self.param)
        if value is None:
            return None
        return [part.strip().upper() for part in self.separator.split(value) if part.strip()]


def _split_ctgov(body: bytes) -> Records:
    document = json.loads(body)
    studies = document.get("studies") if isinstance(document, dict) else None
    if not isinstance(studies, list):
        studies = [document] if isinstance(document, dict) else []  # a single-study answer
    records: Records = {}
    for study in studies:
        if not isinstance(study, dict):
            continue
        try:
            current, aliases = study_ids(study)
        except MalformedResponse:
            continue
        text = json.dumps(study, ensure_ascii=False).encode("utf-8")
        for key in (current, *aliases):
            records.setdefault(key, text)
    return records


def _join_ctgov(records: Sequence[bytes]) -> tuple[bytes, str]:
    studies = [json.loads(record) for record in records]
    body = json.dumps({"studies": studies}, indent=2, ensure_ascii=False).encode("utf-8")
    return body, "application/json"


def _split_isrctn(body: bytes) -> Records:
    root = etree.fromstring(body, _XML_PARSER)
    records: Records = {}
    for trial in root.findall(f"{{{NAMESPACE}}}fullTrial"):
        digits = trial.findtext(f"{{{NAMESPACE}}}trial/{{{NAMESPACE}}}isrctn") or ""
        if re.fullmatch(r"\s*\d{8}\s*", digits):
            text = etree.tostring(trial, encoding="utf-8", with_tail=False)
            records.setdefault(f"ISRCTN{digits.strip()}", text)
    return records


def _join_isrctn(records: Sequence[bytes]) -> tuple[bytes, str]:
    head = f'<allTrials xmlns="{NAMESPACE}" totalCount="{len(records)}">\n'.encode()
    body = head + b"".join(b"  " + record + b"\n" for record in records) + b"</allTrials>\n"
    return body, "application/xml;charset=UTF-8"


SHAPES: tuple[BatchShape, ...] = (
    BatchShape(
        "ctgov",
        "/studies",
        "filter.ids",
        re.compile(r"[|,]"),
        _split_ctgov,
        _join_ctgov,
        single_path=re.compile(r"/studies/(NCT\d{8})$", re.I),
    ),
    BatchShape(
        "isrctn",
        "/api/query/format/default",
        "q",
        re.compile(r"\s+OR\s+"),
        _split_isrctn,
        _join_isrctn,
    ),
)


@dataclass
class RecordIndex:
    """The records of one store, per batch shape, read on first use."""

    directory: Path
    entries: Sequence[Mapping[str, Any]]
    _records: dict[str, Records] = field(default_factory=dict)
    _answered: dict[str, set[str]] = field(default_factory=dict)

    _files: dict[str, Records] = field(default_factory=dict)

    def answer(self, request: httpx.Request, *, complete: bool = False) -> httpx.Response | None:
        """The synthesised batch answer, or None when the store knows none of its ids (with
        ``complete``: when it does not know all of them)."""
        for shape in SHAPES:
            wanted = shape.ids_of(request)
            if wanted is None:
                continue
            records, answered = self._load(shape)
            known = [i in records or i in answered for i in wanted]
            if not (all(known) if complete else any(known)):
                return None
            found = list(dict.fromkeys(records[i] for i in wanted if i in records))
            body, content_type = shape.join(found)
            return httpx.Response(
                200, headers={"content-type": content_type}, content=body, request=request
            )
        return None

    def reload(self, entries: Sequence[Mapping[str, Any]]) -> None:
        """Use ``entries`` from now on (files already split are not read again)."""
        self.entries = entries
        self._records.clear()
        self._answered.clear()

    def _load(self, shape: BatchShape) -> tuple[Records, set[str]]:
        if shape.name not in self._records:
            records: Records = {}
            answered: set[str] = set()  # ids with a recorded answer of their own (e.g. a 404)
            for entry in self.entries:
                path = str(entry.get("path", ""))
                single = shape.single_path.search(path) if shape.single_path else None
                ids = _entry_ids(shape, entry)
                if single is not None:
                    answered.add(single.group(1).upper())
                elif ids is None:
                    continue
                elif len(ids) == 1:
                    answered.update(ids)
                if int(entry.get("status", 0)) == 200 and entry.get("file"):
                    records.update(
                        {k: v for k, v in self._split(shape, entry).items() if k not in records}
                    )
            self._records[shape.name], self._answered[shape.name] = records, answered
        return self._records[shape.name], self._answered[shape.name]

    def _split(self, shape: BatchShape, entry: Mapping[str, Any]) -> Records:
        name = str(entry["file"])
        if name not in self._files:
            try:
                self._files[name] = shape.split((self.directory / name).read_bytes())
            except (OSError, ValueError, etree.XMLSyntaxError):
                self._files[name] = {}  # an unreadable recording answers nothing: a miss
        return self._files[name]


def _entry_ids(shape: BatchShape, entry: Mapping[str, Any]) -> list[str] | None:
    if str(entry.get("method", "GET")).upper() != "GET":
        return None
    if not str(entry.get("path", "")).endswith(shape.path_suffix):
        return None
    value = (entry.get("query") or {}).get(shape.param)
    if not isinstance(value, str):
        return None
    return [part.strip().upper() for part in shape.separator.split(value) if part.strip()]
