"""A rerun takes each publication's analysis from the cache: the same mentions and report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES

from linker.cli.main import cli
from linker.extract import analysis_cache
from linker.extract.analysis_cache import ANALYSES_FILE, AnalysisCache, analyse
from linker.readers import read_publications

SEED = FIXTURES / "publications" / "publications.txt"


def counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]

    def counted(publication: object) -> object:
        calls[0] += 1
        return analyse(publication)  # type: ignore[arg-type]

    monkeypatch.setattr(analysis_cache, "analyse", counted)
    return calls


def test_second_run_analyses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publications = list(read_publications(SEED))
    calls = counting(monkeypatch)
    first = AnalysisCache(tmp_path).analyse_all(publications)
    assert calls[0] == len(publications)
    second_cache = AnalysisCache(tmp_path)
    second = second_cache.analyse_all(publications)
    second_cache.close()
    assert calls[0] == len(publications)
    assert second == first == [analyse(p) for p in publications]
    moved = publications[0].model_copy(update={"line": publications[0].line + 1})
    AnalysisCache(tmp_path).analyse_all([moved])
    assert calls[0] == len(publications) + 1  # another position, another analysis


def test_other_code_empties_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    publications = list(read_publications(SEED))[:3]
    AnalysisCache(tmp_path).analyse_all(publications)
    calls = counting(monkeypatch)
    monkeypatch.setattr(analysis_cache, "fingerprint", lambda: b"another build" * 3)
    AnalysisCache(tmp_path).analyse_all(publications)
    assert calls[0] == 3


def test_other_code_gives_the_space_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = AnalysisCache(tmp_path)
    cache.store_lines([(bytes([i % 256, i // 256]) * 16, b"x" * 8192) for i in range(400)])
    cache.close()
    full = (tmp_path / ANALYSES_FILE).stat().st_size
    assert full > 3_000_000
    monkeypatch.setattr(analysis_cache, "package_fingerprint", lambda: b"another build" * 3)
    other = AnalysisCache(tmp_path)
    other.analyse_all(list(read_publications(SEED))[:1])
    other.close()
    assert (tmp_path / ANALYSES_FILE).stat().st_size < full / 10


def test_unusable_file_warns_and_analyses(tmp_path: Path) -> None:
    (tmp_path / ANALYSES_FILE).write_bytes(b"not a database" * 100)
    warnings: list[str] = []
    publications = list(read_publications(SEED))[:2]
    analyses = AnalysisCache(tmp_path, on_warning=warnings.append).analyse_all(publications)
    assert analyses == [analyse(p) for p in publications]
    assert len(warnings) == 1 and "analysis cache" in warnings[0]


def test_warm_check_reports_the_same(tmp_path: Path) -> None:
    def check() -> dict[str, object]:
        args = ["check", str(SEED), "--no-verify", "-q", "--format", "json"]
        result = CliRunner().invoke(cli, [*args, "--cache-dir", str(tmp_path)])
        assert result.exit_code in (0, 1), result.output
        document: dict[str, object] = json.loads(result.stdout)
        document.pop("generated_at")
        return document

    cold = check()
    assert (tmp_path / ANALYSES_FILE).exists()
    assert check() == cold
