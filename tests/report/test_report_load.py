"""Reading a saved JSON result back, and the JSON Schema shipped in ``docs/``."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from linker.errors import InputError
from linker.report.json_report import JsonReporter
from linker.report.load import load_result, result_schema, write_schema
from linker.results import SCHEMA_VERSION, RunResult

ROOT = Path(__file__).resolve().parents[2]
COMMITTED_SCHEMA = ROOT / "docs" / "result.schema.json"


def _save(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "result.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_round_trip_json_load_json(tmp_path: Path, run_result: RunResult) -> None:
    saved = JsonReporter().render(run_result)
    loaded = load_result(_save(tmp_path, saved))
    assert JsonReporter().render(loaded) == saved


def test_committed_schema_is_the_generated_one(tmp_path: Path) -> None:
    fresh = tmp_path / "schema.json"
    write_schema(fresh)
    assert COMMITTED_SCHEMA.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
        "docs/result.schema.json is stale: regenerate it with "
        'python -c "from linker.report.load import write_schema; '
        "write_schema('docs/result.schema.json')\""
    )


def test_real_output_validates_against_the_schema(run_result: RunResult) -> None:
    document = json.loads(JsonReporter().render(run_result))
    schema = result_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)


def test_schema_rejects_a_result_missing_a_key(run_result: RunResult) -> None:
    document = json.loads(JsonReporter().render(run_result))
    del document["publications"][0]["findings"][0]["fingerprint"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, result_schema())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "no schema_version"),
        ('{"schema_version": 99}', "schema_version 99 is not supported"),
        ('{"schema_version": "1"}', "schema_version '1' is not supported"),
        (json.dumps({"schema_version": SCHEMA_VERSION}), "not a valid trial-linker result"),
    ],
)
def test_bad_input_is_one_line_input_error(tmp_path: Path, text: str, expected: str) -> None:
    path = _save(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_result(path)
    message = str(caught.value)
    assert expected in message
    assert message.startswith(str(path))
    assert "\n" not in message


def test_schema_mismatch_names_the_field(tmp_path: Path, run_result: RunResult) -> None:
    document = json.loads(JsonReporter().render(run_result))
    document["publications"][0]["findings"][0]["severity"] = "fatal"
    with pytest.raises(InputError, match=r"publications\.0\.findings\.0\.severity"):
        load_result(_save(tmp_path, json.dumps(document)))


def test_invalid_json_reports_its_line(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_result(_save(tmp_path, '{\n  "schema_version": 1,\n  oops\n}'))
    assert caught.value.line == 3


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the saved result"):
        load_result(tmp_path / "absent.json")
