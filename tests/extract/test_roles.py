from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linker.extract import roles
from linker.extract.roles import SENTENCE_WINDOW, classify_role, sentence_around
from linker.models import Role


def _role(text: str, identifier: str, occurrence: int = 0) -> Role:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(identifier, start + 1)
    return classify_role(text, start, start + len(identifier))


@pytest.mark.parametrize(
    ("text", "identifier", "role"),
    [
        ("Trial registration: ISRCTN10134725.", "ISRCTN10134725", Role.OWN),
        ("TRIAL REGISTRATION: NCT01506986", "NCT01506986", Role.OWN),
        ("This trial is registered as ISRCTN10134725.", "ISRCTN10134725", Role.OWN),
        ("The study was prospectively registered on ClinicalTrials.gov, NCT04285021.",
         "NCT04285021", Role.OWN),
        ("Registration: NCT01506986.", "NCT01506986", Role.OWN),
        ("Unique identifiers: NCT04273854 and NCT05434195.", "NCT05434195", Role.OWN),
        ("ClinicalTrials.gov identifier: NCT01506986.", "NCT01506986", Role.OWN),
        ("We used data from the ASPREE trial (NCT01038583).", "NCT01038583", Role.OTHER),
        ("Patients had completed a previous trial (NCT01038583).", "NCT01038583", Role.OTHER),
        ("This is an open-label extension of NCT01038583.", "NCT01038583", Role.OTHER),
        ("Eligible patients entered an extension study (ClinicalTrials.gov identifier: "
         "NCT01093326).", "NCT01093326", Role.OTHER),
        ("Outcomes were pooled across NCT01038583 and NCT01038584.", "NCT01038584", Role.OTHER),
        ("Patients from the parent trial (NCT01038583) were invited.", "NCT01038583", Role.OTHER),
        ("The HEAT trial was a randomised placebo-controlled trial (EudraCT 2011-003425-96).",
         "2011-003425-96", Role.OWN),
        ("We await the results of two larger trials (NCT01172808 and NCT01172821).",
         "NCT01172808", Role.OTHER),
        # Issue 7 section 5, real CONSORT-TM sentences.
        ("We await the results of two larger, replicate, Phase III, 24-week, randomised, "
         "double-blind trials in patients receiving moderate-dose ICS (NCT01172808 and "
         "NCT01172821).", "NCT01172821", Role.OTHER),
        ("A study of tenapanor was evaluated in patients with IBS-C in a placebo-controlled "
         "study, with tenapanor treatment resulting in improvements in IBS-C symptoms "
         "(ClinicalTrials.gov identifier: NCT01340053) (18).", "NCT01340053", Role.OTHER),
        ("... all delivered using Co-Suspension delivery technology (NCT00871182 [6], "
         "NCT01350128 [7], NCT01085045 [8]).", "NCT01350128", Role.OTHER),
        ("Funding: Abbott sponsored the study (NCT00195663) and contributed to the study "
         "design.", "NCT00195663", Role.OWN),
        ("NCT00005669, clinicaltrials.gov.", "NCT00005669", Role.OWN),
        ("Clinical trial reg.\nno.\nNCT00005669, clinicaltrials.gov.", "NCT00005669", Role.OWN),
        ("Registration Clinical Trials NCT00298233", "NCT00298233", Role.OWN),
        ("Trial register number:\nNCT01242488.", "NCT01242488", Role.OWN),
        ("This report covers the planned analysis of the first 1 year of a 2-year study "
         "(NCT01120366, UMIN000002744).", "UMIN000002744", Role.OWN),
        ("(VitamIN D Treating patIents With Chronic heArT failurE [VINDICATE]; NCT01619891)\n"
         "Chronic heart failure (HF) secondary to left ventricular systolic dysfunction",
         "NCT01619891", Role.OWN),
        # A reference after an own registration statement stays own.
        ("The trial was registered at ClinicalTrials.gov (NCT01506986) [12].", "NCT01506986",
         Role.OWN),
        ("Trial registration: NCT01506986 [12]", "NCT01506986", Role.OWN),
    ],
)  # fmt: skip
def test_classify_role(text: str, identifier: str, role: Role) -> None:
    assert _role(text, identifier) == role


