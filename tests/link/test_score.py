"""Match scores: text normalisation, evidence, verdicts, and the seed papers' real records."""

from __future__ import annotations

import pytest

from linker.link.score import MatchThresholds, acronym_in_text, score_match, title_similarity
from linker.link.text import content_words, normalise
from linker.models import Publication, Registry
from linker.registries.interface import Enrollment, RegistryRecord
from linker.results import Verdict


def paper(title: str, abstract: str = "") -> Publication:
    return Publication(
        key="p1", title=title, abstract=abstract, file="f", line=1, end_line=2, ordinal=1
    )


def record(title: str, **extra: object) -> RegistryRecord:
    return RegistryRecord(
        registry=Registry.ISRCTN, id="ISRCTN00000000", url="u", public_title=title, **extra
    )  # type: ignore[arg-type]


def test_normalise_folds_case_accents_spelling_and_boilerplate() -> None:
    assert normalise("Randomised Trial of Anti-Depressant Tapering in Größe Études") == (
        "antidepressant tapering grosse etude"
    )
    assert content_words("long-term anti-depressants") == ("longterm", "antidepressant")


def test_title_similarity_is_symmetric_and_bounded() -> None:
    a, b = "Aspirin for stroke prevention", "Prevention of stroke with aspirin: a randomised trial"
    assert title_similarity(a, b) == pytest.approx(title_similarity(b, a))
    assert title_similarity(a, b) == 1.0
    assert title_similarity(a, "Insulin pumps in type 1 diabetes") == 0.0
    assert title_similarity("", b) == 0.0


@pytest.mark.parametrize(
    ("acronym", "text", "found"),
    [
        ("HEAT", "the HEAT RCT.", True),
        ("HEAT", "heat stress in workers", False),
        ("HEAT", "HEATWAVE study", False),
        ("Spot Sepsis", "(spot sepsis): a cohort", True),
        ("POP-HT", "POP-HTX", False),
    ],
)
def test_acronym_word_boundary_and_case(acronym: str, text: str, found: bool) -> None:
    assert acronym_in_text(acronym, text) is found


def test_evidence_strings_name_each_signal() -> None:
    result = score_match(
        paper(
            "Aspirin after stroke: the ASPIRE trial", "Adults with ischaemic stroke took aspirin."
        ),
        record(
            "Aspirin in secondary prevention of stroke",
            acronym="ASPIRE",
            conditions=["Ischaemic stroke", "Migraine"],
            interventions=["Aspirin"],
            sponsor="University of Nottingham",
        ),
    )
    assert result.verdict is Verdict.MATCH
    joined = " | ".join(result.evidence)
    assert "title similarity" in joined and "(public title)" in joined
    assert "acronym ASPIRE in paper" in joined
    assert "conditions: 1 of 2 in paper" in joined
    assert "interventions: 1 of 1 in paper" in joined
    assert "sponsor University of Nottingham not named" in joined


def test_thresholds_decide_the_verdict() -> None:
    pub, rec = paper("Aspirin for stroke"), record("Aspirin for migraine in children")
    score = score_match(pub, rec).score
    assert 0 < score < 1
    assert score_match(pub, rec, MatchThresholds(match=score, weak=0)).verdict is Verdict.MATCH
    assert score_match(pub, rec, MatchThresholds(match=1, weak=score)).verdict is Verdict.WEAK
    assert score_match(pub, rec, MatchThresholds(match=1, weak=1)).verdict is Verdict.MISMATCH
    with pytest.raises(ValueError, match="weak <= match"):
        MatchThresholds(match=0.1, weak=0.5)


def test_record_without_title_is_scored_on_the_rest() -> None:
    rec = RegistryRecord(registry=Registry.CTGOV, id="NCT00000000", url="u", acronym="HEAT")
    result = score_match(paper("The HEAT RCT"), rec)
    assert "record has no title" in result.evidence
    assert result.score > 0


