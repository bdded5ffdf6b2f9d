"""The curated public API resolves, lazily, to the stage functions."""

from __future__ import annotations

import subprocess
import sys

import pytest

import linker


@pytest.mark.parametrize("name", linker.__all__)
def test_every_exported_name_resolves(name: str) -> None:
    assert getattr(linker, name) is not None


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        _ = linker.no_such_thing  # type: ignore[attr-defined]


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "linker", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert linker.__version__ in done.stdout
