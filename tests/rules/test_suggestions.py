"""Suggested registrations (issue 7 §4): registry searches for the trials a paper names without
ids, scored with the linker, at most three, never under the match threshold; batched, cached,
replayable, and no request at all offline."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import httpx
import pytest
import respx
from rules_helpers import publication, record, report
from support import FIXTURES, ROOT

from linker.link.score import MatchThresholds
from linker.models import Classification, Registry
from linker.pipeline import CheckOptions, run_check
from linker.registries.cache import OutcomeCache
from linker.registries.search import SearchCache, TrialQuery, search_trials, spellings
from linker.registries.search.ctgov import search_params as ctgov_params
from linker.registries.search.isrctn import search_params as isrctn_params
from linker.results import RunResult
from linker.rules.suggestions import MAX_SUGGESTIONS, describe, pick, queries_for

SEED = "fixtures/publications/publications.txt"
STORE = FIXTURES / "registries"
TODAY = date(2026, 11, 26)
CTGOV_STUDIES = "https://clinicaltrials.gov/api/v2/studies"
ISRCTN_QUERY = "https://www.isrctn.com/api/query/format/default"


def test_spellings_with_and_without_the_space_before_a_condition() -> None:
    assert spellings("HOMEBP") == ("HOMEBP", "HOME BP")
    assert spellings("HOME BP") == ("HOME BP", "HOMEBP")
    assert spellings("TASMINH4") == ("TASMINH4",)
    assert spellings("BP") == ("BP",)


def test_search_requests_in_each_registry_syntax() -> None:
    query = TrialQuery.for_name("HOMEBP")
    assert ctgov_params(query)["query.term"] == 'AREA[Acronym]"HOMEBP" OR AREA[Acronym]"HOME BP"'
    assert isrctn_params(query)["q"] == 'HOMEBP OR "HOME BP"'
    by_title = TrialQuery.for_title("A title", "aspirin ulcer bleeding")
    assert ctgov_params(by_title)["query.titles"] == "aspirin ulcer bleeding"
    assert isrctn_params(by_title)["q"] == "aspirin ulcer bleeding"


def test_queries_name_the_trials_else_the_title() -> None:
    named = report(Classification.SECONDARY_ANALYSIS, ("HOMEBP", "TASMINH4"))
    assert [q.label for q in queries_for(publication(), named)] == ["HOMEBP", "TASMINH4"]
    [by_title] = queries_for(publication(), report())
    assert by_title.by == "title" and "helicobacter" in by_title.terms[0]


def test_pick_at_most_three_never_under_threshold_and_only_records_of_that_name() -> None:
    query = TrialQuery.for_name("HEAT")
    good = [record(f"ISRCTN1111111{i}") for i in range(5)]
    unrelated = record("ISRCTN22222222", acronym="OTHER", public_title="Helicobacter words")
    weak = record("ISRCTN33333333", public_title="Knee surgery in athletes", acronym="HEAT")
    picked = pick(publication(), query, [*good, unrelated, weak], MatchThresholds())
    assert len(picked) == MAX_SUGGESTIONS
    assert {s.id for s in picked} <= {r.id for r in good}
    strict = pick(publication(), query, good, MatchThresholds(match=1.0, weak=0.5))
    assert strict == [] or all(s.score >= 1.0 for s in strict)
    assert "HEAT: probably ISRCTN11111110 (Helicobacter Eradication Aspirin Trial, score" in (
        describe(picked)
    )


def seed_run(**options: object) -> RunResult:
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        return run_check([SEED], CheckOptions(today=TODAY, **options))  # type: ignore[arg-type]
    finally:
        os.chdir(cwd)


def test_seed_blood_pressure_paper_gets_homebp_and_tasminh4_from_the_replay_store() -> None:
    result = seed_run(replay="fixtures/registries")
    [finding] = [f for f in result.findings if f.code == "TL101"]
    assert [(s.trial, s.registry, s.id) for s in finding.suggestions] == [
        ("HOMEBP", Registry.ISRCTN, "ISRCTN13790648"),
        ("TASMINH4", Registry.ISRCTN, "ISRCTN83571366"),
    ]
    assert all(s.score >= MatchThresholds().match for s in finding.suggestions)
    assert "HOMEBP: probably ISRCTN13790648 (Home and Online Management" in finding.message
    assert "TASMINH4: probably ISRCTN83571366" in finding.message
    assert finding.severity.value == "warning"  # a hint, not a finding of its own


def test_offline_sends_no_request_at_all(tmp_path: Path) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.route()  # any request at all would be recorded here
        result = seed_run(offline=True, cache=OutcomeCache(tmp_path))
    assert not route.called
    [finding] = [f for f in result.findings if f.code == "TL101"]
    assert finding.suggestions == []


async def test_searches_are_cached_and_failures_are_not(tmp_path: Path) -> None:
    cache = SearchCache(tmp_path, max_age=3600)
    query = TrialQuery.for_name("TASMINH4")
    body = (STORE / "isrctn" / "search_TASMINH4.xml").read_bytes()
    with respx.mock() as router:
        ctgov = router.get(CTGOV_STUDIES).mock(return_value=httpx.Response(503))
        isrctn = router.get(ISRCTN_QUERY).mock(return_value=httpx.Response(200, content=body))
        first = await search_trials([query, query], cache=cache, today=TODAY)
        second = await search_trials([query], cache=cache, today=TODAY)
    assert [r.id for r in first[query]] == ["ISRCTN83571366"]
    assert [r.id for r in second[query]] == ["ISRCTN83571366"]
    assert isrctn.call_count == 1  # the duplicate query is one request; the rerun is cached
    assert ctgov.call_count >= 2  # a failed search is asked again next run
    offline = await search_trials([query], cache=cache, offline=True)
    assert [r.id for r in offline[query]] == ["ISRCTN83571366"]
    cache.close()


async def test_a_failed_search_leaves_no_candidates() -> None:
    query = TrialQuery.for_name("HOMEBP")
    with respx.mock() as router:
        router.get(CTGOV_STUDIES).mock(return_value=httpx.Response(200, text="<html></html>"))
        router.get(ISRCTN_QUERY).mock(side_effect=httpx.ConnectTimeout("slow"))
        found = await search_trials([query], today=TODAY)
    assert found[query] == []


@pytest.mark.parametrize("name", ["search_HOMEBP.xml", "search_TASMINH4.xml"])
def test_hand_written_search_answers_are_marked(name: str) -> None:
    readme = (ROOT / "fixtures" / "README.md").read_text(encoding="utf-8")
    assert f"isrctn/{name}" in readme
    entries = json.loads((STORE / "index.json").read_text(encoding="utf-8"))
    [entry] = [e for e in entries if e.get("file") == f"isrctn/{name}"]
    assert entry["note"].startswith("hand-written")


def test_readme_first_run_shows_the_suggestions_as_the_run_prints_them() -> None:
    from linker.report.interface import OutputFormat, reporter_for

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_run = readme[readme.index("## First run") : readme.index("Other things to try")]
    text = reporter_for(OutputFormat.TEXT).render(seed_run(replay="fixtures/registries"))
    [printed] = [line for line in text.splitlines() if "TL101" in line]
    assert printed in first_run
    assert "1 finding (1 warning) in 1 of 11 publications." in text
    assert "1 finding (1 warning) in 1 of 11 publications." in first_run
    # no finding against a real trial on invented registry facts
    assert "TL303" not in text and "TL304" not in text
