"""Which lines of a raw file (bytes, before any decoding) can hold an identifier: one scan of
a whole block of the file with the prefilter's patterns made tolerant of what reading does.

Between a file's bytes and the text the locator searches stand UTF-8 decoding, the format's
escapes (JSON ``\\n``), line joining (MEDLINE continuations) and normalisation (odd dashes and
spaces become ``-`` and a space, invisible characters are dropped, a hyphen at a line end may
join two lines). So each gate pattern of :mod:`linker.extract.prefilter` is rewritten to match
the raw bytes wherever its text matched:

- a left boundary also accepts an escape letter before (``\\nNCT``: ``n`` is no letter there);
- a space or a dash also accepts the UTF-8 bytes of the odd spaces and dashes that normalise to
  it, a JSON whitespace escape, and a run of whitespace (a line break with its indentation);

and a few "trouble" patterns mark lines where no rewriting can follow the text (an invisible
character or a line-end hyphen that normalisation removes, a JSON ``\\u`` escape, a letter that
case-folds to ASCII, XML markup between two letters): those lines count as hits too. A line
without a hit therefore holds no identifier in any text read from it; lines with one go
through the exact reader and extractor, which decide. The tests compare with the reference on
real files and generated texts, per backend.

A *tight* gate (JSON Lines, where the text between two words is only whitespace or its
escapes) goes further, for the anchors that hit most often in text without an identifier
("University", a year and a dash, "per-"): it asks for the longer start every form tried at
such an anchor needs (:data:`_FORM_STARTS`), and reports the lines where only a bare-number
registry name hits ("Australian") apart, since a bare number needs eight digits in a row in
the same text as well: the reader checks that on the decoded text.
"""

from __future__ import annotations

import re

from linker.extract.prefilter import bare_name_patterns, locator_patterns
from linker.extract.scan import ScannerCache

# UTF-8 of the characters :mod:`linker.extract.normalize` maps to a space, to "-", or drops.
_ODD_SPACE = r"\xc2\xa0|\xe2\x80[\x80-\x8a\xaf]|\xe2\x81\x9f|\xe3\x80\x80|\xef\xbf\xbd"
_ODD_DASH = r"\xe2\x80[\x90-\x95]|\xe2\x88\x92|\xef\xb9[\x98\xa3]|\xef\xbc\x8d"
_INVISIBLE = r"\xe2\x80[\x8b-\x8f]|\xe2\x81\xa0|\xef\xbb\xbf|\xc2\xad"
# Letters that lowercase or case-fold to ASCII ones: İ ı ſ K (Kelvin sign).
_FOLDS_TO_ASCII = r"\xc4[\xb0\xb1]|\xc5\xbf|\xe2\x84\xaa"

_WHITESPACE_CLASS = r"[\t\n\x0b\f\r ]"
_SPACE = rf"(?:{_WHITESPACE_CLASS}|\\[nrtf]|{_ODD_SPACE})"
_DASH = rf"(?:-|{_ODD_DASH})"
# In JSON a backslash before a letter starts an escape: ``\\nNCT`` has a line break before
# the N, ``\\ntr`` no word starting "ntr"; an escaped backslash is the text's backslash.
_JSON_BOUNDARIES = {
    "(?:^|[^a-z0-9]": r"(?:^|\\[bfnrt]|\\\\|[^a-z0-9\\]",
    r"(?:^|[^\w./-]": r"(?:^|\\[bfnrt]|\\\\|[^-\w./\\]",
}

