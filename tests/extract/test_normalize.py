from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linker.extract import normalize as normalize_module
from linker.extract.normalize import normalize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NCT01506986", "NCT01506986"),
        ("2011\u2013003425\u201196", "2011-003425-96"),
        ("2011\u2212003425\u201096", "2011-003425-96"),
        ("NCT\u00a001506986", "NCT 01506986"),
        ("NCT\u202f01506986", "NCT 01506986"),
        ("NCT0150\u200b6986", "NCT01506986"),
        ("NCT0150\u00ad6986", "NCT01506986"),
        ("\ufeffNCT0150\u20606986", "NCT01506986"),
        ("NCT0150-\n6986", "NCT01506986"),
        ("NCT0150-\r\n  6986", "NCT01506986"),
        ("2011-\n003425-96", "2011-003425-96"),
        ("regis-\ntered", "registered"),
        ("ISRCTN\n10134725", "ISRCTN\n10134725"),
        ("end -\n Next", "end -\n Next"),
    ],
)
def test_normalized_text(text: str, expected: str) -> None:
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "a\u00adb\u200bc NCT\u00a001 x-\ny 2011\u2013003425",
        "NCT0150-\n6986 and \u00ad\u00ad ISRCTN\u200b\u200b1 z",
        "plain ascii text",
    ],
)
def test_every_character_maps_back_to_its_origin(text: str) -> None:
    normalized = normalize(text)
    for index, char in enumerate(normalized.text):
        original = text[normalized.original_offset(index)]
        assert original == char or (char in "- " and not original.isalnum())


def test_span_maps_back_over_dropped_characters() -> None:
    text = "see NCT0150-\n6986."
    normalized = normalize(text)
    start = normalized.text.index("NCT")
    assert normalized.original_span(start, start + 11) == (4, 17)
    assert text[4:17] == "NCT0150-\n6986"


CHANGED = {
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-"),
    **dict.fromkeys("\u00a0" + "".join(map(chr, range(0x2000, 0x200B))), " "),
    **dict.fromkeys("\u202f\u205f\u3000\ufffd", " "),
}


def test_every_odd_dash_and_space_alone_and_together() -> None:
    # Each character replaced the module docstring's way, whichever others stand beside it.
    for char, replacement in CHANGED.items():
        assert normalize(f"a{char}b\u00e9").text == f"a{replacement}b\u00e9"
    mixed = "".join(CHANGED) + "\u00e9x" + "".join(reversed(CHANGED))
    expected = "".join(CHANGED.values()) + "\u00e9x" + "".join(reversed(CHANGED.values()))
    normalized = normalize(mixed)
    assert normalized.text == expected and normalized.segments == [(0, 0)]
    dropped = normalize("NCT\u2013\u200b01\u00a0506986")
    assert dropped.text == "NCT-01 506986" and dropped.original_span(4, 6) == (5, 7)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from(["-", "\u00ad", "\u2013", " ", "\t", "\r", "\n", "a", "1"])).map(
        "".join
    )
)
def test_the_line_end_hyphen_test_is_the_regex(text: str) -> None:
    found = normalize_module._LINE_END_HYPHEN.search(text) is not None
    assert normalize_module._ends_a_line_with_a_hyphen(text) == found
