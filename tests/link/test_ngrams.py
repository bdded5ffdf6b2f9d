"""Word-piece similarity: rare pieces shared inside longer words count, common endings do not."""

from __future__ import annotations

import pytest

from linker.link.ngrams import cosine, pieces
from linker.link.specificity import Vocabulary, WordFrequencies, shipped_vocabulary


def test_pieces_of_content_words_with_word_edges() -> None:
    found = pieces("A randomised trial of Oxabact")
    assert {" ox", "oxa", "act ", "bact"} <= set(found)
    assert not any("tri" in piece or "rand" in piece for piece in found)


def test_cosine_is_symmetric_bounded_and_zero_without_shared_pieces() -> None:
    idf: dict[str, float] = {}
    a, b = "Oxalobacter formigenes in primary hyperoxaluria", "Phase 2/3 Oxabact Study"
    assert cosine(a, b, idf, 1.0) == pytest.approx(cosine(b, a, idf, 1.0))
    assert 0.0 < cosine(a, b, idf, 1.0) < 1.0
    assert cosine(a, a, idf, 1.0) == pytest.approx(1.0)
    assert cosine(a, "Cocoa flavanols and exercise capacity", idf, 1.0) == 0.0
    assert cosine("", b, idf, 1.0) == 0.0


def test_real_pairs_that_share_no_word_share_pieces() -> None:
    """IntoValue true pairs whose titles share no word, against a random other record."""
    vocabulary = shipped_vocabulary()
    epiretinal = (
        "Stimulus-induced depression effects on perceptual threshold in epiretinal prosthesis"
    )
    own = "IRIS PILOT - Extended Pilot Study With a Retinal Implant System"
    other = "Cocoa Flavanols and Exercise Capacity"
    assert vocabulary.piece_similarity(epiretinal, own) > vocabulary.piece_similarity(
        epiretinal, other
    )


def test_rare_pieces_weigh_more_than_common_endings() -> None:
    vocabulary = Vocabulary.of_titles(
        ["Vaccination of adults", "Stabilisation of fractures", "Hydration at home"]
    )
    rare = vocabulary.piece_similarity("bivalirudin", "bivalirudin heparin")
    common = vocabulary.piece_similarity("vaccination", "stabilisation")
    assert rare > common


def test_word_frequencies_of_any_unit() -> None:
    table = WordFrequencies.of_titles(["ab ab", "ab cd"], str.split)
    assert (table.documents, table.counts) == (2, {"ab": 2, "cd": 1})
    assert table.weights["ab"] < table.weights["cd"]
