"""The figures docs/accuracy.md reports, recomputed on the real IntoValue pairs (seed 1, the
shipped weights and thresholds; the per-seed refits are bench-only: they take a minute)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from support import ROOT, shared_path


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "accuracy_link", ROOT / "bench" / "accuracy_link.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_seed_1_figures_as_reported() -> None:
    trials_csv = shared_path("data-real", "intovalue_trials_publications.csv")
    bench = load_bench()
    rows = bench.load_trials(Path(trials_csv).parents[1])
    _, _, rates = bench.report_seed(rows, 1, shipped=True)
    true, random, hard = rates["true"], rates["random"], rates["hard"]
    assert true.pairs == 1207
    assert true.error == pytest.approx(0.009, abs=0.0015)
    assert true.any_finding == pytest.approx(0.043, abs=0.0015)
    assert random.any_finding == pytest.approx(0.975, abs=0.0015)
    assert random.error == pytest.approx(0.833, abs=0.0015)
    assert hard.error == 0.0
