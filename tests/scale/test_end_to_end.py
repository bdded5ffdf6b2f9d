"""The issue's end-to-end check: three PubMed XML files from real records against a small
CT.gov snapshot give the same result plainly, with ``--jobs 2``, through shards and ``merge``,
and on a Dask ``LocalCluster(n_workers=2, threads_per_worker=1)``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from linker.cli.main import cli


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TRIAL_LINKER_DASK", raising=False)


def check(files: list[Path], snapshot: Path, out: Path, *extra: str) -> dict[str, object]:
    result = CliRunner().invoke(
        cli,
        ["check", *map(str, files), "--snapshot", str(snapshot), "--offline", "-q",
         "--today", "2026-11-26", "-o", str(out), *extra],
    )  # fmt: skip
    assert result.exit_code in (1, 3), result.output
    return comparable(out)


def comparable(path: Path) -> dict[str, object]:
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["generated_at"]
    document["settings"].pop("cache_dir")  # each test has a cache of its own
    return document  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def plain(
    pubmed_files: list[Path], scale_snapshot: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, object]:
    document = check(pubmed_files, scale_snapshot, tmp_path_factory.mktemp("plain") / "r.json")
    identifiers = [i for p in document["publications"] for i in p["identifiers"]]  # type: ignore[attr-defined]
    outcomes = {i["outcome"] for i in identifiers}
    assert {"found", "not_found"} <= outcomes  # both answers from the snapshot are exercised
    assert len(document["publications"]) > 250  # type: ignore[arg-type]
    return document


def test_jobs_2_is_identical(
    plain: dict[str, object], pubmed_files: list[Path], scale_snapshot: Path, tmp_path: Path
) -> None:
    assert check(pubmed_files, scale_snapshot, tmp_path / "r.json", "--jobs", "2") == plain


def test_shards_then_merge_is_identical(
    plain: dict[str, object], pubmed_files: list[Path], scale_snapshot: Path, tmp_path: Path
) -> None:
    shards = tmp_path / "shards"
    for k in ("1/2", "2/2"):
        check(
            pubmed_files,
            scale_snapshot,
            tmp_path / f"part{k[0]}.json",
            "--shard",
            k,
            "--shard-dir",
            str(shards),
        )
    made = {p.name: p.stat().st_mtime_ns for p in shards.iterdir()}
    assert len(made) == 3
    # A rerun finds every shard finished and reuses it.
    check(
        pubmed_files,
        scale_snapshot,
        tmp_path / "again.json",
        "--shard-dir",
        str(shards),
        "--jobs",
        "2",
    )
    assert {p.name: p.stat().st_mtime_ns for p in shards.iterdir()} == made
    assert comparable(tmp_path / "again.json") == plain
    merged, summary_md, table = (tmp_path / n for n in ("merged.json", "summary.md", "t.csv"))
    result = CliRunner().invoke(
        cli,
        [
            "merge",
            str(shards),
            "-o",
            str(merged),
            "--summary",
            str(summary_md),
            "--table",
            str(table),
        ],
    )
    assert result.exit_code == 0, result.output
    assert comparable(merged) == plain
    summary = summary_md.read_text()
    assert "## Findings per rule" in summary and "ctgov 20" in summary
    rows = table.read_text().splitlines()
    assert len(rows) == 1 + len(plain["publications"])  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local.scheduler_address


def test_dask_local_cluster_is_identical(
    plain: dict[str, object],
    pubmed_files: list[Path],
    scale_snapshot: Path,
    tmp_path: Path,
    cluster: str,
) -> None:
    assert check(pubmed_files, scale_snapshot, tmp_path / "r.json", "--dask", cluster) == plain
