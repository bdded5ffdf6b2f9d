"""The figures docs/accuracy.md reports, recomputed on the real IntoValue pairs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from support import ROOT, shared_path

from linker.link.score import DEFAULT


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "accuracy_link", ROOT / "bench" / "accuracy_link.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_held_out_accuracy_as_reported() -> None:
    trials_csv = shared_path("data-real", "intovalue_trials_publications.csv")
    bench = load_bench()
    shared = Path(trials_csv).parents[1]
    scored = bench.score_pairs(bench.build_pairs(bench.load_trials(shared)))
    tune = [s for s in scored if bench.split_of(s.pair.trial) == "tune"]
    test = [s for s in scored if bench.split_of(s.pair.trial) == "test"]
    fitted = bench.fit(tune)
    assert (fitted.match, fitted.weak) == (DEFAULT.match, DEFAULT.weak)
    figures = bench.figures(test, DEFAULT)
    assert figures.pairs == 3709
    assert figures.accuracy == pytest.approx(0.921, abs=0.0015)
    assert figures.precision == pytest.approx(0.916, abs=0.0015)
    assert figures.recall == pytest.approx(0.842, abs=0.0015)
    assert figures.false_accusation == pytest.approx(0.113, abs=0.0015)
    assert figures.mismatch_caught_hard == pytest.approx(0.837, abs=0.0015)
