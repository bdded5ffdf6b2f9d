"""Partial registry dates keep their precision; their first and last possible days."""

from __future__ import annotations

from datetime import date

import pytest

from linker.registries.interface import PartialDate


@pytest.mark.parametrize(
    ("value", "precision", "first", "last"),
    [
        ("2013", "year", date(2013, 1, 1), date(2013, 12, 31)),
        ("2013-08", "month", date(2013, 8, 1), date(2013, 8, 31)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2013-08-14", "day", date(2013, 8, 14), date(2013, 8, 14)),
    ],
)
def test_first_and_last_day(value: str, precision: str, first: date, last: date) -> None:
    partial = PartialDate(value=value)
    assert partial.precision == precision
    assert (partial.first_day(), partial.last_day()) == (first, last)
