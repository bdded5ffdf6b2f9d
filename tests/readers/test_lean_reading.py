"""The lean paths (no position bookkeeping for records whose text holds no identifier; for JSON
Lines also a fast JSON decoder) read exactly what the exact readers read, positions included
wherever an identifier is."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

import pytest
from support import FIXTURES, shared_path

from linker.extract.mentions import extract_mentions
from linker.models import Publication
from linker.readers import jsonrecords, pubmed_xml, read_publications
from linker.readers.fastjson import _dumps_line_stdlib, dumps_line


def read_both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Publication], ...]:
    fast = list(read_publications(path))
    with monkeypatch.context() as patch:
        patch.setattr(jsonrecords, "_lean_draft", lambda *args: None)
        patch.setattr(jsonrecords, "_positioned_draft", lambda *args: None)
        exact = list(read_publications(path))
    return fast, exact


def without_anchors(publication: Publication) -> dict[str, object]:
    dumped = publication.model_dump()
    for field in dumped["fields"]:
        field["anchors"] = []
    return dumped


def assert_same(fast: list[Publication], exact: list[Publication]) -> None:
    assert [without_anchors(p) for p in fast] == [without_anchors(p) for p in exact]
    assert [extract_mentions(p) for p in fast] == [extract_mentions(p) for p in exact]
    for lean, full in zip(fast, exact, strict=True):  # positions kept wherever an id is
        if any(m.field != "declared" for m in extract_mentions(full)):
            assert lean == full


def test_sample_file(monkeypatch: pytest.MonkeyPatch) -> None:
    assert_same(*read_both(FIXTURES / "publications" / "sample.jsonl", monkeypatch))


def test_real_abstracts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    path = tmp_path / "real.jsonl"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        path.write_text("".join(itertools.islice(handle, 0, 13000, 13)), encoding="utf-8")
    fast, exact = read_both(path, monkeypatch)
    assert len(fast) == 1000
    assert_same(fast, exact)


def test_odd_records_take_the_exact_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [
        {"title": "Lone \ud800 surrogate", "abstract": "x"},
        {"title": "Declared", "abstract": "y", "trial_registration": "NCT01234567"},
        {"title": "Types as objects", "publication_types": [{"name": "Review"}]},
        {"Title": "first", "title": "second", "abstract": ["a", 1, "b", {"c": "d"}]},
        {"title": "Numbers", "year": 2019.0, "pmid": 123, "doi": None, "id": True},
    ]
    path = tmp_path / "odd.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    warnings: list[str] = []
    fast = list(read_publications(path, on_warning=warnings.append))
    with monkeypatch.context() as patch:
        patch.setattr(jsonrecords, "_lean_draft", lambda *args: None)
        patch.setattr(jsonrecords, "_positioned_draft", lambda *args: None)
        exact_warnings: list[str] = []
        exact = list(read_publications(path, on_warning=exact_warnings.append))
    assert_same(fast, exact)
    assert warnings == exact_warnings
    assert fast[1].declared_ids == exact[1].declared_ids


@pytest.mark.parametrize(
    "value",
    [
        {"a": 'é \u2028 \x7f \x1f \n \t " \\ / \ud7ff \U0001f600', "b": [1, None, True, False]},
        {"empty": "", "nested": {"x": [-5, 0]}},
    ],
)
def test_json_lines_rows_are_the_same_bytes_with_either_encoder(value: object) -> None:
    assert dumps_line(value) == _dumps_line_stdlib(value)
    assert json.loads(dumps_line(value)) == value


PUBMED_SAMPLES = [
    ("abstracts", "pubmed_samples", "mokztk+pubmed-parser__pubmed_result.xml"),
    ("abstracts", "pubmed_samples", "filiperigueiro+ArticleSearch__pubmed_result.xml"),
    ("abstracts", "pubmed_parser", "medline16n0902.xml.gz"),
]


@pytest.mark.parametrize("parts", PUBMED_SAMPLES, ids=[p[-1] for p in PUBMED_SAMPLES])
def test_pubmed_xml(parts: tuple[str, ...], monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_path("data-real", *parts)
    fast = list(itertools.islice(read_publications(path), 600))
    with monkeypatch.context() as patch:
        patch.setattr(pubmed_xml, "holds_identifier", lambda text: True)
        exact = list(itertools.islice(read_publications(path), 600))
    assert_same(fast, exact)


def test_pubmed_xml_sample_file(monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / "publications" / "sample.xml"
    fast = list(read_publications(path))
    with monkeypatch.context() as patch:
        patch.setattr(pubmed_xml, "holds_identifier", lambda text: True)
        exact = list(read_publications(path))
    assert_same(fast, exact)
