"""Whose identifier is it? The paper's own registration, another trial's, or unknown.

Decided from the sentence around the identifier: the nearest cue before it wins ("registered
as" -> own; "data from the ... trial", "previous trial", "extension of" -> other); failing that,
the first cue after it, then the section label ("TRIAL REGISTRATION:") of the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from linker.extract.match_starts import StartGated
from linker.vocabulary import Role

_ABBREVIATIONS = frozenset(
    [
        "no",
        "nos",
        "nr",
        "vs",
        "al",
        "e.g",
        "i.e",
        "eg",
        "ie",
        "fig",
        "figs",
        "dr",
        "approx",
        "ref",
        "refs",
        "ca",
        "inc",
        "ltd",
        "co",
        "st",
        "num",
        "reg",
        "registration",
        "id",
    ]
)
# A line break ends a sentence only before a section label or a blank line: readers keep the
# file's line wrapping inside a field.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"'(\[]?[A-Z])|\n(?=\s*\n|[A-Z][A-Za-z ]{2,40}:)")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")

_OWN = (
    r"trial registration|registration(?: number| no\b| id\b|:)|registered (?:as|with|at|in|on|under"
    r"|prospectively|retrospectively|at|to)|(?:is|was|were|been|are) (?:prospectively |"
    r"retrospectively )?registered|prospectively registered|retrospectively registered"
    r"|unique identifier|registration:|registered:"
    r"|\b(?:this|the present|the current|our) (?:\w+ ){0,3}(?:study|trial)\b"
    r"|\b(?:is|was) an? (?:[\w-]+,? ){0,8}(?:trial|study)\s*\("
    # "Clinical trial reg. no.", "Trial register number:", a "Registration" heading, and
    # funding sentences naming the study ("Abbott sponsored the study (NCT00195663)").
    r"|trial reg\b\.?|trial regist(?:er|ry)\b|\bregistration(?-i:(?![a-z]))"
    r"|\b(?:sponsored|funded|supported) (?:the|this) (?:study|trial)\b"
)
# Labels that name an identifier without saying whose it is.
_LABEL = (
    r"registry (?:number|identifier|no\b)|identifier|trial (?:number|no\b|id\b)"
    r"|clinicaltrials\.gov (?:number|id\b|identifier|registration)"
)
_OTHER = (
    r"data (?:were |was )?(?:from|of)|previous(?:ly)?|prior (?:trial|study)|extension|parent"
    r"|similar to|pooled|post[- ]hoc|secondary analys[ie]s of|ancillary|sub-?study of"
    r"|follow-?up (?:study )?(?:of|to) the|earlier|original (?:trial|study)|core (?:trial|study)"
    r"|companion|reported (?:elsewhere|previously)|participants (?:from|of|who completed)"
    r"|patients (?:from|of|who completed)|derived from|enrolled in the|(?:used|using) data"
    r"|as described|see ref|rollover|lead-in|preceding|await(?:s|ing)? the results"
)
_CUES = re.compile(f"(?P<own>{_OWN})|(?P<other>{_OTHER})|(?P<label>{_LABEL})", re.IGNORECASE)
_CUES_AT_THEIR_WORDS = StartGated(_CUES)  # the same matches, tried only where a cue's word is
_AFTER_WINDOW = 40
_SECTION_LABEL = re.compile(r"(?:^|\n|[.!?]\s)\s*([A-Z][A-Za-z ]{2,40}):")
_OWN_LABEL = re.compile(r"(?:trial |clinical trial |study )?regist(?:ration|ry|ered|er)", re.I)
# A literature reference right after the id ("(NCT00871182 [6], ...", "NCT01340053) (18)"):
# the paper cites someone else's trial.
_CITATION = re.compile(r"\)?\s*[\[(]\d{1,3}(?:\s*[,\u2013-]\s*\d{1,3})*[\])]")
# The id in the parentheses right after the singular study or trial the sentence describes:
# "... of a 2-year study (NCT01120366, UMIN000002744)".
_STUDY_PARENTHESIS = re.compile(r"\b(?:trial|study)\s*\([^()]{0,80}$", re.I)
# Nothing but the id and a registry's name: "NCT00005669, clinicaltrials.gov."
_ONLY_REGISTRY = re.compile(
    r"[\s\W]*(?:(?:www\.)?(?:clinicaltrials\.gov|isrctn(?:\.com)?|controlled-trials\.com|"
    r"drks(?:\.de)?|anzctr(?:\.org\.au)?|eudract))?[\s\W]*",
    re.I,
)


# A sentence is cut to this many characters either side of the identifier: the output stays
# readable, and finding the sentence and its cues costs O(window) however long the text is.
SENTENCE_WINDOW = 300
_ELLIPSIS = "\u2026"
_LOOKAHEAD = 50  # room for _SENTENCE_END's lookahead past the window's end


@dataclass(frozen=True)
class _Span:
    begin: int
    finish: int
    cut_before: bool
    cut_after: bool


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence containing text[start:end] (abbreviation-aware, one line at most), cut at
    a word boundary and marked "…" where it runs on past :data:`SENTENCE_WINDOW` characters."""
    span = _sentence_span(text, start, end)
    sentence = text[span.begin : span.finish].strip()
    return (_ELLIPSIS if span.cut_before else "") + sentence + (_ELLIPSIS if span.cut_after else "")


