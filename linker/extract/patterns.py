"""The identifier patterns: one combined regular expression, and what each branch means.

Every registry form is one named branch of :data:`COMBINED`. A branch is deliberately loose
about the number (``NCT`` followed by any run of digits) so that a registry-named mention with
a malformed number is reported rather than silently dropped; :mod:`linker.extract.identifiers`
then checks the number. Bare numbers (no prefix) are only branches where the shape is specific
enough (dashed EudraCT / EU CT numbers, ``PER-123-45``) or where a registry must be named nearby
(see :data:`CONTEXT`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from linker.vocabulary import Registry

# Not inside a longer token: SNCT01234567, VNL11, ZINC000052955. A known word glued before the
# prefix is not a token prefix: Web of Science exports fuse the heading "Trial registration" to
# the text ("...nursing homes.Trial registrationNCT03827499;").
GLUED_WORDS = ("registration",)
_LEFT = "(?:(?<![A-Za-z0-9])" + "".join(f"|(?<={word})" for word in GLUED_WORDS) + ")"
# Between a prefix and its number: "NCT 0123", "NCT#0123", "ISRCTN: 1234", "EudraCT No. 2004-",
# "ISRCTN, number 48489393".
_GAP = r"[\s:#.,(\[-]{0,4}(?:(?:no|nr|n°|number|identifier|id)\b\.?[\s:#.,-]{0,3})?"
# A dashed EU number (EudraCT or EU CT), optional resubmission part and country suffix. Only
# used after a registry name, so spaced dashes ("2004 - 003892 - 35") are read too.
_EU_NUMBER = (
    r"\d{4}(?:\s?-\s?|\s|_)?\d{6}(?:\s?-\s?|\s|_)?\d{2}(?!\d)(?:-\d{2}(?!\d))?"
    r"(?:-(?-i:[A-Z]{2}|3RD)(?![A-Za-z]))?"
)
_BARE_EU_NUMBER = (
    r"(?<![\w./-])(?:199\d|20[0-3]\d)-[05]\d{5}-\d{2}(?![\d/])(?:-\d{2}(?![\d/-]))?"
    r"(?:-(?-i:[A-Z]{2}|3RD)(?![A-Za-z]))?(?!-\d)"
)


@dataclass(frozen=True)
class Form:
    """One way an identifier is written: its branch name, registry, and whether the registry must
    be named nearby for the match to count (``context`` names a key of :data:`CONTEXT`)."""

    name: str
    registry: Registry | None
    pattern: str
    context: str | None = None


FORMS: tuple[Form, ...] = (
    Form("ctgov", Registry.CTGOV, rf"(?:{_LEFT}|(?<=gov))NCT{_GAP}(?P<ctgov_n>\d+)"),
    # ISRCTN and its real misspellings (ISCRTN, IRSCTN, ISRCT); "O" typed for a leading zero.
    Form(
        "isrctn",
        Registry.ISRCTN,
        rf"{_LEFT}(?P<isrctn_p>IS[RC][RC]TN?|IRSCTN?){_GAP}(?P<isrctn_n>O?\d+)",
    ),
    Form("ctis", Registry.CTIS, rf"{_LEFT}(?:CTIS|EU\s?CT(?!R)){_GAP}(?P<ctis_n>{_EU_NUMBER})"),
    Form(
        "euctr",
        Registry.EUCTR,
        rf"{_LEFT}(?P<euctr_p>Eudra\s?-?\s?CT|EU-?CTR){_GAP}(?P<euctr_n>{_EU_NUMBER}|\d[\d-]*\d)",
    ),
    Form("eu_bare", None, rf"(?P<eu_bare_n>{_BARE_EU_NUMBER})"),
    Form("anzctr", Registry.ANZCTR, rf"{_LEFT}(?:ACTRN|ANZCTR){_GAP}(?P<anzctr_n>\d+)"),
    Form(
        "chictr",
        Registry.CHICTR,
        rf"{_LEFT}ChiCTR(?:\s?-?\s?(?P<chictr_l>[A-Z]{{2,4}})\s?-)?{_GAP}(?P<chictr_n>\d+)",
    ),
    Form(
        "ctri",
        Registry.CTRI,
        rf"{_LEFT}CTRI[\s:#]*/?\s*(?P<ctri_n>\d{{4}}\s*/\s*\d{{2,3}}\s*/\s*\d+)",
    ),
    # DKRS: a real misspelling (STARRR).
    Form("drks", Registry.DRKS, rf"{_LEFT}(?P<drks_p>DRKS|DKRS){_GAP}(?P<drks_n>\d(?:_?\d)*)"),
    Form("jrct", Registry.JRCT, rf"{_LEFT}(?:JPRN[\s:-]*)?jRCT[\s:-]?(?P<jrct_n>[a-z]?\d+)"),
    Form(
        "japic",
        Registry.JRCT,
        rf"{_LEFT}(?:JPRN[\s:-]*)?Japic\s?-?\s?CTI[\s:#-]*(?P<japic_n>\d+)",
    ),
    Form("jma", Registry.JRCT, rf"{_LEFT}(?:JPRN[\s:-]*)?JMA[\s-]?IIA(?P<jma_n>\d+)"),
    Form(
        "umin",
        Registry.UMIN,
        rf"{_LEFT}(?:JPRN[\s:-]*)?UMIN(?:[\s-]?CTR)?(?:\s+Clinical\s+Trials?\s+Regist(?:ry|er))?"
        rf"{_GAP}C?(?P<umin_n>\d+)",
    ),
    Form("umin_jprn", Registry.UMIN, rf"{_LEFT}JPRN[\s:-]*C(?P<umin_jprn_n>\d+)"),
    Form("umin_c", Registry.UMIN, rf"{_LEFT}(?-i:C)(?P<umin_c_n>\d{{9}})(?!\d)", "umin"),
    Form("cris", Registry.CRIS, rf"{_LEFT}KCT{_GAP}(?P<cris_n>\d+)"),
    Form("pactr", Registry.PACTR, rf"{_LEFT}PACTR{_GAP}(?P<pactr_n>\d+)"),
    Form("irct", Registry.IRCT, rf"{_LEFT}IRCT{_GAP}(?P<irct_n>\d+(?:N\d*)?)"),
    Form("nl_omon", Registry.NL, rf"{_LEFT}NL\s?-?\s?OMON\s?-?\s?(?P<nl_omon_n>\d+)"),
    Form("ntr", Registry.NL, rf"{_LEFT}NTR{_GAP}(?P<ntr_n>\d+)(?!\d|[.,]\d)"),
    # The register named in full before a bare number: "Dutch Trial Register (NTR) 1658".
    Form(
        "nl_named",
        Registry.NL,
        rf"{_LEFT}(?:Netherlands|Nederlands|Dutch)\s+Trials?\s+Regist(?:er|ry)(?:\s*\(NTR\))?"
        rf"(?:\s+trial)?{_GAP}(?:NTR\s?-?\s?)?(?P<nl_named_n>\d{{3,5}})(?!\d|[.,]\d)",
    ),
    Form(
        "umin_named",
        Registry.UMIN,
        rf"{_LEFT}University\s+(?:Hospital\s+)?Medical\s+Information\s+Network"
        rf"(?:[\s,]*\(UMIN\))?(?:[\s,]*Japan)?(?:\s+Clinical\s+Trials?\s+Regist(?:ry|er))?"
        rf"{_GAP}(?:UMIN\s?)?C?(?P<umin_named_n>\d{{9}})(?!\d)",
    ),
    Form("nl", Registry.NL, rf"{_LEFT}(?-i:NL)[\s-]?(?P<nl_n>\d{{4,5}})(?!\d|[.,]\d)", "nl"),
    Form(
        "rebec",
        Registry.REBEC,
        rf"{_LEFT}RBR[\s:]*-?\s?(?P<rebec_n>(?=[a-z]*\d)[0-9a-z]{{6,10}})(?![0-9a-z])",
    ),
    Form("slctr", Registry.SLCTR, rf"{_LEFT}SLCTR[\s:#]*/?\s*(?P<slctr_n>\d{{4}}\s*/\s*\d+)"),
    Form("tctr", Registry.TCTR, rf"{_LEFT}TCTR{_GAP}(?P<tctr_n>\d+)"),
    Form(
        "repec",
        Registry.REPEC,
        rf"{_LEFT}(?:REPEC{_GAP})?(?P<repec_n>PER\s?-\s?\d{{3}}\s?-\s?\d{{2}}(?:-[A-Z])?)(?![\d-])",
    ),
    Form("lbctr", Registry.LBCTR, rf"{_LEFT}LBCTR{_GAP}(?P<lbctr_n>\d+)"),
    Form("itmctr", Registry.ITMCTR, rf"{_LEFT}ITMCTR{_GAP}(?P<itmctr_n>\d+)"),
    Form(
        "utn",
        Registry.UTN,
        rf"{_LEFT}(?:UTN{_GAP})?(?P<utn_n>U\s?1111\s?-?\s?\d{{4}}\s?-?\s?\d{{4}})(?!\d)",
    ),
)

FORM_PATTERNS: tuple[tuple[Form, re.Pattern[str]], ...] = tuple(
    (form, re.compile(f"(?P<{form.name}>{form.pattern})", re.IGNORECASE | re.ASCII))
    for form in FORMS
)

# Where an identifier can start, in the lowercased text. Every alternative begins with a plain
# literal: Python's regex engine then skips positions by their first character and tests each
# alternative with one comparison, so one pass costs about as much as a single simple regex
# (a plain alternation of the forms above, with lookbehinds and IGNORECASE, runs ~20x slower).
# It only locates candidates; the form patterns decide. Every form must start at a hit.
_LOCATIONS = (
    r"n(?:(?<![a-z0-9].)|(?<=gov.))ct",
    r"is[rc][rc]t", r"irsct", r"ctis", r"eu[\s-]?ct", r"eudra",
    r"1(?<![\w./-].)(?=99\d-)", r"2(?<![\w./-].)(?=0[0-3]\d-)",
    r"actrn", r"anzctr", r"chictr", r"ctri", r"drks", r"dkrs", r"jprn", r"jrct", r"japic", r"jma",
    r"umin", r"c(?=\d{9})", r"kct", r"pactr", r"irct", r"nl(?=[\s-]?(?:\d|omon))", r"ntr",
    r"netherlands", r"nederlands", r"dutch", r"university", r"rbr", r"slctr", r"tctr",
    r"repec", r"per(?=\s?-)", r"lbctr", r"itmctr", r"utn", r"u(?=\s?1111)",
)  # fmt: skip


_GLUED_BEFORE = "".join(f"|(?<={word}.)" for word in GLUED_WORDS)


def _at_word_start(location: str) -> str:
    """Insert the left boundary after the leading literal, so the alternative still starts
    with a literal (which the engine's fast first-character skip needs)."""
    if not location[0].isalpha():
        return location
    if location.startswith("n(?:"):
        return location.replace("(?<=gov.)", f"(?<=gov.){_GLUED_BEFORE}", 1)
    return f"{location[0]}(?:(?<![a-z0-9].){_GLUED_BEFORE}){location[1:]}"


LOCATOR = re.compile("|".join(_at_word_start(loc) for loc in _LOCATIONS), re.ASCII)


@cache
def locator_any_case() -> re.Pattern[str]:
    """:data:`LOCATOR` ignoring case, for the rare text whose lower-casing changes its length;
    compiled when first needed (about 5 ms that every start would pay otherwise)."""
    return re.compile(LOCATOR.pattern, re.ASCII | re.IGNORECASE)


# Numbers whose registry is only named before them ("ISRCTN, number 99959692",
# "German Clinical Trials Register 00005115", "ANZCTR registry 12610000660088"): searched only
# in texts that name one of these registries (BARE_NAMES, lowercased).
BARE_NUMBER = re.compile(
    r"(?<![\w./-])(?:(?P<bare14>12\d{12})|(?P<bare8>\d{8}))(?![\d/-]|[.,]\d)", re.ASCII
)
BARE_NAMES = (
    "isrct", "iscrt", "irsct", "international standard", "controlled-trials", "drks",
    "german clinical", "anzctr", "actrn", "australian", "clinicaltrials.gov",
)  # fmt: skip

# Registry names that make a bare number count, searched just before (and for "nl"/"umin"
# also just after) the number.
CONTEXT: dict[str, re.Pattern[str]] = {
    "umin": re.compile(r"UMIN|University hospital Medical Information Network", re.I),
    "nl": re.compile(
        r"\bNTR\b|Netherlands|Dutch|trialregister\.nl|onderzoekmetmensen|\bNederlands", re.I
    ),
    "anzctr": re.compile(r"ANZCTR|ACTRN|Australian (?:and )?New Zealand Clinical Trials?", re.I),
}
# For 8-digit numbers: which registry the name before them points to.
BARE8_CONTEXT: tuple[tuple[Registry, re.Pattern[str]], ...] = (
    (
        Registry.ISRCTN,
        re.compile(
            r"IS[RC][RC]TN?|International Standard(?:i[sz]ed)? Randomi[sz]ed Controlled Trials?"
            r"|controlled-trials\.com|isrctn\.com",
            re.I,
        ),
    ),
    (Registry.DRKS, re.compile(r"DRKS|German Clinical Trials? Regist", re.I)),
    # "registered at ClinicalTrials.gov number 00795964" (STARRR): the NCT prefix left out.
    (Registry.CTGOV, re.compile(r"ClinicalTrials\.gov", re.I)),
)
CONTEXT_BEFORE = 80
CONTEXT_AFTER = 40
