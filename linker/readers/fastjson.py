"""JSON decoding and encoding through orjson where installed (the ``fast`` extra), else the
standard library: the same values either way for what the readers and writers use."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

loads: Callable[[str | bytes], Any]
dumps_line: Callable[[Any], str]
"""One JSON Lines row: compact, non-ASCII written as is, a newline at the end."""
dumps_line_bytes: Callable[[Any], bytes]
""":data:`dumps_line` as UTF-8 bytes."""


def _dumps_line_stdlib(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n"


try:
    import orjson
except ImportError:  # pragma: no cover - exercised by the CI run without the fast extra
    loads = json.loads
    dumps_line = _dumps_line_stdlib

    def dumps_line_bytes(value: Any) -> bytes:
        return _dumps_line_stdlib(value).encode("utf-8")
else:
    loads = orjson.loads

    def dumps_line(value: Any) -> str:
        # str(): mypy runs without the fast extra too, where orjson is untyped (Any).
        return str(orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE).decode("utf-8"))

    def dumps_line_bytes(value: Any) -> bytes:
        return bytes(orjson.dumps(value, option=orjson.OPT_APPEND_NEWLINE))