# Trouble common to every format, then what only JSON escapes or XML markup can hide.
_TROUBLE = (
    _INVISIBLE,
    _FOLDS_TO_ASCII,
    rf"(?:-|{_ODD_DASH}|\xc2\xad)(?:[ \t]|\\t)*(?:\r|\\r)?(?:\n|\\n)",
)
# JSON also marks what makes a quote and a colon (``":``) other than a key end: whitespace
# between them (``"title" :``, a key end all the same) or a backslash before them (an escaped
# quote in a text): the lines it does not touch are then counted in bulk, their key ends being
# the ``":`` of the block (:func:`~linker.readers.jsonrecords.bulk_has_text`).
JSON_TROUBLE = (*_TROUBLE, r"\\u", r'"[ \t\r]+:', r'\\"[ \t\r]*:')
# In PubMed XML (:mod:`linker.readers.lean_pubmed_xml` reads whole records): markup inside a
# title or an abstract section (its text joins around it), a section ending in a letter (the
# next is joined to it after a space), character references, comments, CDATA, processing
# instructions, empty-element tags, namespaces (a colon in a tag, or after a ``>`` in an
# attribute value, where ``<[^>]*:`` stops short: the check without a tree lets an undeclared
# prefix pass), declared accessions and book records (which the reader reads otherwise).
_XML_SPACE = rf"(?:{_WHITESPACE_CLASS}|{_ODD_SPACE}|{_ODD_DASH})"
XML_TROUBLE = (
    *_TROUBLE,
    r"<(?:ArticleTitle|AbstractText)[^>]*>[^<]*<[^/]",
    rf"[a-z]{_XML_SPACE}*</AbstractText>",
    r"&#|<!|<\?|/>|<[^>]*:|xmlns|<AccessionNumber|<BookDocument",
    r"""=\s*"[^"<]*>|=\s*'[^'<]*>""",
)
# MEDLINE values are stripped (``str.strip``) line by line and joined: whitespace the strip
# removes that the tolerant space does not accept, a line-end hyphen before any of it, and a
# title or abstract tag line's value right after its dash (the text starts there, the bytes
# have the dash; only those values are searched: a cheaper pattern than any tag's).
# (A line of whitespace only ends a record: :mod:`linker.readers.lean_medline` looks for those.)
# What the strip removes, but CR and LF (UTF-8 alternatives).
STRIPPED_WHITESPACE = (
    r"[\t\x0b\x0c \x1c-\x1f]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    r"|\xe2\x81\x9f|\xe3\x80\x80"
)
MEDLINE_TROUBLE = (
    *_TROUBLE,
    r"[\x1c-\x1f]|\xc2\x85|\xe1\x9a\x80|\xe2\x80[\xa8\xa9]",
    rf"(?:-|{_ODD_DASH}|\xc2\xad)(?:{STRIPPED_WHITESPACE}|\r)*\n",
    r"\n(?:ti|ab) {0,3}-[^ ]",
)

# What the rewriting replaces, longest first: a whitespace-or-dash class, a whitespace class
# (each with an optional ``?``), an escaped space or dash (bare names), a plain dash.
_PARTS = re.compile(r"\[\\t\\n\\x0b\\f\\r -\]\??|\[\\t\\n\\x0b\\f\\r \]\??|\\ |\\-|-(?![^\[]*\])")


def tolerant(pattern: str, *, json: bool = False) -> str:
    """``pattern`` (a gate pattern) rewritten to match raw bytes wherever it matched the
    text read from them (see the module docstring); ``json``: bytes of JSON strings."""
    if json:
        for boundary, escaped in _JSON_BOUNDARIES.items():
            pattern = pattern.replace(boundary, escaped, 1)

    def rewrite(match: re.Match[str]) -> str:
        part = match.group(0)
        if part.startswith("[") and "-" in part:
            return f"(?:{_SPACE}|{_DASH})*"
        if part.startswith("["):
            return f"{_SPACE}*"
        if part == "\\ ":
            return f"{_SPACE}+"
        return _DASH

    return _PARTS.sub(rewrite, pattern)


