"""An identifier read from PubMed (DataBankList, or the abstract PubMed supplied) is shown
honestly in every format: at the publication's own line of the input (a valid location for
CI annotations and SARIF), with the PubMed record it was read from."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest
from support import FIXTURES

from linker.pipeline import CheckOptions, run_check
from linker.report.interface import OutputFormat, reporter_for
from linker.results import RunResult

URL = "https://pubmed.ncbi.nlm.nih.gov/22705118/"
NOTE = f"read from PubMed's DataBankList of {URL}"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """A title-and-PMID list whose PubMed record declares a malformed NCT number in SI."""
    folder = tmp_path_factory.mktemp("si")
    store = folder / "store"
    (store / "pubmed").mkdir(parents=True)
    (store / "index.json").write_text("[]", encoding="utf-8")
    record = (FIXTURES / "pubmed" / "22705118.xml").read_text(encoding="utf-8")
    record = record.replace(">NCT00881296<", ">NCT0088129<")  # a typo in PubMed's SI
    (store / "pubmed" / "22705118.xml").write_text(record, encoding="utf-8")
    listed = folder / "list.csv"
    listed.write_text("title,pmid\nBiweekly gemcitabine and carboplatin,22705118\n", "utf-8")
    options = CheckOptions(replay=store, today=date(2026, 12, 1), enrich=("pubmed",))
    run = run_check([str(listed)], options)
    return RunResult.model_validate_json(run.model_dump_json().replace(str(listed), "list.csv"))


def render(result: RunResult, fmt: OutputFormat, rows: str = "findings") -> str:
    return reporter_for(fmt, csv_rows=rows).render(result)


def si_finding(result: RunResult) -> dict[str, object]:
    [publication] = result.publications
    [finding] = [f for f in publication.findings if f.identifier == "NCT0088129"]
    return finding.model_dump(mode="json")


def test_the_result_places_the_identifier_at_the_publication(result: RunResult) -> None:
    [publication] = result.publications
    [identifier] = publication.identifiers
    assert (identifier.file, identifier.line, identifier.column) == ("list.csv", 2, 0)
    assert identifier.source is not None and identifier.source.url == URL
    assert identifier.source.field == "DataBankList"
    finding = si_finding(result)
    assert (finding["file"], finding["line"], finding["column"]) == ("list.csv", 2, None)
    assert NOTE in str(finding["message"])
    assert finding["source"] == {"name": "PubMed", "field": "DataBankList", "url": URL}


def test_text(result: RunResult) -> None:
    out = render(result, OutputFormat.TEXT)
    assert re.search(r"list\.csv:2 TL\d+ \[\w+\] [^\n]*" + re.escape(NOTE), out)
    assert "list.csv:0" not in out and "https://pubmed.ncbi.nlm.nih.gov/22705118/:" not in out


def test_github_annotation_points_at_the_list(result: RunResult) -> None:
    out = render(result, OutputFormat.GITHUB)
    # (TL101 names the malformed id too, as why it is not sure the paper cites none)
    [line] = [x for x in out.splitlines() if "NCT0088129" in x and "TL101" not in x]
    assert re.match(r"::\w+ file=list\.csv,line=2(,|::)", line)
    assert "col=" not in line.split("::")[1]
    assert NOTE in line


def test_gitlab(result: RunResult) -> None:
    [issue] = [
        i
        for i in json.loads(render(result, OutputFormat.GITLAB))
        if "NCT0088129" in i["description"] and i["check_name"] == "TL102"
    ]
    assert issue["location"] == {"path": "list.csv", "lines": {"begin": 2}}
    assert NOTE in issue["description"]


def test_sarif_physical_location_is_the_list_and_pubmed_a_logical_one(result: RunResult) -> None:
    document = json.loads(render(result, OutputFormat.SARIF))
    [entry] = [
        r for r in document["runs"][0]["results"] if r["properties"]["identifier"] == "NCT0088129"
    ]
    [location] = entry["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "list.csv"
    assert physical["region"] == {"startLine": 2}
    assert location["logicalLocations"] == [
        {"name": "PubMed DataBankList", "fullyQualifiedName": URL, "kind": "resource"}
    ]
    assert entry["properties"]["source"]["url"] == URL
    assert NOTE in entry["message"]["text"]


def test_junit(result: RunResult) -> None:
    root = ElementTree.fromstring(render(result, OutputFormat.JUNIT))
    [case] = root.iter("testcase")
    assert case.get("file") == "list.csv" and case.get("line") == "2"
    failures = [f for f in case if "NCT0088129" in (f.get("message") or "") + (f.text or "")]
    assert failures and any(NOTE in (f.get("message") or "") + (f.text or "") for f in failures)
    assert "list.csv:2" in "".join(f.text or "" for f in failures)


def test_csv_findings_and_identifiers_carry_the_source(result: RunResult) -> None:
    rows = list(csv.DictReader(io.StringIO(render(result, OutputFormat.CSV))))
    [row] = [r for r in rows if r["identifier"] == "NCT0088129"]
    assert (row["file"], row["line"], row["column"], row["source"]) == ("list.csv", "2", "", URL)
    [ident] = csv.DictReader(io.StringIO(render(result, OutputFormat.CSV, "identifiers")))
    assert (ident["file"], ident["line"], ident["source"]) == ("list.csv", "2", URL)


def test_json(result: RunResult) -> None:
    [publication] = json.loads(render(result, OutputFormat.JSON))["publications"]
    assert publication["identifiers"][0]["source"]["url"] == URL
    assert any(f.get("source", {}) and f["source"]["url"] == URL for f in publication["findings"])


def test_html_names_the_pubmed_record(result: RunResult) -> None:
    out = render(result, OutputFormat.HTML)
    assert f'"rf":"PubMed DataBankList, {URL}"' in out.replace("\\/", "/")
    assert NOTE in out.replace("\\/", "/")


def test_markdown(result: RunResult) -> None:
    out = render(result, OutputFormat.MARKDOWN)
    assert "list.csv:2" in out
    assert "DataBankList of" in out and "22705118" in out


def test_a_finding_on_pubmed_s_abstract_says_so(tmp_path: Path) -> None:
    """The seed as titles and PMIDs: the missing-registration warning rests on the abstract
    PubMed supplied, and says so (message and source), at the list's line."""
    listed = FIXTURES / "pubmed" / "seed_titles.csv"
    options = CheckOptions(
        replay=FIXTURES / "registries", today=date(2026, 12, 1), enrich=("pubmed",)
    )
    result = run_check([str(listed)], options)
    [finding] = result.findings
    assert finding.source is not None and finding.source.field == "abstract"
    assert "judged on the abstract from PubMed, https://pubmed.ncbi.nlm.nih.gov/900000008/" in (
        finding.message
    )
    assert (finding.file, finding.line) == (str(listed), 9)
