"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

GitHub rejects an upload in which any result lacks a ``physicalLocation``, so every result is
anchored at its finding's file and line (a publication-level finding at the record's first line).
"""

from __future__ import annotations

import json
from pathlib import Path, PurePath
from typing import Any, TextIO
from urllib.parse import quote

from linker import PROJECT_URL
from linker.report.interface import StreamingReporter
from linker.report.summary import sorted_result
from linker.results import Finding, RunResult, Severity
from linker.rules.catalog import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "trialLinker/v1"

LEVELS: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def artifact_uri(file: str) -> str:
    """A relative URI reference (forward slashes, percent-encoded), as code scanning wants:
    the path as given without a leading ``./``; an absolute path inside the working directory
    made relative to it; any other absolute path a ``file://`` URI."""
    path = PurePath(file.replace("\\", "/"))
    if path.is_absolute():
        try:
            path = Path(path).relative_to(Path.cwd())
        except ValueError:
            return Path(path).as_uri()
    return quote(path.as_posix(), safe="/")


def _rules() -> list[dict[str, Any]]:
    return [
        {
            "id": rule.code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary},
            "helpUri": rule.doc_url,
            "defaultConfiguration": {"level": LEVELS[rule.severity]},
        }
        for rule in sorted(RULES, key=lambda r: r.code)
    ]


def _result(finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": max(finding.line, 1)}
    if finding.column:
        region["startColumn"] = finding.column
    entry: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in rule_index:
        entry["ruleIndex"] = rule_index[finding.code]
    location: dict[str, Any] = {
        "physicalLocation": {
            "artifactLocation": {"uri": artifact_uri(finding.file)},
            "region": region,
        }
    }
    properties: dict[str, Any] = {
        "publication": finding.publication,
        "identifier": finding.identifier,
    }
    if finding.source is not None:
        # Read from PubMed, not from the repository: the physical location is the
        # publication's own line; the PubMed record is a logical location (not a file).
        location["logicalLocations"] = [
            {
                "name": f"{finding.source.name} {finding.source.field}",
                "fullyQualifiedName": finding.source.url,
                "kind": "resource",
            }
        ]
        properties["source"] = finding.source.model_dump()
    entry |= {
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": properties,
    }
    return entry


class SarifReporter(StreamingReporter):
    """Written finding by finding (the text is that of ``json.dumps(document, indent=2)``), so
    that a long result is never one document in memory."""

    def write(self, result: RunResult, stream: TextIO) -> None:
        result = sorted_result(result)
        rules = _rules()
        rule_index = {rule["id"]: index for index, rule in enumerate(rules)}
        document = {
            "$schema": SARIF_SCHEMA,
            "version": SARIF_VERSION,
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": result.tool,
                            "version": result.tool_version,
                            "informationUri": PROJECT_URL,
                            "rules": rules,
                        }
                    },
                    # Extraction counts columns in characters, not UTF-16 code units.
                    "columnKind": "unicodeCodePoints",
                    "results": _PLACEHOLDER,
                }
            ],
        }
        before, after = _dumps(document).split(_dumps(_PLACEHOLDER), 1)
        stream.write(before)
        pad = " " * _INDENT * _RESULTS_DEPTH
        separator = "["
        for publication in result.publications:
            for finding in publication.findings:
                text = _dumps(_result(finding, rule_index))
                stream.write(separator + "\n" + pad + text.replace("\n", "\n" + pad))
                separator = ","
        closing = "\n" + " " * _INDENT * (_RESULTS_DEPTH - 1) + "]"
        stream.write("[]" if separator == "[" else closing)
        stream.write(after + "\n")


_INDENT = 2
_RESULTS_DEPTH = 4  # document > runs > run > results > each result
_PLACEHOLDER = "\x00results\x00"


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=_INDENT, ensure_ascii=False)
