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


@pytest.fixture(autouse=True)
def user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The compiled scan databases' folder, here (never the real user's cache)."""
    root = tmp_path / "user-cache"
    monkeypatch.setattr(caches, "scan_database_root", lambda: root)
    return root


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
    assert "analyses.sqlite3 (publication analyses, results and read lines): 1 entries" in out
    assert out.rstrip().endswith("total entries: 6")

    code, out, _ = invoke("cache", "clear", "--cache-dir", str(tmp_path))
    assert code == 0
    assert out.strip() == "removed 6 cached entries and 0 compiled scan databases"
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


def test_results_and_lines_of_a_warm_check_are_counted_and_cleared(tmp_path: Path) -> None:
    """A check with the cache on stores analyses, results and (JSON Lines) read lines."""
    listing = tmp_path / "list.jsonl"
    listing.write_text(
        '{"pmid": "1", "title": "A randomised trial (NCT01506986)"}\n'
        '{"pmid": "2", "title": "A cohort"}\n',
        encoding="utf-8",
    )
    cache_dir = tmp_path / "cache"
    code, _, _ = invoke("check", str(listing), "-q", "--offline", "--cache-dir", str(cache_dir))
    assert code in (0, 1, 3)
    code, out, _ = invoke("cache", "info", "--cache-dir", str(cache_dir))
    assert code == 0
    assert "analyses.sqlite3 (publication analyses, results and read lines): 6 entries" in out
    assert "  analyses: 2\n  lines: 2\n  results: 2" in out
    code, out, _ = invoke("cache", "clear", "--cache-dir", str(cache_dir))
    assert code == 0
    info = caches.side_info(cache_dir, caches.SIDE_FILES[2])
    assert info.total == 0


def test_compiled_scan_databases_are_listed_and_cleared(tmp_path: Path, user_cache: Path) -> None:
    for name, files in zip(caches.SCAN_DATABASES, (("a.hsdb", "b.hsdb"), ("c.db",)), strict=True):
        (user_cache / name).mkdir(parents=True)
        for file in files:
            (user_cache / name / file).write_bytes(b"1234")
    code, out, _ = invoke("cache", "info", "--cache-dir", str(tmp_path / "c"))
    assert code == 0
    assert f"compiled scan databases ({user_cache / 'scan-databases'}): 2 files, 8 bytes" in out
    assert f"compiled scan databases ({user_cache / 'hyperscan'}): 1 files, 4 bytes" in out
    code, out, _ = invoke("cache", "clear", "--cache-dir", str(tmp_path / "c"))
    assert code == 0
    assert out.strip() == "removed 0 cached entries and 3 compiled scan databases"
    assert [f.files for f in caches.scan_databases_info(user_cache)] == [0, 0]


def test_absent_scan_database_folders_are_empty(user_cache: Path) -> None:
    assert [(f.files, f.size_bytes) for f in caches.scan_databases_info(user_cache)] == [
        (0, 0),
        (0, 0),
    ]
    assert caches.scan_databases_clear(user_cache) == 0


def test_the_scan_database_folders_are_those_the_scans_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from linker.extract import pattern_set, scan

    assert caches.default_cache_dir() / caches.SCAN_DATABASES[1] == scan._DB_CACHE
    pytest.importorskip("hyperscan")
    monkeypatch.setattr("platformdirs.user_cache_path", lambda name: tmp_path / name)
    pattern_set.hyperscan_database({0: "abc"}, True)
    written = list((tmp_path / "trial-linker" / caches.SCAN_DATABASES[0]).iterdir())
    assert [p.suffix for p in written] == [".hsdb"]


def test_set_aside_files_are_listed_and_kept(tmp_path: Path) -> None:
    fill(tmp_path)
    aside = tmp_path / f"{CACHE_FILE}.set-aside-20261201T000000"
    aside.write_bytes(b"old")
    code, out, _ = invoke("cache", "info", "--cache-dir", str(tmp_path))
    assert f"set aside (kept, never read): {aside.name}, 3 bytes" in out
    code, out, _ = invoke("cache", "clear", "--cache-dir", str(tmp_path))
    assert code == 0 and "1 set-aside files kept" in out
    assert aside.exists()
