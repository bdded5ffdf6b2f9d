"""Baselines: accept today's findings so that CI fails only on new ones.

The file is JSON: the fingerprints that matter, plus code, name, publication and identifier
so that a person can read what was accepted.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from collections.abc import Container, Iterable, Iterator, Sequence
from pathlib import Path

from linker.errors import ConfigError
from linker.limits import MAX_BASELINE_SIZE, TooLarge, read_file_capped
from linker.results import AcceptedBy, Finding, PublicationResult, SuppressedFinding

BASELINE_VERSION = 1


def write_baseline(path: Path | str, findings: Iterable[Finding]) -> None:
    """One entry per fingerprint (the last finding's fields, the first one's place), sorted by
    publication and code. The entries go through a temporary SQLite file, so a run with any
    number of findings writes its baseline in bounded memory."""
    with tempfile.TemporaryDirectory(prefix="trial-linker-") as folder:
        entries = sqlite3.connect(Path(folder) / "baseline.sqlite3")
        try:
            _collect(entries, findings)
            try:
                with Path(path).open("w", encoding="utf-8") as out:
                    out.writelines(_baseline_text(entries))
            except OSError as error:
                raise ConfigError(f"{path}: cannot write baseline: {error.strerror}") from error
        finally:
            entries.close()


def _collect(entries: sqlite3.Connection, findings: Iterable[Finding]) -> None:
    entries.execute(
        "CREATE TABLE entry (fingerprint TEXT PRIMARY KEY, publication TEXT, code TEXT,"
        " body TEXT, seen INTEGER)"
    )
    for seen, finding in enumerate(findings):
        body = {
            "fingerprint": finding.fingerprint,
            "code": finding.code,
            "name": finding.name,
            "publication": finding.publication,
            "identifier": finding.identifier,
        }
        entries.execute(
            "INSERT INTO entry VALUES (?, ?, ?, ?, ?) ON CONFLICT (fingerprint) DO UPDATE SET"
            " publication = excluded.publication, code = excluded.code, body = excluded.body",
            (finding.fingerprint, finding.publication or "", finding.code, json.dumps(body), seen),
        )


def _baseline_text(entries: sqlite3.Connection) -> Iterator[str]:
    head = {"version": BASELINE_VERSION, "tool": "trial-linker", "findings": _PLACEHOLDER}
    before, after = json.dumps(head, indent=2).split(json.dumps(_PLACEHOLDER), 1)
    rows = entries.execute("SELECT body FROM entry ORDER BY publication, code, seen")
    yield before
    separator = "["
    for (body,) in rows:
        text = json.dumps(json.loads(body), indent=2).replace("\n", "\n    ")
        yield separator + "\n    " + text
        separator = ","
    yield ("[]" if separator == "[" else "\n  ]") + after + "\n"


_PLACEHOLDER = "\x00findings\x00"


class _EveryFinding(Container[str]):
    def __contains__(self, fingerprint: object) -> bool:
        return True


#: What a run that writes its baseline accepts: every finding it has.
EVERY_FINDING: Container[str] = _EveryFinding()


def load_baseline(path: Path | str) -> set[str]:
    """The accepted fingerprints; ConfigError (one line) for a missing or malformed file."""
    try:
        data = read_file_capped(Path(path), MAX_BASELINE_SIZE, "the baseline")
        document = json.loads(data.decode("utf-8"))
    except TooLarge as error:
        raise ConfigError(f"{path}: {error}") from error
    except RecursionError as error:
        raise ConfigError(f"{path}: baseline is not valid JSON (nested too deeply)") from error
    except FileNotFoundError as error:
        raise ConfigError(f"{path}: baseline file not found") from error
    except OSError as error:
        raise ConfigError(f"{path}: cannot read baseline: {error.strerror}") from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: baseline is not valid JSON ({error})") from error
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise ConfigError(f"{path}: not a trial-linker baseline (no 'findings' list)")
    if document.get("version") != BASELINE_VERSION:
        raise ConfigError(f"{path}: unsupported baseline version {document.get('version')!r}")
    fingerprints: set[str] = set()
    for index, entry in enumerate(document["findings"], start=1):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not value:
            raise ConfigError(f"{path}: baseline entry {index} has no fingerprint")
        fingerprints.add(value)
    return fingerprints


def apply_baseline(
    results: Sequence[PublicationResult],
    fingerprints: Container[str],
    source: str | None = None,
) -> list[PublicationResult]:
    """Copies of ``results`` with the findings the baseline (file ``source``) accepts moved
    from ``findings`` to ``suppressed``."""
    return [
        result.model_copy(
            update={
                "findings": [f for f in result.findings if f.fingerprint not in fingerprints],
                "suppressed": result.suppressed
                + [
                    SuppressedFinding(
                        **f.model_dump(), suppressed_by=AcceptedBy.BASELINE, baseline=source
                    )
                    for f in result.findings
                    if f.fingerprint in fingerprints
                ],
            }
        )
        for result in results
    ]
