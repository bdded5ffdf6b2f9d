"""Baselines: accept today's findings so that CI fails only on new ones.

The file is JSON: the fingerprints that matter, plus code, name, publication and identifier
so that a person can read what was accepted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from linker.errors import ConfigError
from linker.limits import MAX_BASELINE_SIZE, TooLarge, read_file_capped
from linker.results import AcceptedBy, Finding, PublicationResult, SuppressedFinding

BASELINE_VERSION = 1


def write_baseline(path: Path | str, findings: Iterable[Finding]) -> None:
    entries = {
        f.fingerprint: {
            "fingerprint": f.fingerprint,
            "code": f.code,
            "name": f.name,
            "publication": f.publication,
            "identifier": f.identifier,
        }
        for f in findings
    }
    document = {
        "version": BASELINE_VERSION,
        "tool": "trial-linker",
        "findings": sorted(entries.values(), key=lambda e: (e["publication"] or "", e["code"])),
    }
    try:
        Path(path).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot write baseline: {error.strerror}") from error


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
    results: Sequence[PublicationResult], fingerprints: set[str], source: str | None = None
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
