"""What registry records say about each other: the identifiers a record answers to, and how
to name a publication it lists."""

from __future__ import annotations

import re

from linker.registries.interface import RecordReference, RegistryRecord

_EUDRACT_CORE = re.compile(r"(\d{4}-\d{6}-\d{2})")
_EU_CT = re.compile(r"\d{4}-5\d{5}-\d{2}-\d{2}")


def canonical(identifier: str) -> str:
    """Identifier for comparison: upper case, no spaces; EudraCT numbers without country."""
    compact = re.sub(r"\s+", "", identifier).upper()
    compact = re.sub(r"^(EUDRACT|EUCTR)[:#-]?", "", compact)
    found = _EUDRACT_CORE.fullmatch(compact[:14]) if len(compact) >= 14 else None
    if found and not _EU_CT.fullmatch(compact):
        return found.group(1)
    return compact


def record_names(cited: str, record: RegistryRecord, current_id: str | None = None) -> set[str]:
    """Every identifier the cited trial answers to: the cited one, the record's own, the
    current id of an alias, and the EU CT number of a transitioned EudraCT trial."""
    names = (cited, record.id, current_id, record.transitioned_to)
    return {canonical(name) for name in names if name}


def lists(record: RegistryRecord, names: set[str]) -> bool:
    """Whether ``record`` lists any of ``names`` (a cross-reference, or its CTIS number)."""
    listed = {canonical(s.id) for s in record.secondary_ids}
    if record.transitioned_to:
        listed.add(canonical(record.transitioned_to))
    return bool(listed & names)


def describe(reference: RecordReference) -> str:
    return f"PMID {reference.pmid}" if reference.pmid else f"doi:{reference.doi}"
