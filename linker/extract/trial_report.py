"""Does a publication report a trial? A transparent weighted-phrase model.

The title and abstract are cut into sentences, each placed (title, design, context or an
unlabelled body, see :mod:`linker.extract.trial_terms`). Phrases that mention trials which are
not this publication's own (future trials, previous trials, Mendelian randomisation, random
sampling) are blanked first. Every remaining cue adds the weight of its place; the sum against a
threshold says whether this is a trial. Secondary analyses and protocols are told apart by their
own phrases. PubMed publication types, where present, settle most cases, because they are the
indexers' judgement; the text decides where they are absent or only say "Journal Article".

The decision reads the text through a :class:`Reading`: :data:`PLAIN` reads it the plain way,
pattern after pattern (this module's functions: the model's definition), the engine of
:mod:`linker.extract.trial_engine` (the default) reads the same facts by one multi-pattern scan
per text and must agree with :data:`PLAIN` on every one.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple, Protocol

from linker.extract import trial_terms as terms
from linker.extract.trial_ngrams import NgramModel, load_model, load_title_model, title_features
from linker.vocabulary import Classification

if TYPE_CHECKING:  # the models (pydantic) are imported where a report is built
    from linker.models import Publication, TrialReport

# A trial-typed record whose text nonetheless reads as a review (or the reverse) needs a margin
# this large over the threshold before the text overrules the publication type.
PT_OVERRULE_MARGIN = 4.0
# Indexed records (types beyond "Journal Article") that NLM did not call a trial.
PT_INDEXED_PENALTY = 2.0
MAX_EVIDENCE = 5
MAX_WORD_EVIDENCE = 3

_SECTION_LABEL = re.compile(
    r"(?:^|(?<=[.!?:;]\s)|(?<=\n))\s*(?P<label>[A-Z][A-Za-z/&,\- ]{1,48}?)\s*:\s+"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
# A trial named as such, or as a phased study ("two phase III studies" are trials).
_TRIAL_WORD = re.compile(
    r"\b(?:trials?|RCTs?)\b|\bphase\s+(?:I{1,3}V?|IV|[1-4])[ab]?(?:/(?:I{1,3}V?|IV|[1-4])[ab]?)?"
    r"\s+(?:[\w-]+\s+){0,2}?stud(?:y|ies)\b",
    re.IGNORECASE,
)
# Every match of these masks contains one of the prefilter's words; testing it first is cheaper.
_MASKS_NEEDING_TRIAL_WORDS = frozenset({"future_trial", "other_trials"})
_SENTENCE_JOINER = "\n.\n"
_MASK_PREFILTER = re.compile(r"trial|rct|stud|should be", re.IGNORECASE)


class Cue(NamedTuple):
    """One cue found: its name, where it stood, and the words that matched."""

    name: str
    place: str
    phrase: str

    @property
    def feature(self) -> str:
        return f"{self.name}@{self.place}"

    @property
    def weight(self) -> float:
        return terms.WEIGHTS.get(self.name, {}).get(self.place, 0.0)


class Reading(ABC):
    """The facts one evaluation read in a title and abstract: all the decision looks at."""

    # Whether the words are read even where the publication types decide (where they cannot
    # change the report): the plain reading reads every fact, so that a faster reading that
    # skips them is compared with one that does not.
    reads_unused_words = True

    def __init__(
        self, title: str, abstract: str, sentences: list[tuple[str, str]], cues: list[Cue]
    ) -> None:
        self.title, self.abstract = title, abstract
        self.sentences = sentences  # (place, sentence), the title first (see place_sentences)
        self.cues = cues  # as find_cues gives them, in its order

    @abstractmethod
    def phrase(self, cue: Cue) -> str:
        """The words that showed ``cue`` (``cue.phrase`` where the reading filled it in)."""

    @abstractmethod
    def holds(self, pattern: re.Pattern[str], index: int) -> bool:
        """Whether ``pattern`` matches sentence ``index``."""

    @abstractmethod
    def count(self, pattern: re.Pattern[str], index: int) -> int:
        """How many times ``pattern`` matches sentence ``index`` (``findall``)."""

    def holding(self, pattern: re.Pattern[str]) -> list[int]:
        """The indices of the sentences ``pattern`` matches, in order."""
        return [index for index in range(len(self.sentences)) if self.holds(pattern, index)]

    @abstractmethod
    def fired(self, words: NgramModel, title_only: bool) -> list[tuple[str, float]]:
        """The weighted word features of ``words`` in the text, largest effect first."""

    @abstractmethod
    def names(self) -> list[tuple[str, str]]:
        """:func:`trial_names` of the title and abstract."""


class PlainReading(Reading):
    """Every fact read the plain way, pattern after pattern: the reference of every faster
    reading."""

    def __init__(self, title: str, abstract: str) -> None:
        sentences = place_sentences(title, abstract)
        super().__init__(title, abstract, sentences, find_cues(sentences))

    def phrase(self, cue: Cue) -> str:
        return cue.phrase

    def holds(self, pattern: re.Pattern[str], index: int) -> bool:
        return pattern.search(self.sentences[index][1]) is not None

    def count(self, pattern: re.Pattern[str], index: int) -> int:
        return len(pattern.findall(self.sentences[index][1]))

    def fired(self, words: NgramModel, title_only: bool) -> list[tuple[str, float]]:
        if title_only:
            return words.weigh(title_features(self.title))
        return words.contributions(self.title, self.abstract)

    def names(self) -> list[tuple[str, str]]:
        return trial_names(self.title + "\n" + self.abstract)


class Evaluation(Protocol):
    """A way of reading texts for the decision."""

    def read(self, title: str, abstract: str) -> Reading: ...


class PlainEvaluation:
    """The model evaluated the plain way (:class:`PlainReading`)."""

    def read(self, title: str, abstract: str) -> Reading:
        return PlainReading(title, abstract)


PLAIN = PlainEvaluation()


@cache
def default_evaluation() -> Evaluation:
    """The fast engine (imported here: it is built from this module's patterns)."""
    from linker.extract.trial_engine import TrialEngine

    return TrialEngine()


def classify_publication(publication: Publication) -> TrialReport:
    """Classify one publication from its title, abstract and publication types."""
    return classify_text(publication.title, publication.abstract, publication.publication_types)


def classify_text(
    title: str,
    abstract: str,
    publication_types: Sequence[str] = (),
    evaluation: Evaluation | None = None,
) -> TrialReport:
    """Classify a title and abstract, using PubMed publication types when given (read by
    ``evaluation``, the fast engine unless told)."""
    from linker.models import TrialReport

    decided = decide(title, abstract, publication_types, evaluation)
    return TrialReport.model_construct(  # every field given, each of its type: nothing to check
        classification=decided.classification,
        evidence=decided.evidence,
        trial_names=decided.trial_names,
    )


class Decision(NamedTuple):
    """What :func:`classify_text` reports, as plain values (no model built)."""

    classification: Classification
    evidence: list[str]
    trial_names: list[str]


def decide(
    title: str,
    abstract: str,
    publication_types: Sequence[str] = (),
    evaluation: Evaluation | None = None,
) -> Decision:
    """:func:`classify_text`'s report as a :class:`Decision`."""
    reading = (evaluation or default_evaluation()).read(title, abstract)
    cues = reading.cues
    weights = [cue.weight for cue in cues]
    phrase_score = terms.BIAS + sum(weights)
    title_only = not abstract.strip()
    types = {pt.strip().lower(): pt.strip() for pt in publication_types if pt.strip()}
    verdict = _by_publication_types(types, phrase_score, cues)
    evidence = _cue_evidence(cues, weights, reading)
    names = reading.names()
    if verdict is not None and not title_only and not reading.reads_unused_words:
        # The words only weigh in a score: where the publication types decide, they say nothing.
        classification, pt_evidence = verdict
        evidence = [*pt_evidence, *evidence[: MAX_EVIDENCE - 1]]
    else:
        classification, evidence = _by_words(reading, types, phrase_score, evidence, verdict)
    names = names if classification is not Classification.NOT_TRIAL else _trial_only_names(names)
    return Decision(classification, evidence, [name for name, _ in names])


def _by_words(
    reading: Reading,
    types: dict[str, str],
    phrase_score: float,
    evidence: list[str],
    verdict: tuple[Classification, list[str]] | None,
) -> tuple[Classification, list[str]]:
    """The decision and its evidence with the word score (the cues' ``evidence`` given)."""
    title, abstract = reading.title, reading.abstract
    title_only = not abstract.strip()
    # With no abstract the words of the full model are mostly absent: a model of titles decides.
    words = load_title_model() if title_only else load_model()
    fired = reading.fired(words, title_only)
    word_sum: float = sum(map(itemgetter(1), fired))
    score = words.score_of_sum(phrase_score, word_sum) - words.threshold
    named = title_names_design(title, reading.cues) if title_only else None
    if named is not None and score < 0:
        evidence.insert(
            0, f'the title names its design: "{named}" (score {score:+.1f} raised to 0)'
        )
        score = 0.0
    if verdict is not None:
        classification, pt_evidence = verdict
        return classification, [*pt_evidence, *evidence[: MAX_EVIDENCE - 1]]
    if types and not set(types) <= terms.PT_UNINDEXED_ONLY:
        score -= PT_INDEXED_PENALTY * load_model().phrase_weight
    classification = _by_text(reading, score)
    prefix = "title only: " if title_only else ""
    return classification, [
        f"{prefix}score {score:+.1f} = phrase cues {words.phrase_weight * phrase_score:+.1f}"
        f" + words {word_sum:+.1f}"
        f" + offset {words.bias - words.threshold:+.1f}"
        f" ({'trial' if score >= 0 else 'not a trial'} at >= 0)",
        *evidence[:MAX_EVIDENCE],
        *_word_evidence(fired),
    ]


# The first evidence line of a decision the text made (``_by_words`` writes it).
_SCORE_LINE = re.compile(r"(?:title only: )?score ([+-]?\d+(?:\.\d+)?) = ")


def evidence_score(evidence: Sequence[str]) -> float | None:
    """The score of a decision the text made, as its evidence gives it (rounded to 0.1);
    None where the publication types decided."""
    match = _SCORE_LINE.match(evidence[0]) if evidence else None
    return float(match.group(1)) if match else None


def title_names_design(title: str, cues: Sequence[Cue]) -> str | None:
    """The phrase by which a title names its own trial design, unless it also reads as a
    review, an observational or laboratory study (a negative cue in the title)."""
    if any(cue.place == terms.TITLE and cue.name in terms.NEGATIVE for cue in cues):
        return None
    match = terms.TITLE_DESIGN.search(title)
    return match.group(0) if match else None


def is_trial_score(title: str, abstract: str) -> float:
    """The phrase-cue score alone (no words, no publication types): above ``THRESHOLD`` reads
    as a trial. The word component takes it as one of its inputs."""
    return terms.BIAS + sum(cue.weight for cue in find_cues(place_sentences(title, abstract)))


def _word_evidence(fired: Sequence[tuple[str, float]]) -> list[str]:
    return [f'"{gram}" ({weight:+.2f})' for gram, weight in fired[:MAX_WORD_EVIDENCE]]


def place_sentences(title: str, abstract: str) -> list[tuple[str, str]]:
    """The title and the abstract's sentences, each with its place."""
    placed: list[tuple[str, str]] = []
    if title.strip():
        placed.append((terms.TITLE, title.strip()))
    sections = _sections(abstract)
    labelled = any(place is not None for place, _ in sections)
    for place, text in sections:
        for sentence in _SENTENCE_END.split(text):
            if sentence.strip():
                where = place if place is not None else (terms.BODY if not labelled else None)
                placed.append((where or terms.CONTEXT, sentence.strip()))
    return placed


def _sections(
    abstract: str,
    labels: Iterable[re.Match[str]] | None = None,
    place_of: Callable[[str], str | None] | None = None,
) -> list[tuple[str | None, str]]:
    """Split at known section labels (the matches of ``_SECTION_LABEL`` unless given, placed
    by ``_label_place`` unless told); text before any label has place None."""
    parts: list[tuple[str | None, str]] = []
    place: str | None = None
    start = 0
    for match in _SECTION_LABEL.finditer(abstract) if labels is None else labels:
        label_place = (place_of or _label_place)(match.group("label"))
        if label_place is None:
            continue
        if match.start() > start:
            parts.append((place, abstract[start : match.start()]))
        place, start = label_place, match.end()
    parts.append((place, abstract[start:]))
    return parts


def _label_place(label: str) -> str | None:
    words = label.lower().split()
    if not words or len(words) > 5:
        return None
    for stem, place in terms.SECTION_LABELS.items():
        if any(word.startswith(stem) for word in words):
            return place
    return None


def _case_folded(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """The IGNORECASE ``pattern`` rewritten for lower-cased text (letters outside escapes
    lower-cased, the flag dropped); None for a case-sensitive pattern."""
    if not pattern.flags & re.IGNORECASE:
        return None
    source = re.sub(r"(\\.)|([A-Z])", lambda m: m.group(1) or m.group(2).lower(), pattern.pattern)
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


_CUE_PATTERNS = [
    (name, pattern, _case_folded(pattern))
    for table in (terms.POSITIVE, terms.NEGATIVE)
    for name, pattern in table.items()
]


def evidence_phrase(words: str) -> str:
    """The matched words as the evidence quotes them."""
    return " ".join(words.split())[:70]


class CueList:
    """Cues in the order first found, once per (cue, place)."""

    def __init__(self) -> None:
        self.found: dict[str, Cue] = {}

    def add(self, name: str, place: str, phrase: str) -> bool:
        """Add the cue unless known; True when it is new."""
        feature = f"{name}@{place}"
        if feature in self.found:
            return False
        self.found[feature] = Cue(name, place, evidence_phrase(phrase) if phrase else "")
        return True

    def add_design_count(self) -> None:
        """The cue of how many distinct design cues stand outside the context."""
        design = {c.name for c in self.found.values() if c.place != terms.CONTEXT}
        design &= terms.DESIGN_CUES
        if len(design) >= 2:
            count = "design_cues_3" if len(design) >= 3 else "design_cues_2"
            self.add(count, terms.ALL, ", ".join(sorted(design)))


def mask_sentence(sentence: str, place: str, found: CueList) -> str:
    """``sentence`` with the phrases about trials that are not this publication's own blanked
    (each a cue of its own)."""
    text = sentence
    for name, pattern in terms.MASKS.items():
        if name in _MASKS_NEEDING_TRIAL_WORDS and not _MASK_PREFILTER.search(text):
            continue
        for match in pattern.finditer(text):
            found.add(name, place, match.group(0))
            text = text[: match.start()] + " " * len(match.group(0)) + text[match.end() :]
    return text


def cue_hit(
    pattern: re.Pattern[str],
    folded: re.Pattern[str] | None,
    text: str,
    lowered: str,
    start: int = 0,
) -> re.Match[str] | None:
    """The first match of a cue in a place's text (searched lower-cased where it can be), from
    ``start`` on (where the caller knows none starts before)."""
    if folded is not None and len(lowered) == len(text):
        return folded.search(lowered, start)
    return pattern.search(text, start)


def find_cues(sentences: Sequence[tuple[str, str]]) -> list[Cue]:
    """Every cue, once per (cue, place), with the first phrase that showed it."""
    found = CueList()
    masked: dict[str, list[str]] = {}
    for place, sentence in sentences:
        masked.setdefault(place, []).append(mask_sentence(sentence, place, found))
        secondary = _TRIAL_WORD.search(sentence) and terms.SECONDARY.search(sentence)
        if secondary:
            found.add("secondary", place, secondary.group(0))
        protocol = place == terms.TITLE and terms.PROTOCOL_TITLE.search(sentence)
        if protocol:
            found.add("protocol_title", place, protocol.group(0))
    # One search per place, not per sentence: no cue pattern reaches across a full stop, so
    # joining a place's sentences with one finds the same first phrase, several times faster.
    # And on lower-cased text with case-sensitive patterns: about twice as fast as IGNORECASE.
    for place, texts in masked.items():
        text = _SENTENCE_JOINER.join(texts)
        lowered = text.lower()
        for name, pattern, folded in _CUE_PATTERNS:
            hit = cue_hit(pattern, folded, text, lowered)
            if hit:
                found.add(name, place, text[hit.start() : hit.end()])
    found.add_design_count()
    return list(found.found.values())


def _cue_evidence(cues: Sequence[Cue], weights: Sequence[float], reading: Reading) -> list[str]:
    weighted = [(cue, weight) for cue, weight in zip(cues, weights, strict=True) if weight]
    ranked = sorted(weighted, key=lambda item: -abs(item[1]))[:MAX_EVIDENCE]
    return [f'"{reading.phrase(cue)}" ({cue.place}, {weight:+.1f})' for cue, weight in ranked]


def _by_publication_types(
    types: dict[str, str], score: float, cues: Sequence[Cue]
) -> tuple[Classification, list[str]] | None:
    protocol = [types[t] for t in types if t in terms.PT_PROTOCOL]
    if protocol:
        return Classification.TRIAL_PROTOCOL, [f"PT: {protocol[0]}"]
    trial = [types[t] for t in types if t in terms.PT_TRIAL]
    against = [types[t] for t in types if t in terms.PT_NOT_TRIAL]
    secondary_in_title = any(c.name == "secondary" and c.place == terms.TITLE for c in cues)
    protocol_title = any(c.name == "protocol_title" for c in cues)
    if trial and not (against and score < terms.THRESHOLD):
        if secondary_in_title:
            return Classification.SECONDARY_ANALYSIS, [f"PT: {trial[0]}"]
        if protocol_title:
            return Classification.TRIAL_PROTOCOL, [f"PT: {trial[0]}"]
        return Classification.TRIAL_RESULTS, [f"PT: {trial[0]}"]
    if against and score < terms.THRESHOLD + PT_OVERRULE_MARGIN:
        return Classification.NOT_TRIAL, [f"PT: {against[0]}"]
    return None


def _by_text(reading: Reading, score: float) -> Classification:
    sentences = reading.sentences
    title = 0 if sentences and sentences[0][0] == terms.TITLE else None

    def in_title(pattern: re.Pattern[str]) -> bool:
        return reading.holds(pattern, title) if title is not None else bool(pattern.search(""))

    own = [i for i in reading.holding(_TRIAL_WORD) if sentences[i][0] != terms.CONTEXT]
    if in_title(_TRIAL_WORD) and in_title(terms.SECONDARY):
        return Classification.SECONDARY_ANALYSIS
    if in_title(terms.PROTOCOL_TITLE) and (score >= 0 or in_title(_TRIAL_WORD)):
        return Classification.TRIAL_PROTOCOL
    if score < 0:
        secondary = any(reading.holds(terms.SECONDARY, index) for index in own)
        return Classification.SECONDARY_ANALYSIS if secondary else Classification.NOT_TRIAL
    future = sum(  # a sentence it does not match counts 0
        reading.count(terms.PROTOCOL_FUTURE, index)
        for index in reading.holding(terms.PROTOCOL_FUTURE)
        if sentences[index][0] != terms.CONTEXT
    )
    results = bool(reading.holding(terms.PROTOCOL_RESULTS))
    if future >= 2 and not results:
        return Classification.TRIAL_PROTOCOL
    if any(reading.holds(terms.SECONDARY, index) for index in own):
        return Classification.SECONDARY_ANALYSIS
    return Classification.TRIAL_RESULTS


# --- trial names -------------------------------------------------------------------------------

_ACRONYM = r"[A-Z][A-Za-z0-9]*[A-Z0-9](?:-[A-Z0-9]+)*"
_NAME_BEFORE_TRIAL_WORD = re.compile(
    rf"\b(?P<name>{_ACRONYM})\s+(?P<kind>(?:pilot\s+|feasibility\s+|main\s+)?(?:trials?|RCTs?|"
    rf"study|studies|programme|program|research programme))\b"
)
_NAME_AFTER_TRIAL_PHRASE = re.compile(
    rf"\b(?P<phrase>(?:[A-Z][\w-]*\s+(?:(?:and|of|for|in|the|with|to|on|a)\s+)?){{1,12}}"
    rf"(?:Trial|Study))\s*\((?P<name>{_ACRONYM})\)"
)
_NAME_LIST_OF_TRIALS = re.compile(
    rf"\b(?P<first>{_ACRONYM})(?:,\s*|\s+and\s+|\s+or\s+)(?P<name>{_ACRONYM})\s+(?:trials|studies)\b"
)
_TITLE_CASE_TRIAL = re.compile(r"\b((?:[A-Z][a-z]+\s+){2,8})Trial\b")
# A trial's phase ("phase III trial", "phase II/III study", "phase IIIb"), not its name.
_ROMAN_PHASE = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})[ABab]?")
# Abbreviations that are not trial names even when a trial word follows.
_NOT_NAMES = frozenset(
    """BP UC PTSD RCT RCTS NHS NIHR CI SD SE AF HF UK USA US EU WHO CBT HIV AIDS COVID ICU ED GP
    BMI MRI CT PET QOL HRQOL ITT NCT ISRCTN IQR OR HR RR ANOVA ANCOVA DNA RNA PCR ECG EEG FDA EMA
    NICE CONSORT PRISMA GRADE NIH MRC PHQ GAD HADS IBD CKD COPD CVD CHD MI DM T2DM ADHD ASD OCD
    CRP LDL HDL ALT AST SARS MERS RSV HPV HCV HBV TB ART PROM PROMS CEA ICER QALY QALYS EQ VAS
    BDI HAM HAMD MADRS PANSS MMSE NSAID NSAIDS SSRI SSRIS ACE ARB AE AES SAE SAES DSM ICD CDC
    APA ESC AHA ACC AND THE FOR WITH NOT ALL TRIAL STUDY RESULTS METHODS BACKGROUND CONCLUSIONS
    OBJECTIVE DESIGN SETTING PARTICIPANTS INTERVENTIONS""".split()  # noqa: SIM905
)


