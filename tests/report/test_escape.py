"""The escaping policy, one function per output kind."""

from __future__ import annotations

import csv
import io
import re

import pytest

from linker.report.escape import csv_cell, csv_line, markdown_text, terminal, xml_text


@pytest.mark.parametrize("dangerous", ["=1+1", "+1", "-1", "@SUM(1+1)", "\tx", "\rx"])
def test_formula_prefixes_are_neutralised(dangerous: str) -> None:
    assert csv_cell(dangerous) == "'" + dangerous


def test_bare_cr_is_quoted_so_no_new_row_starts() -> None:
    line = csv_line(["a\r=cmd|' /C calc'!A0", "b"])
    assert list(csv.reader(io.StringIO(line, newline=""))) == [["a\r=cmd|' /C calc'!A0", "b"]]


def test_csv_round_trip_of_quotes_commas_and_newlines() -> None:
    cells = ['say "hi"', "a,b", "x\ny", "", None, 3, True]
    [row] = csv.reader(io.StringIO(csv_line(cells), newline=""))
    assert row == ['say "hi"', "a,b", "x\ny", "", "", "3", "true"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nb", "a\\nb"),
        ("a\rb", "a\\rb"),
        ("a\x85b", "a\\x85b"),
        ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
        ("\x1b[31mred", "\\x1b[31mred"),
        ("::add-mask::secret", "\\::add-mask::secret"),
        ("  ::error ::x", "  \\::error ::x"),
        ("a::b", "a::b"),
        ("x\n::error::y", "x\\n::error::y"),
    ],
)
def test_terminal_text_is_one_safe_line(text: str, shown: str) -> None:
    assert terminal(text) == shown


def test_markdown_drops_controls() -> None:
    assert markdown_text("a\x1b[1m b\x00\n c\u2028") == "a[1m b c"


def test_xml_replaces_what_xml_cannot_carry() -> None:
    assert xml_text("a\x00b\x1bc\ufffe") == "a\ufffdb\ufffdc\ufffd"


def test_xml_replaces_exactly_the_characters_outside_xml_1_0() -> None:
    allowed = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    for code in range(0x110000):
        char = chr(code)
        assert (xml_text(char) != char) is (allowed.fullmatch(char) is None), hex(code)
