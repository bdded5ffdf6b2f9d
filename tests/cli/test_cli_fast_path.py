"""`extract` writes the same bytes with every scanning backend, on the seed list and the sample
file of every input format (the reference path is the ``re`` backend)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support import FIXTURES

from linker.cli.main import cli
from linker.extract.scan import available_backends, current_backend, use_backend

SAMPLES = sorted((FIXTURES / "publications").iterdir())


def extract(path: Path, backend: str, *extra: str) -> str:
    previous = current_backend()
    use_backend(backend)
    try:
        result = CliRunner().invoke(cli, ["extract", str(path), "--format", "jsonl", *extra])
    finally:
        use_backend(previous)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
@pytest.mark.parametrize("extra", [(), ("--publications",)], ids=["mentions", "publications"])
def test_every_backend_writes_the_same_bytes(path: Path, extra: tuple[str, ...]) -> None:
    outputs = {backend: extract(path, backend, *extra) for backend in available_backends()}
    assert len(set(outputs.values())) == 1, outputs.keys()
    assert outputs["re"]
