"""The run settings and the accepted findings as every human-readable report shows them."""

from __future__ import annotations

from collections import Counter

from linker.results import AcceptedBy, RegistryUse, RunResult, RunSettings, SuppressedFinding


def _registry(use: RegistryUse) -> str:
    text = f"{use.registry.value} {use.mode.value}"
    return f"{text} (data of {use.data_date})" if use.data_date else text


def settings_rows(settings: RunSettings | None) -> list[tuple[str, str]]:
    """(label, value) pairs, in the order reports list them; empty for an old result."""
    if settings is None:
        return []
    modes = Counter(use.mode for use in settings.registries)
    if len(modes) == 1 and not any(use.data_date for use in settings.registries):
        registries = next(iter(modes)).value
    else:
        registries = ", ".join(_registry(use) for use in settings.registries)
    rows = [("Registries", registries)]
    if settings.replay:
        rows.append(("Replay store", settings.replay))
    if settings.record:
        rows.append(("Recorded into", settings.record))
    if settings.cache_dir:
        rows.append(("Cache", settings.cache_dir))
    rows += [
        (
            "Fail on",
            settings.fail_on.value + (", unverified allowed" if settings.allow_unverified else ""),
        ),
        ("Today", settings.today.isoformat()),
        ("Configuration", settings.config_file or "none"),
        ("Baseline", settings.baseline or "none"),
    ]
    if settings.unused_suppressions:
        rows.append(("Unused suppressions", "; ".join(settings.unused_suppressions)))
    return rows


def accepted_because(finding: SuppressedFinding) -> str:
    """Why a finding is accepted, in a few words."""
    if finding.suppressed_by is AcceptedBy.BASELINE:
        return f"baseline {finding.baseline}" if finding.baseline else "baseline"
    until = f", until {finding.until}" if finding.until else ""
    return f"suppressed{until}: {finding.reason}"


def accepted_summary(result: RunResult) -> str:
    """``3 accepted findings (2 suppressed, 1 in the baseline)``; empty when there are none."""
    kinds = Counter(f.suppressed_by for p in result.publications for f in p.suppressed)
    total = kinds.total()
    if not total:
        return ""
    parts = []
    if kinds[AcceptedBy.SUPPRESSION]:
        parts.append(f"{kinds[AcceptedBy.SUPPRESSION]} suppressed")
    if kinds[AcceptedBy.BASELINE]:
        parts.append(f"{kinds[AcceptedBy.BASELINE]} in the baseline")
    noun = "finding" if total == 1 else "findings"
    return f"{total} accepted {noun} ({', '.join(parts)})"
