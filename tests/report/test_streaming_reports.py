"""The SARIF, JUnit and HTML reports and the baseline are written piece by piece; the text stays
exactly what the whole document, dumped at once, would be (the goldens hold that for the
reference run; these hold it for an empty run and through a spool, as ``check`` writes)."""

from __future__ import annotations

import base64
import gzip
import io
import itertools
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from linker.report import html_stream
from linker.report.html_data import embedded, report_data
from linker.report.html_stream import EmbeddedData
from linker.report.junit import JunitReporter
from linker.report.markdown import MarkdownReporter
from linker.report.sarif import SarifReporter
from linker.report.summary import sorted_result
from linker.results import RunResult
from linker.rules.baseline import EVERY_FINDING, apply_baseline, write_baseline
from linker.spool import PublicationSpool


def _sarif_as_one_document(text: str) -> str:
    return json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def _junit_as_one_tree(text: str) -> str:
    header, body = text.split("\n", 1)
    root = ET.fromstring(body)
    ET.indent(root)
    return header + "\n" + ET.tostring(root, encoding="unicode") + "\n"


def _spooled(result: RunResult) -> RunResult:
    spool = PublicationSpool()
    spool.extend(sorted_result(result).publications)
    return result.model_copy(update={"publications": spool})


@pytest.mark.parametrize("which", ["run_result", "empty_result"])
def test_written_in_pieces_as_the_whole_document(
    which: str, request: pytest.FixtureRequest
) -> None:
    result: RunResult = request.getfixturevalue(which)
    sarif = SarifReporter().render(result)
    assert sarif == _sarif_as_one_document(sarif)
    junit = JunitReporter().render(result)
    assert junit == _junit_as_one_tree(junit)


def test_a_spooled_result_gives_the_same_text(run_result: RunResult) -> None:
    for reporter in (SarifReporter(), JunitReporter()):
        stream = io.StringIO()
        reporter.write(_spooled(run_result), stream)
        assert stream.getvalue() == reporter.render(run_result)


def test_the_baseline_is_written_as_the_whole_document(
    run_result: RunResult, tmp_path: Path
) -> None:
    findings = [f for p in reversed(run_result.publications) for f in p.findings]
    findings += findings[:2]  # repeated fingerprints: one entry each
    path = tmp_path / "baseline.json"
    write_baseline(path, iter(findings))
    entries = {
        f.fingerprint: {
            "fingerprint": f.fingerprint,
            "code": f.code,
            "name": f.name,
            "publication": f.publication,
            "identifier": f.identifier,
        }
        for f in findings
    }
    document = {
        "version": 1,
        "tool": "trial-linker",
        "findings": sorted(entries.values(), key=lambda e: (e["publication"] or "", e["code"])),
    }
    assert path.read_text(encoding="utf-8") == json.dumps(document, indent=2) + "\n"
    write_baseline(path, [])
    assert json.loads(path.read_text(encoding="utf-8"))["findings"] == []


@pytest.mark.parametrize("compress_above", [10**9, 100])
def test_the_html_data_is_written_as_embedded_at_once(
    run_result: RunResult, compress_above: int
) -> None:
    result = sorted_result(run_result)
    data = EmbeddedData(_spooled(run_result), compress_above)
    stream = io.StringIO()
    data.write(stream)
    whole = embedded(report_data(result), compress_above)
    assert (data.encoding, stream.getvalue()) == (whole.encoding, whole.text)


def test_gzip_in_parts_is_gzip_at_once() -> None:
    text = "".join(f'{{"k":"{n}","t":"Trial {n * 7919 % 10007}"}},' for n in range(200_000))
    data = text.encode("utf-8")
    cuts = [0, 1, 7, 65_536, 1_000_003, 2_500_000, len(data)]
    chunks = (data[a:b] for a, b in itertools.pairwise(cuts))
    parts = list(html_stream._gzip(chunks))
    assert b"".join(parts) == gzip.compress(data, compresslevel=6, mtime=0)
    encoded = "".join(html_stream._base64(iter(parts)))
    assert encoded == base64.b64encode(gzip.compress(data, compresslevel=6, mtime=0)).decode()


def test_markdown_of_a_run_whose_findings_are_all_accepted_keeps_its_cap(
    run_result: RunResult,
) -> None:
    # --write-baseline accepts every finding: the accepted list is then the whole report.
    publications = apply_baseline(run_result.publications, EVERY_FINDING, "baseline.json")
    accepted = run_result.model_copy(update={"publications": publications})
    full = MarkdownReporter().render(accepted)
    assert "No findings" in full and "Accepted because" in full
    cap = len(full.encode("utf-8")) - 1
    capped = MarkdownReporter(max_bytes=cap).render(accepted)
    assert len(capped.encode("utf-8")) <= cap
    assert "Accepted because" not in capped and "(listed in the full report)" in capped