@lru_cache(maxsize=32)  # asked for the sentence, then for the role
def _sentence_span(text: str, start: int, end: int) -> _Span:
    low = max(0, start - SENTENCE_WINDOW)
    high = min(len(text), end + SENTENCE_WINDOW)
    begin = _last_end_before(text, low, start)
    finish = -1
    for match in _SENTENCE_END.finditer(text, end, min(len(text), high + _LOOKAHEAD)):
        if match.start() >= high:
            break
        if _is_real_end(text, match.start()):
            finish = match.start() + (0 if text[match.start()] == "\n" else 1)
            break
    cut_before = begin < 0 and low > 0
    cut_after = finish < 0 and high < len(text)
    if begin < 0:
        begin = _word_start(text, low, start) if cut_before else 0
    if finish < 0:
        finish = _word_end(text, end, high) if cut_after else len(text)
    return _Span(begin, finish, cut_before, cut_after)


def _last_end_before(text: str, low: int, start: int) -> int:
    """Just past the last real sentence end in text[low:start] (what the last real one of
    ``_SENTENCE_END.finditer(text, low, start)`` ends at: each match is the one character it
    starts at), else -1; tried back from ``start`` at each end mark, the nearest first."""
    high = start
    while True:
        mark = max(
            text.rfind(".", low, high),
            text.rfind("!", low, high),
            text.rfind("?", low, high),
            text.rfind("\n", low, high),
        )
        if mark < 0:
            return -1
        if _SENTENCE_END.match(text, mark, start) is not None and _is_real_end(text, mark):
            return mark + 1
        high = mark


def _word_start(text: str, low: int, start: int) -> int:
    """The first word start in text[low:start] (``low`` itself when the window starts at one,
    or when there is no break to cut at)."""
    if low == 0 or text[low - 1].isspace():
        return low
    space = _SPACE.search(text, low, start)
    return space.end() if space is not None else low


def _word_end(text: str, end: int, high: int) -> int:
    """The last word end in text[end:high] (``high`` when there is no break to cut at)."""
    if high == len(text) or text[high].isspace():
        return high
    last = -1
    for space in _SPACE.finditer(text, end, high):
        last = space.start()
    return last if last >= 0 else high


_SPACE = re.compile(r"\s+")


def _is_real_end(text: str, index: int) -> bool:
    if text[index] != ".":
        return True
    word = _WORD_BEFORE.search(text, max(0, index - 12), index)
    if word is None:
        return True
    token = word.group(1).lower().strip(".")
    return token not in _ABBREVIATIONS and len(token) > 1


def classify_role(text: str, start: int, end: int) -> Role:
    """own / other / unknown for the identifier at text[start:end]."""
    span = _sentence_span(text, start, end)
    sentence = text[span.begin : span.finish]
    local_start = start - span.begin
    local_end = end - span.begin
    before: str | None = None
    other_before = False
    after: str | None = None
    for cue in _CUES_AT_THEIR_WORDS.finditer(sentence):
        kind = cue.lastgroup or ""
        if cue.end() <= local_start:
            before = kind
            other_before = other_before or kind == "other"
        elif local_end <= cue.start() <= local_end + _AFTER_WINDOW and after is None:
            after = kind
    cited = _CITATION.match(sentence, local_end) is not None
    if cited and before != "own" and not _in_registration_section(text, start):
        return Role.OTHER
    # The nearest cue before decides ("the parent trial ... this trial is registered as" is
    # own). A bare label ("identifier:") takes the side of any earlier cue in the sentence.
    if before == "label":
        before = "other" if other_before else "own"
    if before is not None:
        return Role.OWN if before == "own" else Role.OTHER
    if _in_registration_section(text, start) or _names_the_study(sentence, local_start, local_end):
        return Role.OWN
    if after is not None and after != "label":
        return Role.OWN if after == "own" else Role.OTHER
    return Role.UNKNOWN


def _names_the_study(sentence: str, start: int, end: int) -> bool:
    """The id stands where a paper names its own study: in the parentheses after the study it
    describes, alone with a registry's name, or closing a parenthesised trial name (a title
    footnote such as "(Vitamin D Treating patients With Chronic heArT failurE [VINDICATE];
    NCT01619891)")."""
    before, after = sentence[:start], sentence[end:]
    if _STUDY_PARENTHESIS.search(before):
        return True
    if _ONLY_REGISTRY.fullmatch(before) and _ONLY_REGISTRY.fullmatch(after):
        return True
    closing = after.split("\n", 1)[0].strip()
    return before.lstrip().startswith("(") and closing in (")", ").")


def _in_registration_section(text: str, start: int) -> bool:
    """True when the nearest section label before ``start`` is a registration label."""
    last = None
    for label in _SECTION_LABEL.finditer(text, max(0, start - 600), start):
        last = label
    return last is not None and _OWN_LABEL.match(last.group(1)) is not None
