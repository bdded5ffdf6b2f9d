"""Import a recorded store (``--record DIR``) as one registry's part of a snapshot.

The store is replayed through the registry's own live client, for every identifier of that
registry the recorded requests name, so each answer is exactly the outcome a ``--replay`` run
gives. Only answers are kept (``unverified`` ones are dropped: the store could not answer).
A store holds what was asked, not the whole registry: the snapshot is *incomplete*, so an id
the store lacks falls through to the cache or the live registry. A store carries no date of
its own: ``--date`` (the day it was recorded) is required.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from linker.extract.identifiers import find_identifiers
from linker.models import Registry
from linker.registries.interface import OutcomeKind
from linker.registries.replay import load_index
from linker.registries.verifier import verify_sync
from linker.snapshot.database import Writer

_NOT_ANSWERS = frozenset({OutcomeKind.UNVERIFIED, OutcomeKind.UNSUPPORTED})


def _request_text(entry: dict[str, Any]) -> str:
    query = entry.get("query") or {}
    parts = [str(entry.get("path", "")), json.dumps(query), json.dumps(entry.get("body"))]
    return " ".join(parts)


def requested_ids(store: Path, registry: Registry) -> list[str]:
    """Every well-formed id of ``registry`` that a recorded request names, sorted."""
    found: set[str] = set()
    for entry in load_index(store):
        for item in find_identifiers(_request_text(entry)):
            if item.registry is registry and item.valid_format:
                found.add(item.id)
    return sorted(found)


def import_store(store: Path, registry: Registry, writer: Writer) -> list[str]:
    """Store the replayed answers of ``registry``; the ids the store could not answer."""
    if writer.data_date is None:
        raise ValueError("a recorded store needs its date fixed first")
    ids = requested_ids(store, registry)
    outcomes = verify_sync([(registry, i) for i in ids], replay=store, today=writer.data_date)
    unanswered: list[str] = []
    for (_, identifier), outcome in outcomes.items():
        if outcome.kind in _NOT_ANSWERS:
            unanswered.append(identifier)
            continue
        if outcome.record is not None:
            outcome = outcome.model_copy(
                update={
                    "record": outcome.record.model_copy(
                        update={"retrieved_at": None, "retrieved_from": None}
                    )
                }
            )
        writer.add(identifier, outcome, record=outcome.kind is OutcomeKind.FOUND)
    return unanswered