# Locator anchors that often hit text holding no identifier, each with the longer start that
# every form tried at such a hit (:data:`~linker.extract.patterns.FORMS`) matches first:
# ``eu_bare`` after a year, ``euctr`` after "Eudra", ``nl_named`` after "Netherlands",
# "Nederlands" or "Dutch", ``umin_named`` after "University", ``repec`` after "PER". Written
# as the gate patterns are (``\ `` for a form's ``\s+``, ``-`` for its dash); a text the
# longer pattern misses has no form matching at such an anchor, so no identifier from it.
_FORM_STARTS = {
    r"1(?:99\d-)": r"1(?:99\d-[05]\d{5}-\d{2})",
    r"2(?:0[0-3]\d-)": r"2(?:0[0-3]\d-[05]\d{5}-\d{2})",
    "eudra": r"eudra[\t\n\x0b\f\r ]?-?[\t\n\x0b\f\r ]?ct",
    "netherlands": r"netherlands\ trials?\ regist",
    "nederlands": r"nederlands\ trials?\ regist",
    "dutch": r"dutch\ trials?\ regist",
    "university": r"university\ (?:hospital\ )?medical\ information",
    r"per(?:[\t\n\x0b\f\r ]?-)": r"per(?:[\t\n\x0b\f\r ]?-[\t\n\x0b\f\r ]?\d{3})",
}


def tightened(pattern: str) -> str:
    """A locator gate pattern with the longer start of :data:`_FORM_STARTS`, where it has one."""
    for anchor, start in _FORM_STARTS.items():
        if pattern.endswith(anchor):
            return pattern[: -len(anchor)] + start
    return pattern


class RawGate:
    """The gate patterns made tolerant, and the trouble patterns of one kind of file;
    ``tight``: the anchors of :data:`_FORM_STARTS` lengthened, bare names apart (JSON).

    All its patterns are one scanner (the locator's and the trouble patterns first, then the
    bare names): with Hyperscan, one scan of a block answers both questions."""

    def __init__(
        self, trouble: tuple[str, ...], *, json: bool = False, tight: bool = False
    ) -> None:
        self._trouble = trouble
        self._json = json
        self._tight = tight
        self._boundary = 0  # where the bare names start (tight), else past the last pattern
        self._scanner = ScannerCache(self._patterns)

    def _patterns(self) -> list[str]:
        tight, json = self._tight, self._json
        located = [tolerant(tightened(p) if tight else p, json=json) for p in locator_patterns()]
        located += self._trouble
        names = [tolerant(p, json=json) for p in bare_name_patterns()]
        self._boundary = len(located) if tight else len(located) + len(names)
        return located + names

    def hit_lines(self, block: bytes) -> set[int]:
        """0-based indices of the lines of ``block`` (split on ``\\n``) that a match of some
        pattern touches."""
        located, named = self.split_hits(block)
        return located | named

    def split_hits(self, block: bytes) -> tuple[set[int], set[int]]:
        """The lines of :meth:`hit_lines`, in two sets: those a locator or trouble pattern
        touches, and the others, touched by a bare-number registry name only (always empty
        unless the gate is tight): an identifier there is a bare number in the same text."""
        regions, names = self.split_regions(block)
        located = _lines_touched(block, regions)
        return located, _lines_touched(block, names) - located if names else set()

    def regions(self, block: bytes) -> list[tuple[int, int]]:
        """Spans of ``block`` such that every match of every pattern (but the bare names of a
        tight gate) overlaps one of them."""
        return self.split_regions(block)[0]

    def split_regions(self, block: bytes) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The spans of :meth:`regions` in two lists, as :meth:`split_hits` splits lines:
        those of a locator or trouble pattern, and those of a bare-number registry name
        (always empty unless the gate is tight)."""
        scanner = self._scanner.get()
        return scanner.split_regions(block, self._boundary)


def _lines_touched(block: bytes, regions: list[tuple[int, int]]) -> set[int]:
    """0-based indices of the lines of ``block`` that some region touches."""
    points = sorted({point for start, end in regions for point in (start, end - 1)})
    line_of: dict[int, int] = {}
    line = position = 0
    for point in points:
        line += block.count(b"\n", position, point)
        position = point
        line_of[point] = line
    found: set[int] = set()
    for start, end in regions:
        found.update(range(line_of[start], line_of[end - 1] + 1))
    return found


JSON_GATE = RawGate(JSON_TROUBLE, json=True, tight=True)
TEXT_GATE = RawGate(_TROUBLE)
XML_GATE = RawGate(XML_TROUBLE, tight=True)
MEDLINE_GATE = RawGate(MEDLINE_TROUBLE, tight=True)
