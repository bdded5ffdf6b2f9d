"""Fixtures shared by every test; plain helpers live in ``support.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import FIXTURES


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
