"""Paths and data helpers for the tests (import as ``from support import ...``)."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = Path(os.environ.get("TRIAL_LINKER_SHARED", ROOT.parent / "shared"))


def shared_path(*parts: str) -> Path:
    """A file under ../shared/, or skip the test cleanly where it is absent (a user's clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path}")
    return path


def every_scan_backend() -> Any:
    """An autouse fixture running each test of a module once per installed scan backend
    (assign it in the module as ``scan_backend = every_scan_backend()``)."""
    from linker.extract.scan import available_backends, current_backend, use_backend

    def scan_backend(request: pytest.FixtureRequest) -> Iterator[str]:
        previous = current_backend()
        use_backend(request.param)
        yield request.param
        use_backend(previous)

    return pytest.fixture(autouse=True, params=available_backends(), name="scan_backend")(
        scan_backend
    )


@cache
def bench_module(name: str) -> ModuleType:
    """``bench/<name>.py`` imported as module ``name`` (bench/ is not a package; the module is
    registered in sys.modules, where dataclasses look their module up while being built)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
