"""Reporters give the same document for a spooled result as for a list, and the streamed JSON
is the model's own dump."""

from __future__ import annotations

import json

from linker.report.interface import OutputFormat, reporter_for
from linker.report.json_report import JsonReporter
from linker.report.summary import sorted_publication, sorted_result
from linker.results import RunResult
from linker.spool import PublicationSpool
from linker.streaming import spooled_result


def test_spooled_json_is_the_model_dump(run_result: RunResult) -> None:
    spool = PublicationSpool()
    # As the pipeline does: each publication's identifiers and findings in report order.
    spool.extend([sorted_publication(p) for p in run_result.publications])
    spooled = spooled_result(run_result.inputs, spool).model_copy(
        update={
            "generated_at": run_result.generated_at,
            "tool_version": run_result.tool_version,
            "settings": run_result.settings,
        }
    )
    try:
        for fmt in OutputFormat:
            assert reporter_for(fmt).render(spooled) == reporter_for(fmt).render(run_result), fmt
    finally:
        spool.close()
    document = sorted_result(run_result).model_dump(mode="json")
    dumped = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert JsonReporter().render(run_result) == dumped


def test_empty_result_json(empty_result: RunResult) -> None:
    text = JsonReporter().render(empty_result)
    assert json.loads(text)["publications"] == []
    assert text == json.dumps(empty_result.model_dump(mode="json"), indent=2) + "\n"
