"""The JSON report: the :class:`RunResult` model itself, per ``docs/result.schema.json``.

Written publication by publication, so a long result is never one string in memory; the text
is the same as ``json.dumps(result.model_dump(mode="json"), indent=2)``.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from linker.report.interface import StreamingReporter
from linker.report.summary import sorted_result
from linker.results import RunResult

INDENT = 2
_PLACEHOLDER = "\x00publications\x00"


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=INDENT, ensure_ascii=False)


class JsonReporter(StreamingReporter):
    def write(self, result: RunResult, stream: TextIO) -> None:
        result = sorted_result(result)
        head = result.model_dump(mode="json", exclude={"publications"})
        document = {
            name: _PLACEHOLDER if name == "publications" else head[name]
            for name in RunResult.model_fields
            if name in head or name == "publications"
        }
        before, after = _dumps(document).split(_dumps(_PLACEHOLDER), 1)
        stream.write(before)
        pad = " " * INDENT * 2
        separator = "["
        for publication in result.publications:
            text = _dumps(publication.model_dump(mode="json"))
            stream.write(separator + "\n" + pad + text.replace("\n", "\n" + pad))
            separator = ","
        stream.write("[]" if separator == "[" else "\n" + " " * INDENT + "]")
        stream.write(after + "\n")
