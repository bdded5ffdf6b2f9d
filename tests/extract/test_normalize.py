from __future__ import annotations

import pytest

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
