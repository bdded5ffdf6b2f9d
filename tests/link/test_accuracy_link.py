"""The figures docs/accuracy.md reports, recomputed on the real IntoValue pairs (seed 1, the
shipped weights and thresholds; the per-seed refits are bench-only: they take a minute)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import bench_module, shared_path


def test_seed_1_figures_as_reported() -> None:
    trials_csv = shared_path("data-real", "intovalue_trials_publications.csv")
    bench = bench_module("accuracy_link")
    rows = bench.load_trials(Path(trials_csv).parents[1])
    _, _, rates = bench.report_seed(rows, 1, shipped=True)
    true, random, hard = rates["true"], rates["random"], rates["hard"]
    assert true.pairs == 1207
    assert true.error == pytest.approx(0.009, abs=0.0015)
    assert true.any_finding == pytest.approx(0.043, abs=0.0015)
    assert random.any_finding == pytest.approx(0.975, abs=0.0015)
    assert random.error == pytest.approx(0.833, abs=0.0015)
    assert hard.error == 0.0