# The seed list's papers against records with their real titles (short strings).
REDUCE_FEASIBILITY = record(
    "REDUCE: REviewing long term anti-Depressant Use by Careful monitoring in Everyday practice",
    acronym="REDUCE",
)
REDUCE_DEFINITIVE = record(
    "Internet and telephone support to discontinue long-term antidepressants", acronym="REDUCE"
)
HEAT = record(
    "Helicobacter Eradication Aspirin Trial",
    acronym="HEAT",
    sponsor="University of Nottingham",
    conditions=["Peptic ulcer bleeding"],
)
REDUCE_PAPER = paper(
    "Internet and telephone intervention to support patients discontinuing longterm "
    "antidepressants in primary care: the REDUCE research programme including RCT",
    "Adults on antidepressant treatment for more than 1 year were randomised.",
)
HEAT_PAPER = paper(
    "Eradication of Helicobacter pylori for prevention of aspirin-associated peptic ulcer "
    "bleeding in adults over 65 years: the HEAT RCT.",
    "The Helicobacter Eradication Aspirin Trial was a randomised placebo-controlled trial.",
)


@pytest.mark.parametrize(
    ("publication", "rec"),
    [(REDUCE_PAPER, REDUCE_FEASIBILITY), (REDUCE_PAPER, REDUCE_DEFINITIVE), (HEAT_PAPER, HEAT)],
)
def test_seed_papers_match_their_records(publication: Publication, rec: RegistryRecord) -> None:
    assert score_match(publication, rec).verdict is Verdict.MATCH


@pytest.mark.parametrize(
    ("publication", "rec"), [(REDUCE_PAPER, HEAT), (HEAT_PAPER, REDUCE_FEASIBILITY)]
)
def test_seed_papers_do_not_match_each_others_records(
    publication: Publication, rec: RegistryRecord
) -> None:
    assert score_match(publication, rec).verdict is Verdict.MISMATCH


def test_seed_list_papers_from_the_fixture_file(fixtures_dir: object) -> None:
    from pathlib import Path

    lines = (
        (Path(str(fixtures_dir)) / "publications" / "publications.txt")
        .read_text(encoding="utf-8")
        .splitlines()
    )

    def seed(line: int) -> Publication:
        return paper(lines[line - 1], lines[line])

    renal = RegistryRecord(
        registry=Registry.CTGOV,
        id="NCT04273854",
        url="u",
        public_title="Physician Optimised Post-partum Hypertension Treatment",
        acronym="POP-HT",
        conditions=["Pre-Eclampsia", "Gestational Hypertension"],
    )
    sepsis = RegistryRecord(
        registry=Registry.CTGOV,
        id="NCT04285021",
        url="u",
        public_title="Spot Sepsis: risk stratification of febrile children in Asia",
        conditions=["Febrile illness", "Sepsis"],
    )
    assert score_match(seed(10), REDUCE_FEASIBILITY).verdict is Verdict.MATCH
    assert score_match(seed(10), REDUCE_DEFINITIVE).verdict is Verdict.MATCH
    assert score_match(seed(14), HEAT).verdict is Verdict.MATCH
    assert score_match(seed(12), renal).verdict is Verdict.MATCH
    assert score_match(seed(22), sepsis).verdict is Verdict.MATCH
    assert score_match(seed(22), HEAT).verdict is Verdict.MISMATCH


# The real false accusations (IntoValue): a mismatch on titles alone, never conclusive.
PROMESA_PAPER = paper(
    "Safety and efficacy of epigallocatechin gallate in multiple system atrophy (PROMESA): a "
    "randomised, double-blind, placebo-controlled trial"
)
PROMESA_RECORD = record(
    "Progression Rate of MSA Under EGCG Supplementation as Anti-Aggregation-Approach"
)
BRAVO_PAPER = paper(
    "Bivalirudin Versus Heparin Anticoagulation in Transcatheter Aortic Valve Replacement: The "
    "Randomized BRAVO-3 Trial"
)
BRAVO_RECORD = record(
    "Open-label, Randomized Trial in Participants Undergoing TAVR to Determine Safety & Efficacy "
    "of Bivalirudin vs UFH"
)


@pytest.mark.parametrize(
    ("publication", "rec", "shared"),
    [(PROMESA_PAPER, PROMESA_RECORD, "'MSA'"), (BRAVO_PAPER, BRAVO_RECORD, "'bivalirudin'")],
)
def test_mismatch_sharing_a_specific_term_is_not_conclusive(
    publication: Publication, rec: RegistryRecord, shared: str
) -> None:
    result = score_match(publication, rec, MatchThresholds(match=1.0, weak=1.0))
    assert result.verdict is Verdict.MISMATCH
    assert result.conclusive is False
    assert any(e.startswith("not conclusive") and shared in e for e in result.evidence)


