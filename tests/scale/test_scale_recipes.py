"""Every block of docs/scale.md's "Recipes" section, run as written on small inputs: three
PubMed files (the fixture records, one citing a real CT.gov study) and the real CT.gov and
ISRCTN records of fixtures/registries/. Only the downloads are stood in for (``curl`` and
``wget`` scripts that copy those files: no network), and the Dask scheduler runs here on a
free port. Each recipe's ``audit.json`` is the same as a plain ``check`` of the files."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import FIXTURES, ROOT
from test_split import pubmed_xml_from_fixture

DOC = (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
REGISTRIES = FIXTURES / "registries"
ISRCTN_ANSWERS = (
    "query_ISRCTN54285094_pace_2003.xml",
    "query_ISRCTN62918594_eudract_nct_ctis_xrefs.xml",
)

CURL = """#!/bin/bash
# Stands in for curl: copies the download the URL names from $DOWNLOADS.
out=""; url=""
while [ $# -gt 0 ]; do
  case "$1" in -o) out="$2"; shift 2;; -*) shift;; *) url="$1"; shift;; esac
done
case "$url" in
  *clinicaltrials.gov*) source="$DOWNLOADS/ctgov.json.zip";;
  *isrctn.com*limit=0) source="$DOWNLOADS/isrctn-count.xml";;
  *isrctn.com*) source="$DOWNLOADS/isrctn-all.xml";;
  *) echo "curl stand-in: unknown URL $url" >&2; exit 6;;
