"""The trial-report model read fast: what :class:`~linker.extract.trial_report.PlainReading`
reads, by a few multi-pattern scans per text.

:class:`TrialEngine` is the classifier's default evaluation. Per title and abstract it makes:

- the sentences and places by :mod:`linker.extract.fast_text`;
- one scan of all the sentences for every sentence-level pattern of the model (the masks, the
  trial word, secondary analyses, protocol phrases): which holds in which sentence. Masks are
  applied (by the model's own code) only to sentences that hold one;
- one scan per place (lower-cased once, as the plain reading searches it) for every cue;
- one scan of the whole text for the trial-name patterns, each then searched only where it
  occurs; the n-grams by :class:`~linker.extract.fast_text.FastWords`.

The scans are :class:`~linker.extract.pattern_set.PatternSet`\\ s built from the model's tables
when the engine is made, so they follow whatever the model holds; their answers are exactly
Python's. A cue's phrase is searched only when the evidence shows it.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from linker.extract import trial_report as report
from linker.extract import trial_terms as terms
from linker.extract.fast_text import (
    FastWords,
    place_sentences,
    ranked_grams,
    section_labels,
    word_labels,
)
from linker.extract.gram_scan import GramScan
from linker.extract.pattern_set import PatternSet, can_consume, map_lowered, map_text
from linker.extract.scan import current_backend
from linker.extract.trial_ngrams import NgramModel, title_features
from linker.extract.trial_report import Cue, CueList, Reading, evidence_phrase

WordReader = FastWords | GramScan
# How to find a cue's phrase when the evidence shows it: the pattern (and its lower-case
# form), the text (and its lower case) it was found in, and where in it its first match starts
# at the earliest.
_Phrase = tuple[re.Pattern[str], re.Pattern[str] | None, str, str, int]


def _starts(texts: list[str]) -> list[int]:
    """Where each text starts in ``_SENTENCE_JOINER.join(texts)``."""
    starts, at = [], 0
    step = len(report._SENTENCE_JOINER)
    for text in texts:
        starts.append(at)
        at += len(text) + step
    return starts


class TrialEngine:
    """Reads titles and abstracts for :func:`~linker.extract.trial_report.classify_text`."""

    def __init__(self) -> None:
        self.sentence_patterns = [
            *terms.MASKS.values(),
            report._TRIAL_WORD,
            terms.SECONDARY,
            terms.PROTOCOL_TITLE,
            terms.PROTOCOL_FUTURE,
            terms.PROTOCOL_RESULTS,
        ]
        self.sentence_ids = {id(p): i for i, p in enumerate(self.sentence_patterns)}
        self.sentence_set = PatternSet(self.sentence_patterns)
        self.masks = set(range(len(terms.MASKS)))
        self.trial_word = self.sentence_ids[id(report._TRIAL_WORD)]
        self.secondary = self.sentence_ids[id(terms.SECONDARY)]
        self.protocol_title = self.sentence_ids[id(terms.PROTOCOL_TITLE)]
        cues = report._CUE_PATTERNS
        self.cues = cues
        # The plain reading searches a cue lower-cased when it can (see trial_report.cue_hit).
        self.folded = [i for i, (_, _, folded) in enumerate(cues) if folded is not None]
        self.sensitive = [i for i, (_, _, folded) in enumerate(cues) if folded is None]
        self.folded_set = PatternSet([cues[i][2] for i in self.folded])  # type: ignore[misc]
        self.sensitive_set = PatternSet([cues[i][1] for i in self.sensitive])
        self.every_cue_set = PatternSet([pattern for _, pattern, _ in cues])
        # A cue whose match cannot hold the joiner's stop lies in one sentence: its phrase is
        # searched from the sentence where the scan saw its first match end.
        self.within_sentences = [
            not can_consume(pattern, ".") and (folded is None or not can_consume(folded, "."))
            for _, pattern, folded in cues
        ]
        self.name_set = PatternSet(report.NAME_PATTERNS)
        self._words: dict[tuple[int, str], WordReader] = {}

    def read(self, title: str, abstract: str) -> Reading:
        return FastReading(self, title, abstract)

    def words(self, model: NgramModel) -> WordReader:
        """The fastest exact reader of ``model``'s n-grams on this backend (one per model)."""
        key = (id(model), current_backend())
        fast = self._words.get(key)
        if fast is None or fast.model is not model:
            if key[1] == "hyperscan" and GramScan.exact_for(model):
                fast = GramScan(model, ranked_grams(model))
            else:
                fast = FastWords(model)
            self._words[key] = fast
        return fast

    def place_cues(self, text: str, lowered: str) -> list[tuple[int, int]]:
        """Indices (into ``trial_report._CUE_PATTERNS``) of the cues a place's text (and its
        lower case) shows, in the model's order, each with an offset no match of it ends
        before (see :meth:`PatternSet.first_ends`)."""
        if len(lowered) != len(text):
            return sorted(self.every_cue_set.first_ends(text).items())
        mapped = map_text(text)
        folded, sensitive = self.folded, self.sensitive
        folded_ends = self.folded_set.first_ends(lowered, map_lowered(mapped, text, lowered))
        found = {folded[i]: end for i, end in folded_ends.items()}
        found.update(
            {sensitive[i]: end for i, end in self.sensitive_set.first_ends(text, mapped).items()}
        )
        return sorted(found.items())


