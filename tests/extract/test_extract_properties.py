"""Properties of extraction on arbitrary text: it never raises, spans point at their raw text,
results are ordered without overlaps, and an identifier keeps being found whatever unicode
spacing or dashes surround it."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from linker.extract.identifiers import find_identifiers, parse_identifier
from linker.models import Registry

IDS = ["NCT01506986", "ISRCTN10134725", "2011-003425-96", "DRKS00005115", "ACTRN12610000660088"]
SEPARATORS = st.sampled_from([" ", "\u00a0", "\u2009", "\n", " (", ": ", "; ", "\u200b "])
PROSE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(PROSE)
def test_any_text_gives_consistent_spans(text: str) -> None:
    found = find_identifiers(text)
    for item in found:
        assert text[item.start : item.end] == item.raw
    starts = [(f.start, f.end) for f in found]
    assert starts == sorted(starts)
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in pairwise(starts))


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="abcdefghij klmnop.,", max_size=40),
    SEPARATORS,
    st.sampled_from(IDS),
    SEPARATORS,
    st.text(alphabet="abcdefghij klmnop.,", max_size=40),
)
def test_identifier_is_found_in_any_surrounding(
    before: str, left: str, identifier: str, right: str, after: str
) -> None:
    registry_named = "DRKS" if identifier.startswith("DRKS") else "registered as"
    text = f"{before}{left}{registry_named} {identifier}{right}{after}"
    ids = [f.id for f in find_identifiers(text) if f.valid_format]
    assert identifier in ids


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "-"]))
def test_eudract_dashes(dash: str) -> None:
    found = parse_identifier(f"2011{dash}003425{dash}96")
    assert found is not None
    assert (found.registry, found.id) == (Registry.EUCTR, "2011-003425-96")
