"""Import an ISRCTN API answer of all trials (``/api/query/format/default?q=...&limit=N`` with
``limit`` at least the total count, saved to a file).

Streamed with ``iterparse`` (DTDs and entities refused), each ``fullTrial`` normalised by the
live client's :func:`~linker.registries.isrctn.parse_full_trial`. ISRCTN has no status field:
statuses are derived from the dates as of the snapshot's data date, which (unless given) is the
latest ``lastUpdated`` or ``dateAssigned`` in the file, found in a first, cheap pass. The
snapshot is complete (an absent id is not found) only when the file holds ``totalCount``
trials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from linker.errors import InputError
from linker.registries._parsing import MalformedResponse, parse_partial_date
from linker.registries.isrctn import NAMESPACE, parse_full_trial
from linker.snapshot.database import Writer
from linker.snapshot.outcomes import found

_NS = f"{{{NAMESPACE}}}"


def _events(path: Path) -> Iterator[tuple[str, Element]]:
    try:
        yield from SafeET.iterparse(str(path), events=("start", "end"), forbid_dtd=True)
    except (ParseError, defusedxml.DefusedXmlException) as error:
        raise InputError(str(path), f"not ISRCTN API XML ({error})") from None
    except OSError as error:
        raise InputError(str(path), f"cannot read: {error.strerror or error}") from None


def _trials(path: Path, on_total: Callable[[int], None]) -> Iterator[Element]:
    """Every ``fullTrial`` element (cleared once used); ``on_total`` gets ``totalCount``."""
    root = True
    for event, element in _events(path):
        if root:
            if element.tag != f"{_NS}allTrials":
                raise InputError(str(path), f"root <{element.tag}>, not ISRCTN's allTrials")
            total = (element.get("totalCount") or "").strip()
            if not total.isdigit():
                raise InputError(str(path), "allTrials without a totalCount")
            on_total(int(total))
            root = False
        elif event == "end" and element.tag == f"{_NS}fullTrial":
            yield element
            element.clear()


def _latest(trial: Element) -> date | None:
    body = trial.find(f"{_NS}trial")
    if body is None:
        return None
    number = body.find(f"{_NS}isrctn")
    values = [body.get("lastUpdated"), number.get("dateAssigned") if number is not None else None]
    days = [p.last_day() for v in values if (p := parse_partial_date(v)) is not None]
    return max(days, default=None)


def import_isrctn_xml(path: Path, writer: Writer) -> None:
    """Import the file; the snapshot is complete only when it holds every trial."""
    totals: list[int] = []
    if not writer.fixed_date:
        for trial in _trials(path, totals.append):
            writer.saw_date(_latest(trial))
    if writer.data_date is None:
        raise InputError(str(path), "no trial carries a date: give --date YYYY-MM-DD")
    totals.clear()
    for trial in _trials(path, totals.append):
        try:
            record = parse_full_trial(trial, today=writer.data_date)
        except MalformedResponse as error:
            raise InputError(str(path), error.reason) from None
        writer.add(record.id, found(record))
    if not totals:
        raise InputError(str(path), "no allTrials element: not an ISRCTN API answer")
    writer.complete = writer.records >= totals[0]