esac
if [ -n "$out" ]; then cp "$source" "$out"; else cat "$source"; fi
"""
WGET = """#!/bin/bash
# Stands in for wget: copies the PubMed files from $DOWNLOADS/pubmed into the -P folder.
folder="."
while [ $# -gt 0 ]; do case "$1" in -P) folder="$2"; shift 2;; *) shift;; esac; done
cp "$DOWNLOADS"/pubmed/* "$folder"/
"""


def section(heading: str) -> str:
    match = re.search(rf"^### {re.escape(heading)}\n(.*?)(?=^##+ |\Z)", DOC, re.M | re.S)
    assert match, heading
    return match[1]


def blocks(heading: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```", section(heading), re.M | re.S)


def _downloads(folder: Path) -> Path:
    pubmed = folder / "pubmed"
    pubmed.mkdir(parents=True)
    for index, copies in enumerate((3, 4, 2), start=1):
        path = pubmed_xml_from_fixture(pubmed / f"pubmed26n{index:04d}.xml", copies=copies)
        text = path.read_text(encoding="utf-8").replace("NCT01234567", "NCT01987596", 2)
        path.write_text(text.replace(">8", f">{index}", 0), encoding="utf-8")
    with zipfile.ZipFile(folder / "ctgov.json.zip", "w") as zipped:
        for name in ("study_NCT01987596_full_from_ctrdata_demo.json",):
            zipped.write(REGISTRIES / "ctgov" / name, "NCT01987596.json")
    trials = [
        re.search(
            r"<fullTrial>.*</fullTrial>", (REGISTRIES / "isrctn" / n).read_text("utf-8"), re.S
        )
        for n in ISRCTN_ANSWERS
    ]
    body = "\n".join(match.group(0) for match in trials if match)
    namespace = 'xmlns="http://www.67bricks.com/isrctn"'
    (folder / "isrctn-all.xml").write_text(
        f'<allTrials {namespace} totalCount="2">\n{body}\n</allTrials>\n', encoding="utf-8"
    )
    (folder / "isrctn-count.xml").write_text(f'<allTrials {namespace} totalCount="2"/>\n')
    return folder


@pytest.fixture(scope="module")
def snapshot_made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder after the "Once" block: pubmed/ and registries.snapshot."""
    folder = tmp_path_factory.mktemp("audit")
    downloads = _downloads(tmp_path_factory.mktemp("downloads"))
    bin_dir = tmp_path_factory.mktemp("bin")
    for name, script in (("curl", CURL), ("wget", WGET)):
        (bin_dir / name).write_text(script)
        (bin_dir / name).chmod(0o755)
    [once] = blocks("Once: the downloads and the snapshot")
    done = shell(once, folder, DOWNLOADS=str(downloads), PATH_FIRST=str(bin_dir))
    assert done.returncode == 0, done.stderr
    assert "ctgov" in done.stdout and "isrctn" in done.stdout
    assert len(list((folder / "pubmed").iterdir())) == 3
    return folder


def shell(
    script: str, cwd: Path, timeout: int = 240, **env: str
) -> subprocess.CompletedProcess[str]:
    """``script`` in bash in its own process group (ended, with whatever it left running in
    the background, when it is done)."""
    environment = {**os.environ, "TRIAL_LINKER_CACHE_DIR": str(cwd / ".cache-home"), **env}
    environment.pop("TRIAL_LINKER_DASK", None)
    first = [env["PATH_FIRST"]] if "PATH_FIRST" in env else []
    environment["PATH"] = os.pathsep.join(
        [*first, str(Path(sys.executable).parent), environment["PATH"]]
    )
    out, err = cwd / ".recipe.out", cwd / ".recipe.err"  # files: background jobs keep pipes
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            ["bash", "-e", "-c", script], cwd=cwd, env=environment, text=True,
            stdout=stdout, stderr=stderr, start_new_session=True,
        )  # fmt: skip
        try:
            process.wait(timeout=timeout)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    return subprocess.CompletedProcess(
        process.args, process.returncode, out.read_text(), err.read_text()
    )


def comparable(path: Path) -> dict[str, object]:
    document = json.loads(path.read_text(encoding="utf-8"))
    del document["generated_at"]
    document["settings"].pop("cache_dir", None)
    return document  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def plain(snapshot_made: Path) -> dict[str, object]:
    done = shell(
        "trial-linker check pubmed/ --snapshot registries.snapshot --offline --today 2026-11-20"
        " -q --exit-zero -o plain.json",
        snapshot_made,
    )
    assert done.returncode == 0, done.stderr
    document = comparable(snapshot_made / "plain.json")
    outcomes = {i["outcome"] for p in document["publications"] for i in p["identifiers"]}  # type: ignore[attr-defined]
    assert "found" in outcomes
    return document


def fresh(snapshot_made: Path, name: str) -> Path:
    """A folder for one recipe, with the "Once" block's pubmed/ and registries.snapshot."""
    folder = snapshot_made / name
    folder.mkdir()
    for item in ("pubmed", "registries.snapshot"):
        (folder / item).symlink_to(snapshot_made / item)
    return folder


def test_workstation(snapshot_made: Path, plain: dict[str, object]) -> None:
    folder = fresh(snapshot_made, "workstation")
    script = "\n".join(blocks("On a workstation"))
    try:
        import pyarrow  # noqa: F401
    except ImportError:  # the [parquet] extra is not installed here: the CSV table instead
        script = script.replace("audit.parquet", "audit.csv")
    done = shell(script, folder)
    assert done.returncode == 0, done.stderr
    assert comparable(folder / "audit.json") == plain
    assert "## Findings per rule" in (folder / "audit.md").read_text(encoding="utf-8")
    assert len(list((folder / "shards").iterdir())) == 3


def test_job_array(snapshot_made: Path, plain: dict[str, object]) -> None:
    folder = fresh(snapshot_made, "array")
    task, merge = blocks("As a job array")
    assert "#SBATCH --array=" in task
    for index in ("1", "2"):
        done = shell(task, folder, SLURM_ARRAY_TASK_ID=index, SLURM_ARRAY_TASK_COUNT="2")
        assert done.returncode == 0, done.stderr
    assert len(list((folder / "shards").iterdir())) == 3
    done = shell(merge, folder)
    assert done.returncode == 0, done.stderr
    assert comparable(folder / "audit.json") == plain
    rows = (folder / "audit.csv").read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(plain["publications"])  # type: ignore[arg-type]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_dask_cluster(snapshot_made: Path, plain: dict[str, object]) -> None:
    pytest.importorskip("distributed")
    folder = fresh(snapshot_made, "dask")
    script = "\n".join(blocks("On a Dask cluster"))
    port = str(_free_port())
    script = script.replace("scheduler-host", "127.0.0.1").replace("8786", port)
    script = script.replace("dask scheduler", "dask scheduler --host 127.0.0.1 --no-dashboard")
    script = script.replace("--nthreads 1", "--nthreads 1 --no-dashboard")
    done = shell(script, folder)
    assert done.returncode == 0, done.stderr
    assert comparable(folder / "audit.json") == plain
    assert "<html" in (folder / "audit.html").read_text(encoding="utf-8").lower()
