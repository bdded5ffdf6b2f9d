"""retrospective-registration: the trial's earliest registration, in any registry, against its
start (docs/verdicts.md).

The registrations a paper cites for one trial are grouped: two cited records are one trial when
one lists the other (a cross-reference, a CTIS transition) or when they are in different
registries and both match the paper. The group's earliest registration date is compared with
the latest start date its records give; partial dates count by their first and last day, and a
registration in the month the trial started counts as prospective. So the rule fires only when
the trial was certainly registered after it started.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from datetime import date

from linker.models import Mention
from linker.registries.interface import PartialDate, RegistryRecord
from linker.results import Verdict
from linker.rules.hit import Hit
from linker.rules.references import lists, record_names

Entry = tuple[Mention, RegistryRecord]
LINKED = frozenset({Verdict.MATCH, Verdict.WEAK})


def _end_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def certainly_after(registered: PartialDate, started: PartialDate) -> bool:
    """Registered after the end of the month in which the trial can at the latest have
    started."""
    return registered.first_day() > _end_of_month(started.last_day())


def one_trial(first: Entry, second: Entry, linked: set[str]) -> bool:
    if lists(first[1], record_names(second[0].id, second[1])) or lists(
        second[1], record_names(first[0].id, first[1])
    ):
        return True
    different = first[0].registry is not second[0].registry
    return different and first[0].id in linked and second[0].id in linked


def trial_groups(entries: Sequence[Entry], linked: set[str]) -> list[list[Entry]]:
    """Connected groups of ``entries`` (in order); ``linked`` are the ids matching the paper."""
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, first in enumerate(entries):
        for j in range(i + 1, len(entries)):
            if one_trial(first, entries[j], linked):
                parent[root(j)] = root(i)
    groups: dict[int, list[Entry]] = {}
    for i, entry in enumerate(entries):
        groups.setdefault(root(i), []).append(entry)
    return list(groups.values())


def _registered(record: RegistryRecord) -> str:
    assert record.registration_date is not None
    value, basis = record.registration_date.value, record.registration_basis
    if basis and "lower bound" in basis:
        return f"registered in {value} at the earliest ({basis})"
    return f"registered on {value}" + (f" ({basis})" if basis else "")


def retrospective_hits(entries: Sequence[Entry], linked: set[str]) -> Iterator[Hit]:
    for group in trial_groups(entries, linked):
        dated = [(m, r) for m, r in group if r.registration_date is not None]
        starts = [(m, r) for m, r in group if r.start_date is not None]
        if not dated or not starts:
            continue
        mention, record = min(dated, key=lambda e: _first_day(e[1].registration_date))
        start_mention, start_record = max(starts, key=lambda e: _last_day(e[1].start_date))
        assert record.registration_date is not None and start_record.start_date is not None
        if not certainly_after(record.registration_date, start_record.start_date):
            continue
        earliest = f", the earliest of its {len(dated)} registrations" if len(dated) > 1 else ""
        source = f" per {start_mention.id}" if len(starts) > 1 or start_mention != mention else ""
        yield Hit(
            "TL302",
            f"{mention.id} was {_registered(record)}{earliest}, after the trial started "
            f"({start_record.start_date.value}{source}): say so in the paper and explain why",
            mention,
        )


def _first_day(value: PartialDate | None) -> date:
    return value.first_day() if value is not None else date.max


def _last_day(value: PartialDate | None) -> date:
    return value.last_day() if value is not None else date.min
