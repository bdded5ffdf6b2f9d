"""Baselines round-trip and hide exactly the accepted findings."""

from __future__ import annotations

from pathlib import Path

import pytest
from rules_helpers import mention, publication, report

from linker.errors import ConfigError
from linker.rules.baseline import apply_baseline, load_baseline, write_baseline
from linker.rules.engine import PublicationEvidence, evaluate
from linker.rules.settings import RuleSettings


def test_round_trip_removes_only_accepted_findings(tmp_path: Path) -> None:
    from datetime import date

    bad = mention(valid_format=False, format_problem="bad")
    old = evaluate(
        PublicationEvidence(publication(), report(), []), RuleSettings(), date(2025, 1, 1)
    )
    path = tmp_path / "baseline.json"
    write_baseline(path, old.findings)
    assert "missing-registration" in path.read_text(encoding="utf-8")
    accepted = load_baseline(path)
    assert accepted == {f.fingerprint for f in old.findings}

    moved = publication(line=40)
    new = evaluate(PublicationEvidence(moved, report(), [bad]), RuleSettings(), date(2025, 1, 1))
    [kept] = apply_baseline([new], accepted)
    assert [f.code for f in kept.findings] == ["TL102"]
    assert sorted(f.code for f in new.findings) == ["TL101", "TL102"]  # input left alone


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline file not found"),
        ("{nope", "not valid JSON"),
        ('{"version": 1}', "no 'findings' list"),
        ('{"version": 7, "findings": []}', "unsupported baseline version"),
        ('{"version": 1, "findings": [{"code": "TL101"}]}', "entry 1 has no fingerprint"),
    ],
)
def test_bad_baseline_is_one_line_config_error(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "b.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message) as caught:
        load_baseline(path)
    assert "\n" not in str(caught.value)