def test_one_statement_two_own_ids() -> None:
    text = (
        "Trial registration: Workstream 4 (feasibility trial) is registered as International "
        "Standardised Randomised Controlled Trial Number ISRCTN15036829 and Workstream 5 "
        "(definitive trial of effectiveness and cost-effectiveness) is registered as "
        "ISRCTN12417565."
    )
    assert _role(text, "ISRCTN15036829") == Role.OWN
    assert _role(text, "ISRCTN12417565") == Role.OWN


def test_own_after_other_in_one_sentence() -> None:
    text = "Unlike the parent trial (NCT01038583), this trial was registered as NCT02038583."
    assert _role(text, "NCT01038583") == Role.OTHER
    assert _role(text, "NCT02038583") == Role.OWN


def test_sentence_around_respects_abbreviations_and_lines() -> None:
    text = (
        "METHODS: We randomised 40 patients. Reg. no. NCT01506986 e.g. here. Next one.\n"
        "TRIAL REGISTRATION: ISRCTN10134725."
    )
    start = text.index("NCT01506986")
    assert sentence_around(text, start, start + 11) == "Reg. no. NCT01506986 e.g. here."
    start = text.index("ISRCTN")
    assert sentence_around(text, start, start + 14) == "TRIAL REGISTRATION: ISRCTN10134725."


def _in_a_long_line(statement: str, filler_words: int) -> tuple[str, int, int]:
    text = "word " * filler_words + statement + " word" * filler_words
    start = text.index("NCT")
    return text, start, start + 11


def test_sentence_is_cut_to_the_window_at_word_boundaries() -> None:
    text, start, end = _in_a_long_line("registered as NCT01506986 in 2011", 1000)
    sentence = sentence_around(text, start, end)
    assert sentence.startswith("\u2026word ") and sentence.endswith(" word\u2026")
    assert "registered as NCT01506986 in 2011" in sentence
    assert len(sentence) <= 2 * SENTENCE_WINDOW + 11 + 2
    assert set(sentence.strip("\u2026").split()) == {
        "word",
        "registered",
        "as",
        "NCT01506986",
        "in",
        "2011",
    }


def test_sentence_without_spaces_is_cut_at_the_window() -> None:
    text = "x" * 5000 + " NCT01506986 " + "y" * 5000
    start = text.index("NCT")
    assert sentence_around(text, start, start + 11) == "\u2026NCT01506986\u2026"
    text = "x" * 5000 + "(NCT01506986)" + "y" * 5000
    sentence = sentence_around(text, start, start + 11)
    assert (
        sentence
        == "\u2026" + text[start - SENTENCE_WINDOW : start + 11 + SENTENCE_WINDOW] + "\u2026"
    )


def test_sentence_within_the_window_is_not_cut() -> None:
    text = "Other things. Then " + "word " * 50 + "registered as NCT01506986. More."
    start = text.index("NCT")
    sentence = sentence_around(text, start, start + 11)
    assert sentence == text[len("Other things. ") : text.index(" More.")]
    assert "\u2026" not in sentence


def test_long_line_costs_only_the_window() -> None:
    # 20 MB on one line: scanning it (as before the window) took ~20 s a call.
    text, start, end = _in_a_long_line("This trial was registered as NCT01506986", 2_000_000)
    began = time.perf_counter()
    for _ in range(20):
        assert classify_role(text, start, end) is Role.OWN
        assert len(sentence_around(text, start, end)) < 2 * SENTENCE_WINDOW + 20
    assert time.perf_counter() - began < 2.0


SENTENCE_PIECES = st.sampled_from(
    [".", "!", "?", "\n", " ", "A", "a", "e.g", "no", "(", '"', "\n\n", "Results:", "1", "Fig"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(SENTENCE_PIECES, max_size=16).map("".join), st.data())
def test_the_last_sentence_end_found_back_from_the_id_is_the_last_found_forward(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    low = data.draw(st.integers(min_value=0, max_value=start))
    forward = -1
    for match in roles._SENTENCE_END.finditer(text, low, start):
        if roles._is_real_end(text, match.start()):
            forward = match.end()
    assert roles._last_end_before(text, low, start) == forward
