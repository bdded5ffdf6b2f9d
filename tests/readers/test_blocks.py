"""The lean readers' blocks: whole lines, every byte once, whatever the block size."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linker.readers import blocks as blocks_module
from linker.readers.blocks import Abandon, blocks
from linker.readers.interface import ReadOptions


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from([b"a", b"bc", b"\n", b"\r\n", b"{}", b"\xc3\xa9"]), max_size=40).map(
        b"".join
    ),
    st.integers(min_value=1, max_value=9),
)
def test_blocks_are_whole_lines_of_the_stream(data: bytes, size: int) -> None:
    original = blocks_module.BLOCK_SIZE
    blocks_module.BLOCK_SIZE = size
    try:
        read = list(blocks(io.BytesIO(data), ReadOptions(file_name="x")))
    finally:
        blocks_module.BLOCK_SIZE = original
    assert b"".join(read) == data
    assert all(block and block.endswith(b"\n") for block in read[:-1])
    assert all(block for block in read)


def test_a_line_over_the_limit_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blocks_module, "BLOCK_SIZE", 4)
    options = ReadOptions(file_name="x", max_record_size=10)
    assert list(blocks(io.BytesIO(b"short\nline\n"), options)) == [b"short\n", b"line\n"]
    with pytest.raises(Abandon):
        list(blocks(io.BytesIO(b"ok\n" + b"x" * 30 + b"\n"), options))
