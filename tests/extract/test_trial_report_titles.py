"""The title-only model's training data (bench/title_data.py, bench/accuracy_classify.py): the
silver non-trials say nothing of a trial, and nothing of a seed's test half reaches its training
titles (docs/accuracy.md, "Titles only")."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from support import bench_module, shared_path


def _write_unified(path: Path, rows: list[dict[str, object]]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(row) + "\n" for row in rows)
    return path


def test_silver_negatives_are_unlabelled_public_health_records_without_trial_wording(
    tmp_path: Path,
) -> None:
    wos = {"source": "wos_public_health", "trial_label": None}
    data = _write_unified(
        tmp_path / "unified.jsonl.gz",
        [
            {**wos, "uid": "w1", "title": "Prevalence of anaemia in Ghana", "abstract": "Survey."},
            {**wos, "uid": "w2", "title": "Diet and sleep", "abstract": "We randomised 40."},
            {**wos, "uid": "w3", "title": "Walking and mood", "abstract": "NCT01234567."},
            {**wos, "uid": "w4", "title": "A cluster trial of nets", "abstract": "Malaria."},
            {**wos, "uid": "w5", "title": "", "abstract": "No title."},
            {"source": "pubmed_samples", "trial_label": "not_trial", "uid": "p1", "title": "X"},
        ],
    )
    bench = bench_module("accuracy_classify")
    assert bench.title_data.silver_negatives(data) == [("w1", "Prevalence of anaemia in Ghana")]
    (record,) = bench.load_silver_negatives(data)
    assert (record.is_trial, record.abstract, record.source) == (False, "", "wos_public_health")


def test_unseen_drops_records_that_share_a_pmid_or_doi_with_a_held_out_one(
    tmp_path: Path,
) -> None:
    data = _write_unified(
        tmp_path / "unified.jsonl.gz",
        [
            {"uid": "a", "pmid": "111", "doi": "10.1/X"},
            {"uid": "b", "pmid": None, "doi": "https://doi.org/10.1/x"},
            {"uid": "c", "pmid": "222", "doi": None},
            {"uid": "d", "pmid": "333.0", "doi": ""},
        ],
    )
    intovalue = tmp_path / "intovalue.csv"
    intovalue.write_text("pmid,title,doi\n333,T,10.9/y\n", encoding="utf-8")
    title_data = bench_module("accuracy_classify").title_data
    ids = title_data.publication_ids(data, intovalue)
    assert ids["intovalue:333"] == {"pmid:333", "doi:10.9/y"}
    # b shares a's DOI (spelled as a URL, another case); d is IntoValue's PMID 333.
    assert title_data.unseen(["b", "c", "d", "e"], ["a", "intovalue:333"], ids) == [
        False,
        True,
        False,
        True,
    ]


def test_no_training_title_comes_from_the_seeds_test_half() -> None:
    data = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    titles = shared_path("data-real", "intovalue_pubmed_main.csv")
    registry = shared_path("data-real", "intovalue_trials_publications.csv")
    bench = bench_module("accuracy_classify")
    records = bench.load(data)
    intovalue = bench.load_intovalue_titles(titles)
    extra = bench.TitleData(
        bench.load_labelled_titles(data),
        bench.load_registry_titles(registry),
        bench.load_silver_negatives(data),
        bench.title_data.publication_ids(data, titles),
    )
    assert len(extra.silver_negatives) > 2500
    for seed in (0, 1):
        tune, held = bench.title_halves(records, intovalue, seed)
        training = bench.title_training(tune, held, extra, seed)
        held_keys = {bench._title_key(r.title) for r in held}
        held_ids = set().union(*(extra.ids.get(r.uid, frozenset()) for r in held))
        assert not {r.uid for r in training} & {r.uid for r in held}
        assert not any(bench._title_key(r.title) in held_keys for r in training)
        assert not any(extra.ids.get(r.uid, frozenset()) & held_ids for r in training)
        silver = sum(r.source == "wos_public_health" for r in training)
        assert silver > 2500
