"""Arbitrary input text through every output format: each output keeps its invariant.

Text from a publication list (keys, titles, file names) and from registries (messages) may hold
anything: line breaks of every kind, ESC sequences, ``::`` workflow commands, formula prefixes.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linker.models import Classification, Registry, Role
from linker.report.escape import csv_cell
from linker.report.interface import OutputFormat, reporter_for
from linker.results import Finding, IdentifierResult, PublicationResult, RunResult, Severity

NASTY = st.sampled_from(
    ["\n", "\r", "\r\n", "\x85", "\u2028", "\u2029", "\x1b[2J", "\x1b]0;x\x07", "::", "::error ::",
     "::add-mask::", "=", "+", "-", "@", "\t", "%", ",", '"', "|", "<", "&", "\x00", "\x7f", " "]
)  # fmt: skip
TEXT = st.lists(st.one_of(NASTY, st.text(max_size=5)), max_size=8).map("".join)


def result_with(key: str, title: str, file: str, message: str) -> RunResult:
    finding = Finding(
        code="TL201",
        name="id-not-found",
        severity=Severity.ERROR,
        message=message,
        publication=key,
        file=file,
        line=3,
        column=7,
        identifier="NCT01234567",
        fingerprint="f" * 20,
    )
    identifier = IdentifierResult(
        registry=Registry.CTGOV,
        id="NCT01234567",
        raw=title[:20] or "NCT01234567",
        file=file,
        line=3,
        column=7,
        role=Role.OWN,
        valid_format=True,
        reason=message,
    )
    publication = PublicationResult(
        key=key,
        title=title,
        file=file,
        line=2,
        end_line=4,
        classification=Classification.TRIAL_RESULTS,
        identifiers=[identifier],
        findings=[finding],
    )
    return RunResult(
        tool_version="0.0.0",
        generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        inputs=[file],
        publications=[publication],
    )


def render(fmt: OutputFormat, result: RunResult, **options: str) -> str:
    return reporter_for(fmt, **options).render(result)  # type: ignore[arg-type]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(key=TEXT, title=TEXT, file=TEXT, message=TEXT)
def test_every_format_keeps_its_invariant(key: str, title: str, file: str, message: str) -> None:
    result = result_with(key, title, file, message)

    github = render(OutputFormat.GITHUB, result)
    assert github.endswith("\n")
    lines = github[:-1].split("\n")
    # One annotation per line: the finding's, and whatever summary notice the format adds.
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert sum(line.startswith("::error ") for line in lines) == 1
    assert github.splitlines() == lines  # no other line break either
    assert "\x1b" not in github

    text = render(OutputFormat.TEXT, result)
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line
    assert "\x1b" not in text and "\r" not in text

    rows = list(csv.reader(io.StringIO(render(OutputFormat.CSV, result), newline="")))
    assert rows[1][:2] == [csv_cell(key), csv_cell(title)]
    assert rows[1][-1] == csv_cell(message)
    identifier_csv = render(OutputFormat.CSV, result, csv_rows="identifiers")
    rows = list(csv.reader(io.StringIO(identifier_csv, newline="")))
    assert len(rows) == 2 and rows[1][0] == csv_cell(key)

    ET.fromstring(render(OutputFormat.JUNIT, result).encode())

    document = json.loads(render(OutputFormat.JSON, result))
    assert document["publications"][0]["title"] == title
    sarif = json.loads(render(OutputFormat.SARIF, result))
    assert isinstance(sarif["runs"][0]["results"][0]["message"]["text"], str)

    markdown = render(OutputFormat.MARKDOWN, result)
    assert not any(ord(c) < 32 and c != "\n" for c in markdown)
    assert "\x85" not in markdown and "\u2028" not in markdown
