"""The JSON report: the :class:`RunResult` model itself, per ``docs/result.schema.json``."""

from __future__ import annotations

import json

from linker.report.interface import Reporter
from linker.report.summary import sorted_result
from linker.results import RunResult


class JsonReporter(Reporter):
    def render(self, result: RunResult) -> str:
        document = sorted_result(result).model_dump(mode="json")
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
