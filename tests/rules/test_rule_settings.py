"""Rule selection, severity overrides and suppressions are validated up front."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from rules_helpers import publication

from linker.rules.settings import ALL_CODES, RuleSettings, Thresholds, resolve


def test_resolve_codes_names_and_prefixes() -> None:
    assert resolve("TL201") == {"TL201"}
    assert resolve("id-not-found") == {"TL201"}
    assert resolve("tl2") == {"TL201", "TL202", "TL203", "TL204", "TL205", "TL206"}
    assert resolve("TL") == ALL_CODES


@pytest.mark.parametrize("selector", ["TL999", "no-such-rule", "T", "X1"])
def test_unknown_rule_is_a_clear_value_error(selector: str) -> None:
    with pytest.raises(ValueError, match=f"unknown rule '{selector}'"):
        resolve(selector)
    with pytest.raises(ValidationError, match="unknown rule"):
        RuleSettings(ignore=[selector])


def test_enabled_defaults_to_every_rule() -> None:
    assert RuleSettings().enabled == ALL_CODES
    assert RuleSettings(select=["TL3"], ignore=["TL304"]).enabled == {"TL301", "TL302", "TL303"}


def test_suppression_needs_a_reason_and_known_rules() -> None:
    with pytest.raises(ValidationError, match="reason"):
        RuleSettings(suppressions=[{"publication": "1", "rules": ["TL101"]}])
    with pytest.raises(ValidationError, match="needs a reason"):
        RuleSettings(suppressions=[{"publication": "1", "rules": ["TL101"], "reason": " "}])
    with pytest.raises(ValidationError, match="unknown rule"):
        RuleSettings(suppressions=[{"publication": "1", "rules": ["TL9"], "reason": "r"}])


def test_extra_keys_and_bad_values_are_rejected() -> None:
    with pytest.raises(ValidationError):
        RuleSettings(selct=["TL1"])  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="unknown rule"):
        RuleSettings(severity={"TL777": "error"})
    with pytest.raises(ValidationError):
        RuleSettings(severity={"TL101": "fatal"})  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="above match"):
        Thresholds(match=0.2, weak=0.5)


def test_suppression_matches_key_pmid_or_doi_case_insensitively() -> None:
    settings = RuleSettings(
        suppressions=[{"publication": "10.1/ABC", "rules": ["missing-registration"], "reason": "r"}]
    )
    paper = publication(key="k1", pmid=None, doi="10.1/abc")
    assert settings.suppression_for("TL101", paper) is not None
    assert settings.suppression_for("TL102", paper) is None
