"""One escaping policy per output kind, applied here and nowhere else.

Text from the input (titles, keys, file names) and from registries reaches every output, so
each kind of output gets one function that makes any string safe for it:

- CSV (:func:`csv_line`): a field holding a comma, quote, CR or LF is quoted (``csv`` quotes
  only the line terminator's characters, so a bare CR was written as is and started a new row);
  a text cell starting with ``= + - @``, tab or CR gets a leading apostrophe (OWASP "CSV
  Injection"), in every CSV the tool writes.
- Terminal and log text (:func:`terminal`): control characters (C0, DEL, C1 including NEL),
  U+2028/U+2029 and ESC are shown as ``\\x1b``-style escapes, so one string is one line and no
  escape sequence reaches the terminal; a string starting with ``::`` gets a backslash, so no
  line of input text can be read as a GitHub workflow command.
- Markdown (:func:`markdown_text`): control characters removed, whitespace folded.
- XML (:func:`xml_text`): characters XML 1.0 cannot carry replaced by U+FFFD.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Cell = str | int | float | bool | None

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_CSV_NEEDS_QUOTES = re.compile('[,"\r\n]')

# C0 controls but tab, DEL, C1 controls (NEL is U+0085), the Unicode line and paragraph
# separators, and the bidirectional overrides that reorder what a terminal shows.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_TERMINAL_NAMES = {"\n": "\\n", "\r": "\\r"}
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
# What XML 1.0 cannot carry, spelled as the characters it lists rather than as the complement
# of what it allows: the same set over every code point, compiled in 0.6 ms instead of 13.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
WORKFLOW_COMMAND = "::"


def csv_cell(cell: Cell) -> str:
    """The cell as text, with an apostrophe before anything a spreadsheet would evaluate."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if not isinstance(cell, str):
        return str(cell)
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _csv_field(text: str) -> str:
    if _CSV_NEEDS_QUOTES.search(text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(cells: Iterable[Cell]) -> str:
    """One CSV record (RFC 4180 quoting, ``\\n`` terminated) of defused cells."""
    return ",".join(_csv_field(csv_cell(cell)) for cell in cells) + "\n"


def _terminal_escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _TERMINAL_NAMES.get(char)
    if named:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """``text`` with every character that could break a line or drive a terminal escaped."""
    return _TERMINAL_UNSAFE.sub(_terminal_escape, text)


def terminal(text: str) -> str:
    """``text`` as one safe line for a terminal or a CI log. The runner of GitHub Actions
    reads a line as a workflow command when it starts with ``::`` after leading blanks."""
    safe = escape_controls(text)
    stripped = safe.lstrip()
    if stripped.startswith(WORKFLOW_COMMAND):
        blanks = len(safe) - len(stripped)
        return safe[:blanks] + "\\" + stripped
    return safe


def markdown_text(text: str) -> str:
    """``text`` with control characters removed and whitespace folded to single spaces."""
    return " ".join(_CONTROL.sub("", text).split())


def xml_text(text: str) -> str:
    """``text`` with what XML 1.0 cannot carry (even escaped) replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)