NAME_PATTERNS = (
    _NAME_BEFORE_TRIAL_WORD,
    _NAME_AFTER_TRIAL_PHRASE,
    _NAME_LIST_OF_TRIALS,
    terms.SECONDARY_NAMED,
    _TITLE_CASE_TRIAL,
)


def _matches_somewhere(_pattern: re.Pattern[str]) -> bool:
    return True


def trial_names(
    text: str, may_match: Callable[[re.Pattern[str]], bool] = _matches_somewhere
) -> list[tuple[str, str]]:
    """Acronyms of trials named in the text, each with the kind of word that tied it
    (``trial``, ``study``, ``programme``, ``data``), in order of first appearance. A pattern of
    :data:`NAME_PATTERNS` for which ``may_match`` says no is not searched."""
    found: dict[str, str] = {}

    def add(name: str, kind: str) -> None:
        if _looks_like_name(name):
            found.setdefault(name, kind)

    def matches(pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        return pattern.finditer(text) if may_match(pattern) else iter(())

    for match in matches(_NAME_BEFORE_TRIAL_WORD):
        kind = match.group("kind").split()[-1].lower()
        add(match.group("name"), "trial" if kind.startswith(("trial", "rct")) else kind)
    for match in matches(_NAME_AFTER_TRIAL_PHRASE):
        add(
            match.group("name"),
            "trial" if match.group("phrase").endswith("Trial") else "study",
        )
    for match in matches(_NAME_LIST_OF_TRIALS):
        add(match.group("first"), "trial")
        add(match.group("name"), "trial")
    for match in matches(terms.SECONDARY_NAMED):
        add(match.group("name"), "data")
    for match in matches(_TITLE_CASE_TRIAL):
        initials = "".join(word[0] for word in match.group(1).split()) + "T"
        if re.search(rf"\b{initials}\b", text):
            add(initials, "trial")
    order = {name: text.find(name) for name in found}
    return sorted(found.items(), key=lambda item: order[item[0]])


def _looks_like_name(name: str) -> bool:
    capitals = sum(ch.isupper() for ch in name)
    return (
        len(name) >= 3
        and capitals >= 3
        and capitals >= len(name.replace("-", "")) * 0.6
        and name.upper() not in _NOT_NAMES
        and not name.isdigit()
        and _ROMAN_PHASE.fullmatch(name) is None
    )


def _trial_only_names(names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind in names if kind in ("trial", "data")]
