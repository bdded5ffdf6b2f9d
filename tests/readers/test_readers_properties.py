"""Whatever bytes arrive, reading them ends in publications or one InputError, never a crash."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linker.errors import InputError
from linker.readers import read_publications

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "publications"
SAMPLES = [
    "sample.xml",
    "sample.nbib",
    "sample.ris",
    "sample.bib",
    "sample.csv",
    "sample.tsv",
    "sample.jsonl",
    "sample.json",
    "blank_separated.txt",
]
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _read(data: bytes, name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            for publication in read_publications(path, on_warning=lambda _: None):
                assert publication.line >= 1 and publication.ordinal >= 1
        except InputError as error:
            assert error.file == str(path)
            assert "\n" not in error.message
            assert not error.message.startswith("cannot parse as"), error.message


@SETTINGS
@given(data=st.binary(max_size=400), name=st.sampled_from(SAMPLES))
def test_random_bytes(data: bytes, name: str) -> None:
    _read(data, name)


@pytest.mark.parametrize("name", SAMPLES)
@SETTINGS
@given(data=st.data())
def test_mutated_samples(name: str, data: st.DataObject) -> None:
    original = bytearray((FIXTURES / name).read_bytes())
    mutated = bytearray(original)
    for _ in range(data.draw(st.integers(1, 4))):
        if not mutated:
            break
        index = data.draw(st.integers(0, len(mutated) - 1))
        mutated[index] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(mutated)))
    if data.draw(st.booleans()):
        mutated = mutated[:cut]
    _read(bytes(mutated), name)
