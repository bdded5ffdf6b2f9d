"""SARIF 2.1.0, checked by hand against the properties GitHub code scanning requires."""

from __future__ import annotations

import json
from typing import Any

from linker.report.sarif import SarifReporter, artifact_uri
from linker.results import RunResult
from linker.rules.catalog import RULES

LEVELS = {"error", "warning", "note", "none"}


def _sarif(result: RunResult) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SarifReporter().render(result))
    return document


def test_top_level(run_result: RunResult) -> None:
    document = _sarif(run_result)
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    assert len(document["runs"]) == 1


def test_driver_and_rules(run_result: RunResult) -> None:
    driver = _sarif(run_result)["runs"][0]["tool"]["driver"]
    assert driver["name"] == "trial-linker"
    assert driver["version"] == "0.0.0-test"
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == sorted(rule.code for rule in RULES)
    for rule in driver["rules"]:
        assert rule["name"] and rule["shortDescription"]["text"]
        assert rule["helpUri"].endswith(f"/docs/rules/{rule['name']}.md")
        assert rule["defaultConfiguration"]["level"] in LEVELS


def test_every_result_has_a_physical_location(run_result: RunResult) -> None:
    run = _sarif(run_result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(run_result.findings)
    for result in run["results"]:
        assert result["level"] in LEVELS
        assert result["message"]["text"]
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["trialLinker/v1"]
        (location,) = result["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        assert physical["region"]["startLine"] >= 1


def test_levels_and_columns(run_result: RunResult) -> None:
    results = {r["ruleId"]: r for r in _sarif(run_result)["runs"][0]["results"]}
    assert results["TL304"]["level"] == "note"
    assert results["TL101"]["level"] == "warning"
    assert results["TL201"]["level"] == "error"
    assert "startColumn" not in results["TL101"]["locations"][0]["physicalLocation"]["region"]
    assert results["TL201"]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 7,
        "startColumn": 12,
    }


def test_uri_is_the_relative_path_as_given() -> None:
    assert artifact_uri("lists/publications.txt") == "lists/publications.txt"
    assert artifact_uri("refs/second list, v2.ris") == "refs/second%20list%2C%20v2.ris"
    assert artifact_uri("refs\\a b.txt") == "refs/a%20b.txt"


def test_a_finding_at_line_zero_is_still_anchored(run_result: RunResult) -> None:
    run_result.publications[3].findings[0].line = 0
    results = _sarif(run_result)["runs"][0]["results"]
    assert all(r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in results)
