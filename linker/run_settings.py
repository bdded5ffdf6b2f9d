"""What every report says about how it was made (:class:`linker.results.RunSettings`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING

from linker.models import Registry
from linker.registries.settings import NETWORK_REGISTRIES
from linker.registries.snapshot import snapshot_parts
from linker.results import PublicationResult, RegistryMode, RegistryUse, RunSettings
from linker.rules.engine import expiry_note

if TYPE_CHECKING:
    from linker.pipeline import CheckOptions


def registry_mode(options: CheckOptions) -> RegistryMode:
    if not options.verify:
        return RegistryMode.NOT_ASKED
    if options.replay is not None:
        return RegistryMode.REPLAY
    if options.offline:
        return RegistryMode.CACHE if options.cache is not None else RegistryMode.OFFLINE
    return RegistryMode.RECORD if options.record is not None else RegistryMode.LIVE


def unused_suppressions(
    options: CheckOptions, publications: Sequence[PublicationResult]
) -> list[str]:
    """``[[suppress]]`` entries that accepted no finding (expired ones bring theirs back, so
    they count as used: the finding says the suppression expired)."""
    if not options.rules.suppressions:
        return []  # without reading every publication again
    used = {(f.selector, f.code) for p in publications for f in p.suppressed}
    expired_notes = [f.message for p in publications for f in p.findings]
    unused = []
    for suppression in options.rules.suppressions:
        if any((suppression.publication, code) in used for code in suppression.codes):
            continue
        if suppression.until is not None and any(
            note.endswith(expiry_note(suppression)) for note in expired_notes
        ):
            continue
        unused.append(f"{suppression.publication} ({', '.join(suppression.rules)})")
    return unused


def _registry_use(
    options: CheckOptions,
    registry: Registry,
    mode: RegistryMode,
    data_dates: Mapping[Registry, str],
) -> RegistryUse:
    source = snapshot_parts(options.snapshot).get(registry) if options.verify else None
    if source is not None:
        return RegistryUse(
            registry=registry, mode=RegistryMode.SNAPSHOT, data_date=source.data_date.isoformat()
        )
    return RegistryUse(
        registry=registry,
        mode=mode,
        base_url=options.registries.base_url(registry),
        data_date=data_dates.get(registry),
    )


def describe_run(
    options: CheckOptions,
    today: date,
    publications: Sequence[PublicationResult],
    data_dates: Mapping[Registry, str] | None = None,
) -> RunSettings:
    mode = registry_mode(options)
    return RunSettings(
        registries=[
            _registry_use(options, r, mode, data_dates or {})
            for r in sorted(NETWORK_REGISTRIES, key=lambda r: r.value)
        ],
        today=today,
        cache_dir=str(options.cache.directory) if options.cache is not None else None,
        replay=str(options.replay) if options.replay is not None else None,
        record=str(options.record) if options.record is not None else None,
        unused_suppressions=unused_suppressions(options, publications),
    )
