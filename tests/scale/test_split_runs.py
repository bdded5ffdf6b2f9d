"""``check --jobs 2`` and ``extract --jobs 2`` on one large file: split into parts, the same
output as ``--jobs 1``, the same error; a file whose parts are not exact is checked whole."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lean_support import ListSink
from test_split import (
    jsonl_from_fixture,
    medline_from_fixture,
    pubmed_xml_from_fixture,
    ris_from_fixture,
)

import linker.cli.scale_options as scale_options
import linker.scale.split as split
from linker.cli.main import cli
from linker.extract.scan import current_backend
from linker.lean import ListOptions, read_lean


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


def test_warnings_of_a_file_in_parts_are_the_whole_files(tmp_path: Path) -> None:
    """Records without text in every part: ``--jobs 2`` warns as one process does (the first
    five, then how many more), not five per part, and not nothing."""
    path = jsonl_from_fixture(tmp_path / "untitled.jsonl", copies=100)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index in range(5, len(lines), len(lines) // 8):
        lines[index] = f'{{"pmid": "9{index:07d}", "title": "", "abstract": ""}}\n'
    path.write_text("".join(lines), encoding="utf-8")
    assert len(split.plan_tasks([str(path)], None, 2)) == 4
    runs = (
        ("check", "--no-verify", "--offline", "--today", "2026-11-26"),
        ("extract", "--format", "jsonl"),
        ("extract", "--format", "jsonl", "--publications"),
    )
    for command, *extra in runs:
        one = invoke(command, str(path), *extra, "-o", "one.json")
        two = invoke(command, str(path), *extra, "-o", "two.json", "--jobs", "2")
        assert one.exit_code == two.exit_code and one.exit_code in (0, 1), one.output
        assert one.stderr == two.stderr
        assert "and 3 more records without title or abstract" in one.stderr
        outputs = [Path(name).read_text(encoding="utf-8") for name in ("one.json", "two.json")]
        if command == "check":  # the time of the run aside
            outputs = [re.sub(r'"generated_at": "[^"]*"', "", output) for output in outputs]
        assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    "make", [jsonl_from_fixture, medline_from_fixture, pubmed_xml_from_fixture]
)
def test_parts_are_read_lean(make: object, tmp_path: Path) -> None:
    """``extract --jobs`` reads each part the lean way, as one process reads a file: every
    part's records counted, the whole file's mentions in order."""
    if current_backend() == "re":
        pytest.skip("the re backend reads the reference way")
    plain = make(tmp_path / "list")  # type: ignore[operator]
    gzipped = tmp_path / "list.gz"
    gzipped.write_bytes(gzip.compress(plain.read_bytes()))
    for path in (str(plain), str(gzipped)):
        parts = split.plan_parts(path, None, 4, min_part_bytes=1)
        assert parts is not None and len(parts) == 4
        whole, in_parts, warnings = ListSink(), ListSink(), []
        read_lean(path, ListOptions(), warnings.append, whole)
        for part in parts:
            read = read_lean(path, ListOptions(part=part), warnings.append, in_parts)
            assert read == part.records
        assert in_parts.mentions == whole.mentions and len(whole.mentions) > 20
        assert warnings == []


def test_records_without_ids_in_parts_are_keyed_by_their_ordinal(tmp_path: Path) -> None:
    """A record with no id of its own is keyed by its ordinal in the whole file, in every part
    read lean, as in one process."""
    path = jsonl_from_fixture(tmp_path / "list.jsonl", copies=100)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    marked = range(5, len(lines), len(lines) // 8)
    for index in marked:
        lines[index] = f'{{"title": "Registered as NCT0{index:07d}"}}\n'
    path.write_text("".join(lines), encoding="utf-8")
    assert len(split.plan_tasks([str(path)], None, 2)) == 4
    for extra in ([], ["--publications"]):
        outputs = []
        for jobs in ("1", "2"):
            result = invoke("extract", str(path), "--format", "jsonl", "--jobs", jobs, *extra)
            assert result.exit_code == 0 and result.stderr == "", result.output
            outputs.append(result.stdout)
        assert outputs[0] == outputs[1]
        # One record a line: line ``index + 1`` holds the (index + 1)-th.
        assert all(f'list.jsonl#{index + 1}"' in outputs[0] for index in marked)
