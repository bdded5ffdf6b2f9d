from __future__ import annotations

import codecs
import importlib
import io

import pytest

from linker.errors import InputError
from linker.readers.decode import decode, decode_lines, looks_binary
from linker.readers.interface import ReadOptions

decode_module = importlib.import_module("linker.readers.decode")  # the package shadows it


def test_utf8_bom_and_utf16() -> None:
    options = ReadOptions(file_name="f")
    assert decode(codecs.BOM_UTF8 + "café".encode(), options) == "café"
    assert decode(codecs.BOM_UTF16_LE + "café".encode("utf-16-le"), options) == "café"


def test_invalid_bytes_replaced_with_one_warning() -> None:
    warnings: list[str] = []
    options = ReadOptions(file_name="data.csv", on_warning=warnings.append)
    text = decode(b"a\xffb\xfec\xfd \xef\xbf\xbd", options)
    assert text == "a\ufffdb\ufffdc\ufffd \ufffd"
    assert warnings == ["data.csv: replaced 3 invalid UTF-8 bytes"]  # a U+FFFD of its own too


def test_binary_refused() -> None:
    assert looks_binary(b"abc\x00def")
    assert looks_binary(bytes(range(1, 32)) * 10)
    assert not looks_binary("Plain text, ümlaut\n".encode())
    with pytest.raises(InputError, match="binary"):
        decode(b"\x00\x01\x02", ReadOptions(file_name="f"))


@pytest.mark.parametrize("chunk", [1, 3, 7, 1 << 16])
def test_the_warning_names_the_first_line_with_an_invalid_byte(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read whole or line by line (in chunks of any size: a line may end in a later one), the
    warning says where to look, unless the file also holds a U+FFFD of its own (the
    replacements cannot be told from it)."""
    monkeypatch.setattr(decode_module, "_CHUNK_SIZE", chunk)
    monkeypatch.setattr(decode_module, "_HEAD_SIZE", chunk)
    data = b"title\nfine\r\nstill fine\rCaf\xe9\nand \xff\n"
    for literal, expected in ((b"", ", the first on line 4"), ("\ufffd".encode(), "")):
        whole: list[str] = []
        decode(data + literal, ReadOptions(file_name="f", on_warning=whole.append))
        lines: list[str] = []
        options = ReadOptions(file_name="f", on_warning=lines.append)
        list(decode_lines(io.BytesIO(data + literal), options))
        assert whole == lines == [f"f: replaced 2 invalid UTF-8 bytes{expected}"]
