"""Read a saved JSON result back (``report`` command), and the JSON Schema that describes it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from linker.errors import InputError
from linker.results import SCHEMA_VERSION, RunResult

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def result_schema() -> dict[str, Any]:
    """The JSON Schema of the JSON report, as shipped in ``docs/result.schema.json``.

    Generated in serialization mode: every key the report always writes is ``required``.
    """
    schema = RunResult.model_json_schema(mode="serialization")
    return {"$schema": SCHEMA_DIALECT, **schema}


def write_schema(path: str | Path) -> None:
    text = json.dumps(result_schema(), indent=2, ensure_ascii=False) + "\n"
    Path(path).write_text(text, encoding="utf-8")


def load_result(path: str | Path) -> RunResult:
    """The result saved by ``check --format json``; :class:`InputError` if it is not one."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(name, f"cannot read the saved result: {_reason(error)}") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(name, f"not valid JSON: {error.msg}", error.lineno) from error
    if not isinstance(document, dict) or "schema_version" not in document:
        raise InputError(name, "not a trial-linker JSON result (no schema_version)")
    version = document["schema_version"]
    if version != SCHEMA_VERSION:
        raise InputError(
            name,
            f"schema_version {version!r} is not supported "
            f"(this trial-linker reads version {SCHEMA_VERSION})",
        )
    try:
        return RunResult.model_validate(document)
    except ValidationError as error:
        raise InputError(
            name, f"not a valid trial-linker result: {_first_problem(error)}"
        ) from error


def _reason(error: Exception) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error).splitlines()[0]


def _first_problem(error: ValidationError) -> str:
    problems = error.errors()
    first = problems[0]
    where = ".".join(str(part) for part in first["loc"]) or "(top level)"
    others = len(problems) - 1
    more = f" (and {others} more problem{'s' if others > 1 else ''})" if others else ""
    return f"{where}: {first['msg']}{more}"
