"""Find trial-registration identifiers in free text and give each its canonical form.

One pass: normalise (keeping an offset map), prefilter on cheap substring anchors, then one
combined regular expression (:mod:`linker.extract.patterns`). Each match is checked here: the
number's shape per registry, placeholders (``NCT00000000``), and whether a bare number has its
registry named nearby.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from linker.extract.normalize import NormalizedText, normalize
from linker.extract.patterns import (
    BARE8_CONTEXT,
    BARE_NAMES,
    BARE_NUMBER,
    CONTEXT,
    CONTEXT_AFTER,
    CONTEXT_BEFORE,
    FORM_PATTERNS,
    LOCATOR,
    Form,
    locator_any_case,
)
from linker.extract.prefilter import (
    Candidates,
    may_hold_identifier,
    reads_lowered,
    scan_candidates,
)
from linker.extract.scan import current_backend
from linker.vocabulary import Registry


@dataclass(frozen=True)
class Found:
    """One identifier in a text. ``start``/``end`` are offsets in the original text (end
    exclusive); ``raw`` is the original text of that span. ``problem`` explains an invalid format
    and also notes a recognised misspelling of a valid one (``valid_format`` stays True then)."""

    registry: Registry
    id: str
    raw: str
    start: int
    end: int
    valid_format: bool = True
    problem: str | None = None


@dataclass(frozen=True)
class _Reading:
    registry: Registry
    id: str
    valid_format: bool = True
    problem: str | None = None


_DIGITS = re.compile(r"\d+")
_SENTENCE_BREAK = re.compile(r"[.!?;]\s+(?=[A-Z])|\n")
_REPEC_CONTEXT = re.compile(r"REPEC|Peru", re.I)


def find_identifiers(text: str) -> list[Found]:
    """All identifiers in ``text``, sorted by start, without overlaps."""
    return list(_found_in(text, current_backend()))


@lru_cache(maxsize=8)  # a reader asks whether a text holds one, then the extractor asks again
def _found_in(text: str, backend: str) -> tuple[Found, ...]:
    del backend  # a key only: tests compare backends on the same texts
    # One multi-pattern scan over the text says where the locator can hit (most texts: nowhere)
    # and whether a bare number can count (a registry's name is there).
    scanned = scan_candidates(text)
    if scanned is None:
        return tuple(_find(text, require_context=True))
    if not scanned.starts and not scanned.named:
        return ()
    return tuple(_find(text, require_context=True, scanned=scanned))


def holds_identifier(text: str) -> bool:
    """True when running text ``text`` holds an identifier (readers keep positions only then).

    Stops at the first one: on a huge text, deciding costs what finding the first id costs."""
    if not text or not may_hold_identifier(text):
        return False
    return next(_spans(normalize(text), require_context=True, scanned=None), None) is not None


def parse_identifier(text: str) -> Found | None:
    """One identifier as a user types it (``nct01506986``, ``2011-003425-96``, ``NL9229``).

    Bare forms that need a registry named nearby in running text are accepted here."""
    found = _find(text.strip(), require_context=False)
    return found[0] if found else None


def canonical_id(registry: Registry, raw: str) -> str | None:
    """The canonical id of ``raw`` taken as an id of ``registry`` (a declared databank
    accession such as ``00003934`` for DRKS or ``EUDRACT2005-005362-36``), or None."""
    candidates = [raw.strip()]
    prefix = _PREFIX_FOR_BARE.get(registry)
    if prefix is not None:
        digits = re.sub(r"[^0-9A-Za-z/-]", "", raw)
        if digits[:1].isdigit():
            candidates.append(prefix + digits)
    same_family = {registry} | (_EU if registry in _EU else set())
    for candidate in candidates:
        for found in _find(candidate, require_context=False):
            if found.registry in same_family and found.valid_format:
                return found.id
    return None


_EU = {Registry.EUCTR, Registry.CTIS}
_PREFIX_FOR_BARE: dict[Registry, str] = {
    Registry.CTGOV: "NCT",
    Registry.ISRCTN: "ISRCTN",
    Registry.ANZCTR: "ACTRN",
    Registry.CHICTR: "ChiCTR",
    Registry.CTRI: "CTRI/",
    Registry.DRKS: "DRKS",
    Registry.UMIN: "UMIN",
    Registry.CRIS: "KCT",
    Registry.PACTR: "PACTR",
    Registry.IRCT: "IRCT",
    Registry.NL: "NTR",
    Registry.REBEC: "RBR-",
    Registry.SLCTR: "SLCTR/",
    Registry.TCTR: "TCTR",
    Registry.LBCTR: "LBCTR",
    Registry.ITMCTR: "ITMCTR",
}


def _find(text: str, *, require_context: bool, scanned: Candidates | None = None) -> list[Found]:
    """The identifiers of ``text``; ``scanned``, when given, says where in its lowered
    normalised text a locator hit, a bare-number registry name or a bare number may be (see
    :func:`~linker.extract.prefilter.scan_candidates`)."""
    normalized = normalize(text)
    spans = sorted(
        _spans(normalized, require_context=require_context, scanned=scanned),
        key=lambda span: span[0],
    )
    results: list[Found] = []
    for start, end, reading in spans:
        orig_start, orig_end = normalized.original_span(start, end)
        results.append(
            Found(
                registry=reading.registry,
                id=reading.id,
                raw=text[orig_start:orig_end],
                start=orig_start,
                end=orig_end,
                valid_format=reading.valid_format,
                problem=reading.problem,
            )
        )
    return results


_Span = tuple[int, int, "_Reading"]


def _spans(
    normalized: NormalizedText, *, require_context: bool, scanned: Candidates | None
) -> Iterator[_Span]:
    """The identifiers of a normalised text as (start, end, reading), in normalised offsets:
    the locator's hits in order, then the bare numbers (which need the hits to be known);
    ``scanned``: where they may be (None: search everywhere)."""
    norm = normalized.text
    if reads_lowered(norm):
        locator, searched = LOCATOR, normalized.lowered
    else:
        locator, searched = locator_any_case(), norm
    located: list[_Span] = []
    position = 0
    candidates = None if scanned is None else iter(scanned.starts)
    while (hit := _next_hit(locator, searched, position, candidates)) is not None:
        start = hit.start()
        position = start + 1
        for form, pattern in _FORMS_BY_FIRST.get(searched[start], FORM_PATTERNS):
            match = pattern.match(norm, start)
            if match is None:
                continue
            position = match.end()
            reading = _read(form, match, norm, require_context)
            if reading is not None:
                located.append((start, match.end(), reading))
                yield located[-1]
            break
    if scanned is None:  # the names in the text lower-cased (``searched`` may be the text)
        named, digits = any(name in normalized.lowered for name in BARE_NAMES), None
    else:
        named, digits = scanned.named, scanned.eight_digits
    if named or not require_context:
        yield from _bare_numbers(norm, located, require_context, digits)


def _next_hit(
    locator: re.Pattern[str], lowered: str, position: int, candidates: Iterator[int] | None
) -> re.Match[str] | None:
    """The locator's first hit at or after ``position``: searched, or tried at each candidate
    (ascending, a superset of the hits' starts; those passed are used up)."""
    if candidates is None:
        return locator.search(lowered, position)
    for start in candidates:
        if start >= position and (hit := locator.match(lowered, start)) is not None:
            return hit
    return None


# The letters each form can start with (lowercase), so a location tries only its own forms.
_FIRST_LETTERS = {
    "ctgov": "n", "isrctn": "i", "ctis": "ce", "euctr": "e", "eu_bare": "12", "anzctr": "a",
    "chictr": "c", "ctri": "c", "drks": "d", "jrct": "j", "japic": "j", "jma": "j",
    "umin": "uj", "umin_jprn": "j", "umin_c": "c", "cris": "k", "pactr": "p", "irct": "i",
    "nl_omon": "n", "ntr": "n", "nl_named": "nd", "umin_named": "u", "nl": "n", "rebec": "r",
    "slctr": "s", "tctr": "t", "repec": "rp", "lbctr": "l", "itmctr": "i", "utn": "u",
}  # fmt: skip
_FORMS_BY_FIRST = {
    first: tuple(fp for fp in FORM_PATTERNS if letter in _FIRST_LETTERS[fp[0].name])
    for letter in "".join(_FIRST_LETTERS.values())
    for first in (letter, letter.upper())  # the locator may read the text as it is
}


# Eight digits: each run of eight or more digits begins one of its matches (in steps of eight).
_EIGHT_DIGITS = re.compile(r"[0-9][0-9]{7}")


def _bare_number_matches(text: str, digits: list[int] | None = None) -> Iterator[re.Match[str]]:
    """What ``BARE_NUMBER.finditer(text)`` gives, tried only where eight digits start: a bare
    number starts a run of digits (no word character before it), and every such run of eight
    or more starts a match of :data:`_EIGHT_DIGITS` (a regex that starts with a character
    class is searched for at C speed; one that starts with a lookbehind is tried everywhere).
    ``digits``: every offset where eight digits start, when the scan has found them (tried in
    order: those inside a run fail as the lookbehind does)."""
    position = 0
    if digits is None:
        digits = [chunk.start() for chunk in _EIGHT_DIGITS.finditer(text)]
    for start in digits:
        if start >= position and (match := BARE_NUMBER.match(text, start)):
            position = match.end()
            yield match


def _bare_numbers(
    text: str, spans: list[_Span], require_context: bool, digits: list[int] | None = None
) -> Iterator[_Span]:
    """Bare numbers read as ids, where no located identifier overlaps them (``spans`` are
    disjoint and in order, so the one that may overlap is the last starting before the end);
    ``digits``: as :func:`_bare_number_matches` takes them."""
    span_starts = [span[0] for span in spans]
    for match in _bare_number_matches(text, digits):
        start, end = match.span()
        before = bisect_left(span_starts, end) - 1
        if before >= 0 and spans[before][1] > start:
            continue
        if match.lastgroup == "bare14":
            reading = _read_bare14(match, text, require_context)
        else:
            reading = _read_bare8(match, text, require_context)
        if reading is not None:
            yield (start, end, reading)


def _read(form: Form, match: re.Match[str], text: str, require_context: bool) -> _Reading | None:
    number = match.group(f"{form.name}_n")
    start, end = match.span()
    needs_name = form.context is not None and require_context
    if needs_name and not _named_nearby(CONTEXT[str(form.context)], text, start, end, after=True):
        return None
    reading = _READERS[form.name](match, number, text, require_context)
    if reading is None or reading.valid_format or not require_context:
        return reading
    return None if _doubtful_number(number, text, end) else reading


# A malformed-id finding accuses the paper, so in running text a registry name followed by a
# number counts as a broken identifier only when the number looks like an attempt at one.
_FEWEST_DIGITS = 5  # "ISRCTN registry (2004)", "EudraCT: 19 December 2013", "NCT 83.7%"
_MOST_DIGITS = 24  # well past the longest real id plus a typo or two
_DATE_SHAPE = re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{1,2}([-/.])\d{1,2}\2\d{4}")
# The number goes on in a shape no form reads: a decimal, a percentage, a spaced or lettered
# continuation ("2004 - 003892" cut short, the ID-RCB "2014-A00681-46").
_RUNS_ON = re.compile(r"[.,]\d|\s?%|\s?[-/]\s?\d|[-/][A-Za-z]")


def _doubtful_number(number: str, text: str, end: int) -> bool:
    """True when ``number`` (ending at ``end``) is more likely a year, date, count or other
    code than a mistyped identifier: better no mention than a false malformed-id finding."""
    digits = sum(char.isdigit() for char in number)
    return (
        not _FEWEST_DIGITS <= digits <= _MOST_DIGITS
        or _DATE_SHAPE.fullmatch(number) is not None
        or _RUNS_ON.match(text, end) is not None
    )


def _named_nearby(
    pattern: re.Pattern[str], text: str, start: int, end: int, *, after: bool
) -> bool:
    return _last_name_before(pattern, text, start) >= 0 or (
        after and pattern.search(text, end, min(len(text), end + CONTEXT_AFTER)) is not None
    )


def _last_name_before(pattern: re.Pattern[str], text: str, start: int) -> int:
    """End of the last registry name in the same sentence shortly before ``start``, else -1."""
    window_start = max(0, start - CONTEXT_BEFORE)
    for brk in _SENTENCE_BREAK.finditer(text, window_start, start):
        window_start = brk.end()
    last = -1
    for found in pattern.finditer(text, window_start, start):
        last = found.end()
    return last


# --- per-registry readers ---------------------------------------------------------------------

_Reader = Callable[[re.Match[str], str, str, bool], "_Reading | None"]


def _digits_id(
    registry: Registry, prefix: str, number: str, *, lengths: tuple[int, ...], lead: str = ""
) -> _Reading:
    digits = number.replace("_", "")
    canonical = prefix + digits
    if len(digits) not in lengths:
        expected = " or ".join(str(n) for n in lengths)
        return _Reading(
            registry, canonical, False, f"expected {expected} digits, found {len(digits)}"
        )
    if lead and not digits.startswith(lead):
        return _Reading(registry, canonical, False, f"number should start with {lead}")
    if set(digits) == {"0"}:
        return _Reading(registry, canonical, False, "placeholder")
    return _Reading(registry, canonical)


def _read_ctgov(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    if len(number) == 7 and not number.startswith("0"):
        # ClinicalTrials.gov itself treats NCT2927821 as NCT02927821; a 7-digit number that
        # starts with 0 is a truncation instead ("NCT0061850").
        reading = _digits_id(Registry.CTGOV, "NCT", "0" + number, lengths=(8,))
        return _Reading(reading.registry, reading.id, True, "leading zero missing")
    return _digits_id(Registry.CTGOV, "NCT", number, lengths=(8,))


def _read_isrctn(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    notes: list[str] = []
    prefix = m.group("isrctn_p").upper()
    if prefix != "ISRCTN":
        notes.append(f"misspelled prefix {m.group('isrctn_p')!r}")
    if number[:1] in "Oo":
        number = "0" + number[1:]
        notes.append("letter O typed for digit 0")
    reading = _digits_id(Registry.ISRCTN, "ISRCTN", number, lengths=(8,))
    if reading.valid_format and notes:
        return _Reading(reading.registry, reading.id, True, "; ".join(notes))
    return reading


_EU_PARTS = re.compile(r"(\d{4})\D{0,2}(\d{6})\D{0,2}(\d{2})(?:-(\d{2}))?(?:-([A-Za-z0-9]{2,3}))?$")


def _read_eu(number: str, named: Registry | None) -> _Reading | None:
    parts = _EU_PARTS.match(number.replace(" ", ""))
    if parts is None:
        registry = named or Registry.EUCTR
        return _Reading(registry, number, False, "not a YYYY-NNNNNN-NN number")
    year, block, check, resubmission, _country = parts.groups()
    if block[0] == "5":
        canonical = f"{year}-{block}-{check}" + (f"-{resubmission}" if resubmission else "")
        return _Reading(Registry.CTIS, canonical)
    canonical = f"{year}-{block}-{check}"
    if block[0] != "0":
        if named is None:
            return None
        return _Reading(Registry.EUCTR, canonical, False, "block should start with 0 (EudraCT)")
    if not 1990 <= int(year) <= 2035:
        return _Reading(Registry.EUCTR, canonical, False, f"implausible year {year}")
    if block == "000000":
        return _Reading(Registry.EUCTR, canonical, False, "placeholder")
    return _Reading(Registry.EUCTR, canonical)


def _read_euctr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading | None:
    reading = _read_eu(number, Registry.EUCTR)
    if reading is not None and reading.valid_format and "_" in number:
        return _Reading(reading.registry, reading.id, True, "underscores written for dashes")
    return reading


def _read_ctis(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading | None:
    return _read_eu(number, Registry.CTIS)


def _read_eu_bare(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading | None:
    return _read_eu(number, None)


def _read_anzctr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.ANZCTR, "ACTRN", number, lengths=(14,), lead="12")


def _read_chictr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    letters = m.group("chictr_l")
    if letters:
        return _digits_id(Registry.CHICTR, f"ChiCTR-{letters.upper()}-", number, lengths=(8, 10))
    return _digits_id(Registry.CHICTR, "ChiCTR", number, lengths=(10,))


def _read_ctri(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    year, month, serial = (part.strip() for part in number.split("/"))
    canonical = f"CTRI/{year}/{month}/{serial}"
    if len(serial) != 6:
        return _Reading(Registry.CTRI, canonical, False, "serial should have 6 digits")
    return _Reading(Registry.CTRI, canonical)


def _read_drks(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    reading = _digits_id(Registry.DRKS, "DRKS", number, lengths=(8,), lead="000")
    prefix = m.group("drks_p")
    if reading.valid_format and prefix.upper() != "DRKS":
        return _Reading(reading.registry, reading.id, True, f"misspelled prefix {prefix!r}")
    return reading


def _read_jrct(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    letter = number[0].lower() if number[0].isalpha() else ""
    digits = number[1:] if letter else number
    canonical = f"jRCT{letter}{digits}"
    expected = 9 if letter else 10
    if len(digits) != expected:
        return _Reading(Registry.JRCT, canonical, False, f"expected {expected} digits")
    return _Reading(Registry.JRCT, canonical)


def _read_japic(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.JRCT, "JapicCTI-", number, lengths=(6,))


def _read_jma(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.JRCT, "JMA-IIA", number, lengths=(5,))


def _read_umin(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.UMIN, "UMIN", number, lengths=(9,))


def _read_cris(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.CRIS, "KCT", number, lengths=(7,), lead="00")


def _read_pactr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.PACTR, "PACTR", number, lengths=(15, 16), lead="20")


_IRCT_SHAPE = re.compile(r"\d{10,14}N\d{1,3}")


def _read_irct(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    canonical = "IRCT" + number.upper()
    if _IRCT_SHAPE.fullmatch(number.upper()) is None:
        return _Reading(Registry.IRCT, canonical, False, "expected 10-14 digits, N, 1-3 digits")
    return _Reading(Registry.IRCT, canonical)


def _read_nl_omon(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.NL, "NL-OMON", number, lengths=tuple(range(1, 8)))


_NL_NAMED = re.compile(r"Trial Regist|Netherlands|Dutch|trialregister", re.I)


def _read_ntr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading | None:
    # NTR1/NTR2 are also neurotensin receptors: short numbers need the register named.
    if len(number) < 3 and ctx:
        start, end = m.span()
        if not _named_nearby(_NL_NAMED, text, start, end, after=True):
            return None
    return _digits_id(Registry.NL, "NTR", number, lengths=(1, 2, 3, 4, 5))


def _read_nl_named(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.NL, "NTR", number, lengths=(3, 4, 5))


def _read_nl(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.NL, "NL", number, lengths=(4, 5))


def _read_rebec(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    canonical = "RBR-" + number.lower()
    if not 6 <= len(number) <= 8:
        return _Reading(Registry.REBEC, canonical, False, "expected 6-8 characters after RBR-")
    return _Reading(Registry.REBEC, canonical)


def _read_slctr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    year, serial = (part.strip() for part in number.split("/"))
    canonical = f"SLCTR/{year}/{serial}"
    if len(serial) != 3:
        return _Reading(Registry.SLCTR, canonical, False, "serial should have 3 digits")
    return _Reading(Registry.SLCTR, canonical)


def _read_tctr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.TCTR, "TCTR", number, lengths=(11,), lead="20")


def _read_repec(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading | None:
    compact = re.sub(r"\s", "", number)
    # Upper-case "PER-123-45" stands alone; any other spelling needs REPEC/Peru nearby.
    if ctx and not compact.startswith("PER-") and not m.group(0).upper().startswith("REPEC"):
        start, end = m.span()
        if not _named_nearby(_REPEC_CONTEXT, text, start, end, after=True):
            return None
    return _Reading(Registry.REPEC, compact.upper())


def _read_lbctr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.LBCTR, "LBCTR", number, lengths=(10,), lead="20")


def _read_itmctr(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    return _digits_id(Registry.ITMCTR, "ITMCTR", number, lengths=(10,))


def _read_utn(m: re.Match[str], number: str, text: str, ctx: bool) -> _Reading:
    digits = "".join(_DIGITS.findall(number))
    return _Reading(Registry.UTN, f"U{digits[:4]}-{digits[4:8]}-{digits[8:]}")


def _read_bare8(m: re.Match[str], text: str, ctx: bool) -> _Reading | None:
    number = m.group(0)
    if not ctx:
        return None
    best: tuple[int, Registry] | None = None
    for registry, pattern in BARE8_CONTEXT:
        position = _last_name_before(pattern, text, m.start())
        if position >= 0 and (best is None or position > best[0]):
            best = (position, registry)
    if best is None:
        return None
    if best[1] is Registry.DRKS:
        # Without the DRKS prefix, an 8-digit number not starting 000 is something else
        # (a date such as 20190512), not a broken DRKS id.
        reading = _digits_id(Registry.DRKS, "DRKS", number, lengths=(8,), lead="000")
        return reading if reading.valid_format else None
    if best[1] is Registry.CTGOV:
        # Likewise an NCT number without its prefix: every NCT number starts with 0.
        reading = _digits_id(Registry.CTGOV, "NCT", number, lengths=(8,), lead="0")
        if not reading.valid_format:
            return None
        return _Reading(reading.registry, reading.id, True, "NCT prefix missing")
    return _digits_id(Registry.ISRCTN, "ISRCTN", number, lengths=(8,))


def _read_bare14(m: re.Match[str], text: str, ctx: bool) -> _Reading | None:
    number = m.group(0)
    if ctx and not _named_nearby(CONTEXT["anzctr"], text, m.start(), m.end(), after=False):
        return None
    return _digits_id(Registry.ANZCTR, "ACTRN", number, lengths=(14,), lead="12")


_READERS: dict[str, _Reader] = {
    "ctgov": _read_ctgov,
    "isrctn": _read_isrctn,
    "ctis": _read_ctis,
    "euctr": _read_euctr,
    "eu_bare": _read_eu_bare,
    "anzctr": _read_anzctr,
    "chictr": _read_chictr,
    "ctri": _read_ctri,
    "drks": _read_drks,
    "jrct": _read_jrct,
    "japic": _read_japic,
    "jma": _read_jma,
    "umin": _read_umin,
    "umin_jprn": _read_umin,
    "umin_c": _read_umin,
    "cris": _read_cris,
    "pactr": _read_pactr,
    "irct": _read_irct,
    "nl_omon": _read_nl_omon,
    "ntr": _read_ntr,
    "nl_named": _read_nl_named,
    "umin_named": _read_umin,
    "nl": _read_nl,
    "rebec": _read_rebec,
    "slctr": _read_slctr,
    "tctr": _read_tctr,
    "repec": _read_repec,
    "lbctr": _read_lbctr,
    "itmctr": _read_itmctr,
    "utn": _read_utn,
}
