"""Every cache file the tool writes is known to ``cache info`` and ``cache clear``, which say
what is really there and exit 2 when they cannot do what they say."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker import caches
from linker.cli.main import cli
from linker.errors import CacheError
from linker.extract.analysis_cache import ANALYSES_FILE, AnalysisCache
from linker.models import Publication, Registry
from linker.registries.cache import CACHE_FILE, OutcomeCache
from linker.registries.interface import Outcome, OutcomeKind, RegistryRecord
from linker.registries.search.cache import SEARCH_FILE, SearchCache
from linker.registries.search.interface import TrialQuery
from linker.sources.cache import PAPERS_FILE, DoiCache, PaperCache
from linker.sources.doi import DoiLink
from linker.sources.interface import PaperOutcome, PaperOutcomeKind


def fill(directory: Path) -> None:
    """One entry in each cache file (two PubMed answers and a DOI lookup in papers.sqlite3)."""
    OutcomeCache(directory).put_many(
        [Outcome(registry=Registry.CTGOV, requested_id="NCT01506986", kind=OutcomeKind.NOT_FOUND)]
    )
    papers = PaperCache(directory)
    papers.put_many(
        PaperOutcome(kind=kind, source="pubmed", requested_id=pmid)
        for kind, pmid in ((PaperOutcomeKind.NOT_FOUND, "1"), (PaperOutcomeKind.NOT_FOUND, "2"))
    )
    papers.close()
    dois = DoiCache(directory)
    dois.put_many([DoiLink(kind=PaperOutcomeKind.FOUND, doi="10.1000/x", pmid="1")])
    dois.close()
    searches = SearchCache(directory, max_age=60.0)
    record = RegistryRecord(registry=Registry.CTGOV, id="NCT01506986", url="https://x.test/")
    searches.put(Registry.CTGOV, TrialQuery.for_name("HEAT"), [record])
    searches.close()
    analyses = AnalysisCache(directory)
    analyses.analyse_all([Publication(key="k", title="t", file="f", line=1, end_line=1, ordinal=1)])
    analyses.close()


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_file_names_are_those_the_caches_write() -> None:
    assert [s.name for s in caches.SIDE_FILES] == [PAPERS_FILE, SEARCH_FILE, ANALYSES_FILE]
    assert CACHE_FILE == "outcomes.sqlite3"


def test_info_shows_every_file_and_clear_empties_them_all(tmp_path: Path) -> None:
    fill(tmp_path)
    code, out, _ = invoke("cache", "info", "--cache-dir", str(tmp_path))
    assert code == 0
    assert "entries: 1\n  ctgov not_found: 1" in out
    assert "papers.sqlite3 (PubMed answers): 3 entries" in out
    assert "  doi-to-pmid found: 1\n  pubmed not_found: 2" in out
    assert "searches.sqlite3 (registry search answers): 1 entries" in out
    assert "analyses.sqlite3 (publication analyses): 1 entries" in out
    assert out.rstrip().endswith("total entries: 6")

    code, out, _ = invoke("cache", "clear", "--cache-dir", str(tmp_path))
    assert code == 0
    assert out.strip() == "removed 6 cached entries"
    code, out, _ = invoke("cache", "info", "--cache-dir", str(tmp_path))
    assert code == 0 and out.rstrip().endswith("total entries: 0")
    for side in caches.SIDE_FILES:
        assert caches.side_info(tmp_path, side).total == 0


def test_absent_files_are_said_to_be_absent(tmp_path: Path) -> None:
    code, out, _ = invoke("cache", "info", "--cache-dir", str(tmp_path / "none"))
    assert code == 0
    assert "papers.sqlite3 (PubMed answers): absent" in out
    assert out.rstrip().endswith("total entries: 0")
    code, out, _ = invoke("cache", "clear", "--cache-dir", str(tmp_path / "none"))
    assert code == 0 and "removed 0" in out


def test_an_unreadable_side_file_is_an_error_not_zero(tmp_path: Path) -> None:
    fill(tmp_path)
    (tmp_path / PAPERS_FILE).write_bytes(b"garbage" * 100)
    code, out, err = invoke("cache", "info", "--cache-dir", str(tmp_path))
    assert code == 2
    assert "papers.sqlite3: cannot read it" in err
    assert "searches.sqlite3 (registry search answers): 1 entries" in out  # the rest is shown
    assert "total entries" not in out
    assert (tmp_path / PAPERS_FILE).read_bytes() == b"garbage" * 100  # info changed nothing

    code, _, err = invoke("cache", "clear", "--cache-dir", str(tmp_path))
    assert code == 2
    assert "papers.sqlite3: cannot clear it" in err
    assert caches.side_info(tmp_path, caches.SIDE_FILES[1]).total == 0  # the others cleared


def test_clear_on_read_only_side_files_fails_and_info_tells_the_truth(tmp_path: Path) -> None:
    """As root file modes do not stop writes; a read-only SQLite connection does."""
    fill(tmp_path)
    original = sqlite3.connect

    def read_only(path: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        uri = Path(str(path)).resolve().as_uri() + "?mode=ro"
        return original(uri, uri=True)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sqlite3, "connect", read_only)
        for side in caches.SIDE_FILES:
            with pytest.raises(CacheError, match="cannot clear"):
                caches.side_clear(tmp_path, side)
    assert [caches.side_info(tmp_path, side).total for side in caches.SIDE_FILES] == [3, 1, 1]


def test_set_aside_files_are_listed_and_kept(tmp_path: Path) -> None:
    fill(tmp_path)
    aside = tmp_path / f"{CACHE_FILE}.set-aside-20261201T000000"
    aside.write_bytes(b"old")
    code, out, _ = invoke("cache", "info", "--cache-dir", str(tmp_path))
    assert f"set aside (kept, never read): {aside.name}, 3 bytes" in out
    code, out, _ = invoke("cache", "clear", "--cache-dir", str(tmp_path))
    assert code == 0 and "1 set-aside files kept" in out
    assert aside.exists()
