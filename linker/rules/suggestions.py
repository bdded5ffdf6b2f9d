"""Suggested registrations for a trial report that cites none (docs/verdicts.md, TL101).

Which searches a publication needs (:func:`queries_for`: its named trials, else its title's
words), and which candidates are worth naming (:func:`pick`): records that answer to the trial's
name, scored against the paper with the linker, at the match threshold or above, at most
:data:`MAX_SUGGESTIONS` per trial.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from linker.link.score import MatchThresholds, score_match
from linker.link.text import content_words
from linker.models import Publication, TrialReport
from linker.registries.cache import OutcomeCache
from linker.registries.interface import RegistryRecord
from linker.registries.search import SearchCache, search_trials
from linker.registries.search.interface import TrialQuery
from linker.registries.settings import RegistrySettings
from linker.results import Suggestion
from linker.rules.scope import needs_registration

if TYPE_CHECKING:
    from linker.rules.engine import PublicationEvidence

MAX_SUGGESTIONS = 3
TITLE_WORDS = 6


def queries_for(publication: Publication, report: TrialReport) -> list[TrialQuery]:
    """One search per trial the paper names; a paper naming none is searched by title."""
    if report.trial_names:
        return [TrialQuery.for_name(name) for name in report.trial_names]
    words = list(dict.fromkeys(content_words(publication.title)))[:TITLE_WORDS]
    if len(words) < 3:  # too few words to find one trial
        return []
    return [TrialQuery.for_title(publication.title, " ".join(words))]


def _compact(text: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", text.upper())


def answers_to(record: RegistryRecord, query: TrialQuery) -> bool:
    """A named trial's candidate must carry the name (any spelling) as its acronym or in a
    title; a title search's candidates are judged by the score alone."""
    if query.by != "acronym":
        return True
    names = {_compact(term) for term in query.terms}
    if record.acronym and _compact(record.acronym) in names:
        return True
    words = {_compact(w) for title in record.titles for w in re.split(r"[\s(),:;]+", title)}
    return bool(names & words)


def pick(
    publication: Publication,
    query: TrialQuery,
    candidates: Sequence[RegistryRecord],
    thresholds: MatchThresholds,
) -> list[Suggestion]:
    scored: dict[tuple[str, str], Suggestion] = {}
    for record in candidates:
        if not answers_to(record, query):
            continue
        match = score_match(publication, record, thresholds)
        if match.score < thresholds.match:
            continue
        suggestion = Suggestion(
            trial=query.label,
            registry=record.registry,
            id=record.id,
            url=record.url,
            title=record.public_title or record.scientific_title,
            score=round(match.score, 2),
        )
        key = (record.registry.value, record.id)
        if key not in scored or scored[key].score < suggestion.score:
            scored[key] = suggestion
    ranked = sorted(scored.values(), key=lambda s: (-s.score, s.registry.value, s.id))
    return ranked[:MAX_SUGGESTIONS]


def suggestions_for(
    publication: Publication,
    report: TrialReport,
    found: Mapping[TrialQuery, Sequence[RegistryRecord]],
    thresholds: MatchThresholds,
) -> list[Suggestion]:
    picked: list[Suggestion] = []
    if not found:  # nothing was searched for this paper: no query can pick anything
        return picked
    for query in queries_for(publication, report):
        picked.extend(pick(publication, query, found.get(query, ()), thresholds))
    return picked


def describe(suggestions: Sequence[Suggestion]) -> str:
    """``HOMEBP: probably ISRCTN13790648 (title ..., score 0.82)``; a trial's runners-up after
    "or"."""
    parts: list[str] = []
    by_trial: dict[str, list[Suggestion]] = {}
    for suggestion in suggestions:
        by_trial.setdefault(suggestion.trial, []).append(suggestion)
    for trial, items in by_trial.items():
        named = " or ".join(
            f"{s.id} ({_short(s.title)}, score {s.score:.2f})"
            if s.title
            else f"{s.id} (score {s.score:.2f})"
            for s in items
        )
        parts.append(f"{_short(trial, 60)}: probably {named}")
    return "; ".join(parts)


def _short(text: str | None, limit: int = 80) -> str:
    text = (text or "").strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


async def search_candidates(
    evidence: Sequence[PublicationEvidence],
    *,
    settings: RegistrySettings | None,
    cache: OutcomeCache | None,
    offline: bool,
    replay: Path | None,
    record: Path | None,
    today: date | None,
) -> None:
    """Search the registries, in one batch for the whole run, for the trials of every trial
    report without a registration, and attach the candidates to its evidence."""
    wanted = {
        id(item): queries_for(item.publication, item.report)
        for item in evidence
        if needs_registration(item.report, item.mentions)
    }
    queries = [query for planned in wanted.values() for query in planned]
    if not queries:
        return
    search_cache = (
        SearchCache(cache.directory, max_age=cache.lifetimes.long) if cache is not None else None
    )
    try:
        found = await search_trials(
            queries,
            settings=settings,
            cache=search_cache,
            offline=offline,
            replay=replay,
            record=record,
            today=today,
        )
    finally:
        if search_cache is not None:
            search_cache.close()
    for item in evidence:
        for query in wanted.get(id(item), []):
            item.candidates[query] = found[query]
