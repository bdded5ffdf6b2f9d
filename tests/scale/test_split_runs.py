"""``check --jobs 2`` and ``extract --jobs 2`` on one large file: split into parts, the same
output as ``--jobs 1``, the same error; a file whose parts are not exact is checked whole."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_split import (
    jsonl_from_fixture,
    medline_from_fixture,
    pubmed_xml_from_fixture,
    ris_from_fixture,
)

import linker.cli.scale_options as scale_options
import linker.scale.split as split
from linker.cli.main import cli


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRIAL_LINKER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TRIAL_LINKER_DASK", raising=False)
    monkeypatch.setattr(split, "MIN_PART_BYTES", 1)  # the parent plans: small files split too


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def check(path: Path, out: str, *extra: str) -> dict[str, object]:
    result = invoke(
        "check", str(path), "--offline", "-q", "--today", "2026-11-26", "-o", out, *extra
    )
    assert result.exit_code in (0, 1, 3), result.output
    document = json.loads(Path(out).read_text(encoding="utf-8"))
    del document["generated_at"]
    return document  # type: ignore[no-any-return]


def test_check_of_one_file_in_parts_is_identical(tmp_path: Path) -> None:
    path = pubmed_xml_from_fixture(tmp_path / "big.xml", copies=30)
    assert len(split.plan_tasks([str(path)], None, 2)) == 4
    plain = check(path, "one.json")
    assert len(plain["publications"]) == 60  # type: ignore[arg-type]
    assert check(path, "two.json", "--jobs", "2") == plain


def test_a_file_whose_parts_are_not_exact_is_checked_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = pubmed_xml_from_fixture(tmp_path / "odd.xml", copies=30)
    text = path.read_text(encoding="utf-8")
    # In the last quarter, two records on one line: that part gives one record more than
    # the record lines counted for it.
    at = text.index("</PubmedArticle>\n<PubmedArticle>", len(text) * 4 // 5)
    path.write_text(text[:at] + "</PubmedArticle><PubmedArticle>" + text[at + 33 :], "utf-8")
    reruns: list[str] = []
    real = scale_options.check_file

    def counted(source: str, job: object) -> object:
        reruns.append(source)
        return real(source, job)  # type: ignore[arg-type]

    monkeypatch.setattr(scale_options, "check_file", counted)
    assert check(path, "two.json", "--jobs", "2") == check(path, "one.json")
    assert reruns == [str(path)]


def test_an_error_in_a_later_part_is_the_same_error(tmp_path: Path) -> None:
    path = jsonl_from_fixture(tmp_path / "bad.jsonl", copies=100)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[170] = '{"title": "unfinished\n'
    path.write_text("".join(lines), encoding="utf-8")
    for command, *extra in (("check", "--no-verify"), ("extract", "--format", "jsonl")):
        one = invoke(command, str(path), *extra)
        two = invoke(command, str(path), "--jobs", "2", *extra)
        assert one.exit_code == two.exit_code == 2
        assert one.stderr == two.stderr
        assert "bad.jsonl:171: " in one.stderr


@pytest.mark.parametrize(
    "make", [pubmed_xml_from_fixture, ris_from_fixture, medline_from_fixture, jsonl_from_fixture]
)
def test_extract_of_one_file_in_parts_is_identical(make: object, tmp_path: Path) -> None:
    path = make(tmp_path / "list")  # type: ignore[operator]
    for extra in ([], ["--publications"]):
        outputs = []
        for jobs in ("1", "2"):
            out = tmp_path / f"out{jobs}.jsonl"
            result = invoke(
                "extract", str(path), "--format", "jsonl", "-o", str(out), "--jobs", jobs, *extra
            )
            assert result.exit_code == 0, result.output
            outputs.append(out.read_text(encoding="utf-8"))
        assert outputs[0] == outputs[1] and outputs[0].count("\n") > 20


def test_real_records_in_one_file_against_a_snapshot(
    pubmed_files: list[Path], scale_snapshot: Path, tmp_path: Path
) -> None:
    """The end-to-end files' real PubMed records as one file, checked against the snapshot
    (found and not-found answers) in parts: identical to one process."""
    records = [
        record
        for path in pubmed_files[1:]  # the PubmedArticleSet files
        for record in re.findall(
            r"<PubmedArticle>.*?</PubmedArticle>", path.read_text("utf-8"), re.S
        )
    ]
    path = tmp_path / "one.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<PubmedArticleSet>\n'
        + "\n".join(records)
        + "\n</PubmedArticleSet>\n",
        encoding="utf-8",
    )
    assert len(split.plan_tasks([str(path)], None, 2)) == 4
    snapshot = ("--snapshot", str(scale_snapshot))
    plain = check(path, "one.json", *snapshot)
    outcomes = {i["outcome"] for p in plain["publications"] for i in p["identifiers"]}  # type: ignore[attr-defined]
    assert {"found", "not_found"} <= outcomes
    assert check(path, "two.json", "--jobs", "2", *snapshot) == plain
