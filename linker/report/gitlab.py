"""GitLab Code Quality: a JSON array of issues that merge requests show on their diff.

Each issue has ``description``, ``check_name`` (the rule code), ``fingerprint`` (unique in the
report and stable across runs: the finding's fingerprint, which holds no line numbers, plus
its occurrence), ``severity`` and ``location.path``/``location.lines.begin``. Severities map
error -> ``major``, warning -> ``minor``, info -> ``info`` (GitLab's scale goes on to
``critical`` and ``blocker``, which a publication list's findings do not reach).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import TextIO

from linker.report.interface import StreamingReporter
from linker.report.summary import sorted_result
from linker.results import Finding, RunResult, Severity

SEVERITIES: dict[Severity, str] = {
    Severity.ERROR: "major",
    Severity.WARNING: "minor",
    Severity.INFO: "info",
}


def issue(finding: Finding, occurrence: int) -> dict[str, object]:
    unique = f"{finding.fingerprint}\x1f{occurrence}"
    return {
        "description": f"{finding.code} {finding.name}: {finding.message}",
        "check_name": finding.code,
        "fingerprint": hashlib.sha256(unique.encode("utf-8")).hexdigest()[:32],
        "severity": SEVERITIES[finding.severity],
        "location": {"path": finding.file, "lines": {"begin": finding.line}},
    }


class GitlabReporter(StreamingReporter):
    def write(self, result: RunResult, stream: TextIO) -> None:
        seen: Counter[str] = Counter()
        stream.write("[")
        first = True
        for publication in sorted_result(result).publications:
            for finding in publication.findings:
                seen[finding.fingerprint] += 1
                text = json.dumps(issue(finding, seen[finding.fingerprint]), ensure_ascii=False)
                stream.write(("\n  " if first else ",\n  ") + text)
                first = False
        stream.write("\n]\n" if not first else "]\n")
