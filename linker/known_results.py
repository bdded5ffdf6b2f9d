"""What a rerun already knows of a publication's evaluation: the result the same evidence got
from the same code, rule settings and day, kept as the spool holds it (JSON).

A publication's result is a function of its evidence (the publication as read, hence its
mentions and classification; the outcomes of its identifiers; the registry search answers for
its trials), of the rule settings and of the date judged at. The key digests all of them under
a fingerprint of the whole package (:func:`~linker.extract.analysis_cache.package_fingerprint`),
so any change of code, settings, answers or day gives another key. Two kinds of run keep no
results: runs with suppressions (whether one applies depends on files on disk, resolved at run
time) and runs completing records from PubMed (their evidence carries more than this covers).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date

from linker.extract.analysis_cache import AnalysisCache, package_fingerprint
from linker.rules.engine import PublicationEvidence
from linker.rules.settings import RuleSettings


class KnownResults:
    """Results stored by earlier runs of the same settings, in ``store``."""

    def __init__(self, store: AnalysisCache, rules: RuleSettings, today: date) -> None:
        self.store = store
        run = hashlib.blake2b(key=package_fingerprint()[:32])
        run.update(rules.model_dump_json().encode() + b"\0" + today.isoformat().encode())
        self._run = run.digest()

    @classmethod
    def usable(
        cls, store: AnalysisCache | None, rules: RuleSettings, today: date, *, enriched: bool
    ) -> KnownResults | None:
        if store is None or rules.suppressions or enriched:
            return None
        return cls(store, rules, today)

    def key(self, analysis_digest: bytes, evidence: PublicationEvidence) -> bytes | None:
        """The key of ``evidence``'s result; None when it holds what no key covers."""
        if evidence.matches or evidence.paper is not None:
            return None
        digest = hashlib.blake2b(self._run + analysis_digest)
        for (registry, identifier), outcome in sorted(evidence.outcomes.items()):
            digest.update(f"\0{registry.value}\0{identifier}\0".encode())
            # Whether it came from the cache is no evidence (no rule reads it): a rerun of a
            # run that asked the registries finds that run's results.
            digest.update(outcome.model_dump_json(exclude={"from_cache"}).encode())
        for query, records in evidence.candidates.items():
            digest.update(b"\0" + repr(query).encode())
            for record in records:
                digest.update(b"\0" + record.model_dump_json().encode())
        return digest.digest()

    def get(self, keys: Sequence[bytes | None]) -> dict[bytes, bytes]:
        """The stored results (JSON) among ``keys``; a damaged entry is left out."""
        stored = self.store.known_results([key for key in keys if key is not None])
        return {
            key: value[_CHECK:]
            for key, value in stored.items()
            if value[:_CHECK] == _check(value[_CHECK:])
        }

    def put(self, entries: Sequence[tuple[bytes, bytes]]) -> None:
        self.store.store_results([(key, _check(value) + value) for key, value in entries])


_CHECK = 16  # bytes of digest before each stored result: the spool never gets a damaged one


def _check(value: bytes) -> bytes:
    return hashlib.blake2b(value, digest_size=_CHECK).digest()
