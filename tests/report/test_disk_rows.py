"""Rows kept on disk: in the order written (``extract``'s spool) or sorted by key."""

from __future__ import annotations

import io

from linker.report.disk_rows import DiskOrder, RowSpool, cell


def _copied(spool: RowSpool) -> str:
    stream = io.StringIO()
    spool.copy_to(stream)
    return stream.getvalue()


def test_row_spool_writes_json_lines_in_order_and_takes_a_file_back() -> None:
    with RowSpool("jsonl", ("id", "line")) as spool:
        spool.write_row({"id": "NCT01506986", "line": 1, "other": "dropped"})
        spool.start_file()
        spool.write_row({"id": "ISRCTN13790648", "line": 2})
        spool.forget_file()
        spool.write_row({"id": "é", "line": 3})
        assert _copied(spool) == ('{"id":"NCT01506986","line":1}\n{"id":"é","line":3}\n')


def test_row_spool_writes_csv_with_a_header_and_joined_lists() -> None:
    with RowSpool("csv", ("id", "roles")) as spool:
        spool.write_row({"id": "=cmd", "roles": ["a", "b"]})
        assert _copied(spool) == "id,roles\n'=cmd,a; b\n"


def test_cell_keeps_scalars_and_joins_lists() -> None:
    assert cell(["x", 1]) == "x; 1"
    assert cell(None) is None and cell(3) == 3 and cell(True) is True
    assert cell(object) == str(object)


def test_disk_order_reads_back_by_key_ties_in_the_order_added() -> None:
    with DiskOrder() as order:
        order.add(("b.txt", 1, "TL101"), "third")
        order.add(("a.txt", 10, "TL101"), "second")
        order.add(("a.txt", 2, "TL200"), "first")
        order.add(("b.txt", 1, "TL101"), "fourth")
        assert order.count == 4
        assert list(order) == ["first", "second", "third", "fourth"]
