"""A single self-contained HTML audit report: a verdict line, run settings, summary cards,
charts, a sortable and filterable table of publications, every finding as a card, suppressed
findings and a legend.

The page makes no request of its own. Its data is embedded once as JSON
(:mod:`linker.report.html_data`) and rendered on demand by the one inline script, so large lists
stay small and fast. The Content-Security-Policy allows exactly that script and that stylesheet
by their SHA-256 hashes and nothing else; the script builds every element from text nodes and
only links ``http(s)`` addresses, so nothing from the input can run.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import PurePath
from typing import TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined

from linker.errors import ExitCode
from linker.pipeline import exit_code_for
from linker.report.html_charts import charts
from linker.report.html_data import (
    CLASSIFICATION_LABELS,
    CLASSIFICATION_MEANINGS,
    COMPRESS_ABOVE,
    OUTCOME_LABELS,
    OUTCOME_MEANINGS,
    Embedded,
    registry_name,
    rules_table,
)
from linker.report.html_stream import EmbeddedData
from linker.report.interface import StreamingReporter
from linker.report.settings_view import settings_rows
from linker.report.summary import SEVERITIES, Summary, plural, sorted_result
from linker.results import RunResult, Severity
from linker.rules.catalog import RULES


@dataclass(frozen=True)
class Verdict:
    status: str  # pass, fail or incomplete: the exit-code contract in words
    text: str


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    note: str = ""
    css_class: str = ""


def _fail_on(result: RunResult) -> Severity:
    return result.settings.fail_on if result.settings else Severity.ERROR


def verdict(result: RunResult, summary: Summary) -> Verdict:
    fail_on = _fail_on(result)
    allow = result.settings.allow_unverified if result.settings else False
    code = exit_code_for(result, fail_on=fail_on, allow_unverified=allow)
    at_or_above = [s for s in SEVERITIES if s.rank >= fail_on.rank]
    failing = sum(summary.by_severity[s] for s in at_or_above)
    threshold = f"--fail-on {fail_on.value}"
    if code is ExitCode.FINDINGS:
        return Verdict("fail", f"Fail: {plural(failing, 'finding')} at or above {threshold}.")
    unverified = summary.by_outcome.get("unverified", 0)
    if code is ExitCode.UNVERIFIED:
        return Verdict(
            "incomplete",
            f"Incomplete: no finding at or above {threshold}, but "
            f"{plural(unverified, 'identifier')} could not be verified.",
        )
    below = ", ".join(
        plural(summary.by_severity[s], s.value)
        for s in SEVERITIES
        if s.rank < fail_on.rank and summary.by_severity[s]
    )
    rest = f" ({below} below it)" if below else ""
    return Verdict("pass", f"Pass: no finding at or above {threshold}{rest}.")


def list_name(result: RunResult) -> str:
    names = [PurePath(i).name or i for i in result.inputs]
    return ", ".join(names) if names else "publication list"


def _settings(result: RunResult) -> list[tuple[str, str]]:
    """Label and value of every run setting the result records."""
    rows = [
        ("Tool", f"{result.tool} {result.tool_version}"),
        ("Generated", result.generated_at.isoformat()),
        ("Inputs", ", ".join(result.inputs) or "none"),
    ]
    if result.settings is None:
        return [*rows, ("Fail on", f"{Severity.ERROR.value} (default; not recorded)")]
    return rows + settings_rows(result.settings)


def cards(summary: Summary, suppressed: int) -> list[Card]:
    trial = summary.trial_reports
    share = f"{round(100 * summary.trial_reports_registered / trial)} % registered" if trial else ""
    found = [
        Card("publications", str(summary.publications)),
        Card("trial reports", str(trial), share),
        Card("identifiers", str(summary.identifiers), f"{summary.verified} verified"),
    ]
    found += [Card(s.value, str(summary.by_severity[s]), "", s.value) for s in SEVERITIES]
    if suppressed:
        found.append(Card("suppressed", str(suppressed), "accepted, not counted"))
    return found


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: everything but plain characters as 6-digit escapes,
    each closed by the one space that CSS takes as part of an escape."""
    plain = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:;_-/()")
    return '"' + "".join(c if c in plain else f"\\{ord(c):06x} " for c in text) + '"'


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@cache
def _asset(name: str) -> str:
    return files("linker.report").joinpath("templates", name).read_text(encoding="utf-8")


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("linker.report", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class HtmlReporter(StreamingReporter):
    """Written as the template renders, with the embedded data streamed into its place
    (:mod:`linker.report.html_stream`): a long result is never one page in memory."""

    def __init__(self, *, compress_above: int = COMPRESS_ABOVE) -> None:
        self.compress_above = compress_above

    def write(self, result: RunResult, stream: TextIO) -> None:
        result = sorted_result(result)
        summary = Summary.of(result)
        data = EmbeddedData(result, self.compress_above)
        name = list_name(result)
        printed = f"trial-linker report: {name} · {result.generated_at.date().isoformat()}"
        style = (
            _asset("report.css") + "@page { @top-left { content: " + css_string(printed) + " } }\n"
        )
        script = _asset("report.js")
        policy = (
            f"default-src 'none'; style-src {_hash(style)}; script-src {_hash(script)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        page = (
            _environment()
            .get_template("report.html.j2")
            .render(
                result=result,
                name=name,
                verdict=verdict(result, summary),
                settings=_settings(result),
                cards=cards(summary, data.suppressed),
                charts=charts(result),
                severities=[s.value for s in SEVERITIES],
                outcomes=[(OUTCOME_LABELS[k], v) for k, v in OUTCOME_MEANINGS.items()],
                kinds=[(CLASSIFICATION_LABELS[k], v) for k, v in CLASSIFICATION_MEANINGS.items()],
                kind_options=list(CLASSIFICATION_LABELS.items()),
                rule_options=[(r.code, r.name) for r in RULES],
                registry_options=_registry_options(result),
                rules=rules_table(r.code for r in RULES),
                policy=policy,
                style=style,
                script=script,
                data=Embedded(_DATA_SLOT, data.encoding),
            )
        )
        before, after = page.split(_DATA_SLOT)
        stream.write(before)
        data.write(stream)
        stream.write(after)


_DATA_SLOT = "trial-linker-report-data-goes-here"


def _registry_options(result: RunResult) -> list[tuple[str, str]]:
    present = {i.registry for p in result.publications for i in p.identifiers}
    names = sorted((registry_name(r), r.value) for r in present)
    return [(value, label) for label, value in names]