class FastReading(Reading):
    """One text as :class:`TrialEngine` read it."""

    reads_unused_words = False

    def __init__(self, engine: TrialEngine, title: str, abstract: str) -> None:
        self._engine = engine
        self._labels = section_labels(abstract)
        sentences = place_sentences(title, abstract, self._labels)
        self._holding = engine.sentence_set.present_each([s for _, s in sentences])
        self._sentences_of: dict[int, list[int]] | None = None  # by pattern, when asked
        self._phrases: dict[str, _Phrase] = {}
        super().__init__(title, abstract, sentences, self._find_cues(sentences))

    def _find_cues(self, sentences: list[tuple[str, str]]) -> list[Cue]:
        """``trial_report.find_cues``, in its order, phrases left to :meth:`phrase`."""
        engine, found = self._engine, CueList()
        masks, trial_word, secondary = engine.masks, engine.trial_word, engine.secondary
        masked: dict[str, list[str]] = {}
        for (place, sentence), holding in zip(sentences, self._holding, strict=True):
            texts = masked.get(place)
            if texts is None:
                texts = masked[place] = []
            if not holding:  # most sentences: no sentence-level pattern matches
                texts.append(sentence)
                continue
            if masks.isdisjoint(holding):
                texts.append(sentence)
            else:
                texts.append(report.mask_sentence(sentence, place, found))
            if trial_word in holding and secondary in holding:
                self._add(found, "secondary", place, terms.SECONDARY, sentence)
            if engine.protocol_title in holding and place == terms.TITLE:
                self._add(found, "protocol_title", place, terms.PROTOCOL_TITLE, sentence)
        for place, texts in masked.items():
            text = report._SENTENCE_JOINER.join(texts)
            lowered = text.lower()
            starts = _starts(texts)
            for index, end in engine.place_cues(text, lowered):
                name, pattern, folded = engine.cues[index]
                if found.add(name, place, ""):
                    within = engine.within_sentences[index] and end > 0
                    start = starts[bisect_right(starts, end - 1) - 1] if within else 0
                    self._phrases[f"{name}@{place}"] = (pattern, folded, text, lowered, start)
        found.add_design_count()
        return list(found.found.values())

    def _add(
        self, found: CueList, name: str, place: str, pattern: re.Pattern[str], sentence: str
    ) -> None:
        if found.add(name, place, ""):
            self._phrases[f"{name}@{place}"] = (pattern, None, sentence, sentence, 0)

    def phrase(self, cue: Cue) -> str:
        where = self._phrases.get(cue.feature)
        if where is None:
            return cue.phrase
        pattern, folded, text, lowered, start = where
        hit = report.cue_hit(pattern, folded, text, lowered, start)
        return evidence_phrase(text[hit.start() : hit.end()]) if hit else ""

    def holds(self, pattern: re.Pattern[str], index: int) -> bool:
        pattern_id = self._engine.sentence_ids.get(id(pattern))
        if pattern_id is None:
            return pattern.search(self.sentences[index][1]) is not None
        return pattern_id in self._holding[index]

    def holding(self, pattern: re.Pattern[str]) -> list[int]:
        pattern_id = self._engine.sentence_ids.get(id(pattern))
        if pattern_id is None:
            return super().holding(pattern)
        if self._sentences_of is None:
            self._sentences_of = {}
            for index, holding in enumerate(self._holding):
                for held in holding:
                    self._sentences_of.setdefault(held, []).append(index)
        return self._sentences_of.get(pattern_id, [])

    def count(self, pattern: re.Pattern[str], index: int) -> int:
        if not self.holds(pattern, index):
            return 0
        return len(pattern.findall(self.sentences[index][1]))

    def fired(self, words: NgramModel, title_only: bool) -> list[tuple[str, float]]:
        if title_only:
            return words.weigh(title_features(self.title))
        labels = word_labels(self.abstract, self._labels)
        return self._engine.words(words).contributions(self.title, self.abstract, labels)

    def names(self) -> list[tuple[str, str]]:
        text = self.title + "\n" + self.abstract
        present = {id(report.NAME_PATTERNS[i]) for i in self._engine.name_set.present(text)}
        if not present:
            return []  # what trial_names gives where no pattern of it matches
        return report.trial_names(text, lambda pattern: id(pattern) in present)