def test_mismatch_with_nothing_in_common_is_conclusive() -> None:
    result = score_match(HEAT_PAPER, REDUCE_FEASIBILITY)
    assert result.verdict is Verdict.MISMATCH
    assert result.conclusive is True
    assert any(e.startswith("conclusive: no shared acronym") for e in result.evidence)


def test_named_condition_or_intervention_makes_a_mismatch_inconclusive() -> None:
    rec = record("Insulin pumps in type 1 diabetes", interventions=["Aspirin"], acronym=None)
    result = score_match(paper("Aspirin after stroke"), rec, MatchThresholds(match=1, weak=1))
    assert result.conclusive is False


def test_record_citing_the_paper_is_a_certain_match() -> None:
    from linker.registries.interface import RecordReference

    unrelated = record(
        "Insulin pumps in type 1 diabetes",
        references=[RecordReference(pmid="999"), RecordReference(doi="https://doi.org/10.1/AB")],
    )
    by_pmid = score_match(
        paper("Aspirin after stroke").model_copy(update={"pmid": "999"}), unrelated
    )
    assert (by_pmid.verdict, by_pmid.score) == (Verdict.MATCH, 1.0)
    assert by_pmid.evidence == ["the registry lists this paper (PMID 999)"]
    by_doi = score_match(
        paper("Aspirin after stroke").model_copy(update={"doi": "10.1/ab"}), unrelated
    )
    assert by_doi.verdict is Verdict.MATCH
    assert score_match(paper("Aspirin after stroke"), unrelated).verdict is Verdict.MISMATCH


def test_medical_fields_from_stems_and_drug_names() -> None:
    from linker.link.domains import fields_of

    assert "cardiovascular" in fields_of("Telmisartan, Amlodipine and Flow Mediated Dilation")
    assert "cardiovascular" in fields_of("Cardiovascular biomarkers in hypertensive patients")
    assert "oncology" in fields_of("Rituximab after lymphoma-directed conditioning")
    assert fields_of("Cocoa flavanols") == frozenset()


def test_a_shared_field_makes_a_mismatch_inconclusive() -> None:
    rec = record("Telmisartan, Amlodipine and Flow Mediated Dilation", acronym=None)
    pub = paper("Cardiovascular Biomarkers in Hypertensive Patients with Medical Treatment")
    result = score_match(pub, rec, MatchThresholds(match=1, weak=1))
    assert result.conclusive is False
    assert any("'cardiovascular'" in e for e in result.evidence)


def test_rare_shared_words_count_more_than_common_ones() -> None:
    from linker.link.specificity import shipped

    table = shipped()
    assert table.documents == 3790
    assert (
        table.specificity("bivalirudin") > table.specificity("stroke") > table.specificity("cancer")
    )
    assert table.specificity("neverseenbefore") == 1.0


def test_missing_fields_add_nothing() -> None:
    from linker.link.features import gather

    bare = gather(paper("Aspirin after stroke"), record("Aspirin in stroke", acronym=None))
    assert bare.features.abstract is None
    assert bare.features.acronym is None
    assert bare.features.conditions is None and bare.features.interventions is None
    assert bare.features.sponsor is None and bare.features.published_before_start is None
    fuller = score_match(
        paper("Aspirin after stroke", "Adults after stroke took aspirin."),
        record("Aspirin in stroke", acronym=None, interventions=["Aspirin"]),
    )
    assert (
        fuller.score
        > score_match(
            paper("Aspirin after stroke"), record("Aspirin in stroke", acronym=None)
        ).score
    )


