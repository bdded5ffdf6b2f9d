"""Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM; binary data is refused."""

from __future__ import annotations

import codecs

from linker.readers.interface import ReadOptions

_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1b")


def looks_binary(head: bytes) -> bool:
    """NUL bytes, or mostly control characters, in the first bytes of a file."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    sample = head[:8192]
    if not sample:
        return False
    controls = sum(1 for byte in sample if byte < 32 and byte not in _TEXT_CONTROLS)
    return controls / len(sample) > 0.1


def decode(data: bytes, options: ReadOptions) -> str:
    """Decode a whole file; invalid UTF-8 bytes become U+FFFD with one warning per file."""
    if looks_binary(data[:65536]):
        raise options.error("binary data, not a publication list")
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as error:
                raise options.error(f"invalid {encoding.upper()} text: {error.reason}") from None
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    plural = "" if replaced == 1 else "s"
    options.warn(f"replaced {replaced} invalid UTF-8 byte{plural}")
    return text