def test_publication_before_the_trial_started_counts_against() -> None:
    from linker.registries.interface import PartialDate

    rec = record("Aspirin in stroke", acronym=None, start_date=PartialDate(value="2015-01-01"))
    before = score_match(paper("Aspirin after stroke").model_copy(update={"year": 2012}), rec)
    after = score_match(paper("Aspirin after stroke").model_copy(update={"year": 2017}), rec)
    assert before.score < after.score
    assert any("published before the trial started" in e for e in before.evidence)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        # The seed list's abstracts (REDUCE, HEAT, Spot Sepsis).
        ("The definitive trial randomised 330 patients (5% of those invited)", 330),
        ("5367 had a positive result, 5352 were randomised to an intention-to-treat", 5352),
        ("FINDINGS: 3423 participants were recruited between March 5, 2020", 3423),
        ("In total, 1,204 adults were enrolled.", 1204),
        ("No numbers of people here; 12 months of follow-up.", None),
    ],
)
def test_sample_size_from_the_abstract(text: str, size: int | None) -> None:
    from linker.link.sample_size import sample_size

    assert sample_size(text) == size


def test_enrolment_matching_the_sample_size_is_evidence() -> None:
    from linker.registries.interface import Enrollment

    # Titles only partly alike, so that the score is not already certain without the enrolment.
    pub = paper("Aspirin after stroke", "Overall, 330 patients were randomised.")
    title = "Antiplatelet therapy after cerebral ischaemia"
    same = record(title, acronym=None, enrollment=Enrollment(count=320))
    other = record(title, acronym=None, enrollment=Enrollment(count=4000))
    agreeing = score_match(pub, same)
    assert "enrolment 320 ~ 330 in paper" in agreeing.evidence
    assert agreeing.score > score_match(pub, other).score


def test_titles_sharing_rare_word_pieces_are_not_conclusive() -> None:
    """IntoValue NCT01037231: the code name is built from the bacterium's name."""
    pub = paper(
        "A randomised Phase II/III study to evaluate the efficacy and safety of orally "
        "administered Oxalobacter formigenes to treat primary hyperoxaluria"
    )
    result = score_match(pub, record("Phase 2/3 Oxabact Study", acronym=None))
    assert result.verdict is Verdict.MISMATCH
    assert result.conclusive is False
    assert any(e.startswith("not conclusive: the titles are partly alike") for e in result.evidence)


def test_a_mismatch_is_not_conclusive_where_the_record_has_no_title_or_the_enrolment_agrees() -> (
    None
):
    """A registry gap (no title to compare) or a shared sample size could explain a low score:
    the mismatch is then no error."""
    paper = Publication(
        key="1", file="p.txt", line=1, end_line=1, ordinal=1,
        title="Comparison of adaptive pacing therapy for chronic fatigue syndrome: the PACE trial",
        abstract="We randomly assigned 641 participants to four treatments.",
    )  # fmt: skip
    untitled = RegistryRecord(registry=Registry.ISRCTN, id="ISRCTN54285094", url="u")
    match = score_match(paper, untitled)
    assert match.verdict is Verdict.MISMATCH and match.conclusive is False
    assert "not conclusive: the record has no title to compare" in match.evidence
    titled = untitled.model_copy(
        update={
            "public_title": "Oral vitamin K for warfarin reversal",
            "enrollment": Enrollment(count=600),
        }
    )
    match = score_match(paper, titled)
    assert match.verdict is Verdict.MISMATCH and match.conclusive is False
    assert "not conclusive: the enrolment agrees with the paper's" in match.evidence
    unlike = titled.model_copy(update={"enrollment": Enrollment(count=24)})
    assert score_match(paper, unlike).conclusive is True


def test_an_acronym_spelt_out_after_a_colon_is_read_as_the_name_before_it() -> None:
    """ISRCTN's field "PACE: Pacing, Activity, ..." (also as cached from before the parser
    shortened it): a paper naming the PACE trial shares the acronym."""
    paper = Publication(
        key="1", file="p.txt", line=1, end_line=1, ordinal=1,
        title="The PACE trial: 52-week outcomes", abstract="We randomly assigned 641 adults.",
    )  # fmt: skip
    record = RegistryRecord(
        registry=Registry.ISRCTN, id="ISRCTN54285094", url="u",
        public_title="A randomised controlled trial of adaptive pacing and graded exercise",
        acronym="PACE: Pacing, Activity, and Cognitive behaviour therapy: a randomised Evaluation",
    )  # fmt: skip
    match = score_match(paper, record)
    assert "acronym PACE in paper" in match.evidence
    assert match.verdict is not Verdict.MISMATCH or match.conclusive is False
