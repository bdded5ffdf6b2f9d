"""Benchmark: whole-PubMed scale on this machine, side by side in one run.

    python bench/scale.py                      # 50,000 and 200,000 records, 1 and 2 jobs
    python bench/scale.py --records 20000 --file-records 2000 --studies 60000   # quick

What it measures (every figure printed with the ratio that matters):

1. ``check --jobs 1`` and ``--jobs 2`` over synthetic PubMed XML files built from the real
   records in ../shared/data-real/abstracts/pubmed_samples/ (cycled, PMIDs renumbered; written
   to a temporary folder, never committed), against a CT.gov snapshot, ``--offline``: records/s,
   the 1 -> 2 job speed-up, and next to it the speed-up of a pure CPU-bound control (two
   processes of a busy loop against one), measured in the same run; the target is a speed-up
   at least 0.85 of the control's.
2. Peak resident memory of the largest process (the main process or a worker) at the smaller
   and at the larger record count: flat means the same at both.
3. ``snapshot import ctgov`` of a synthetic ``json.zip`` (the real full study record
   NCT01987596 as a template, renumbered): seconds per 10,000 studies.
4. A synthetic snapshot of ``--studies`` studies (default 600,000; written directly through the
   snapshot writer, the same outcome blobs the importer writes) answering 100,000 identifiers,
   half present and all present: wall and CPU seconds (CPU is what the machine's other load
   distorts least).

Each check runs as its own process (``trial-linker`` from this checkout, through a small
wrapper that reports its descendants' peak RSS), so memory figures do not mix.
"""

from __future__ import annotations

import argparse
import gc
import json
import multiprocessing
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "data-real" / "abstracts" / "pubmed_samples"
TEMPLATE = SHARED / "fixtures-real" / "ctgov" / "study_NCT01987596_full_from_ctrdata_demo.json"

from linker.models import Registry  # noqa: E402
from linker.registries.ctgov import parse_study  # noqa: E402
from linker.registries.snapshot import Snapshot  # noqa: E402
from linker.snapshot.database import replacing  # noqa: E402
from linker.snapshot.imports import import_source  # noqa: E402
from linker.snapshot.outcomes import found  # noqa: E402

ARTICLE = re.compile(r"<PubmedArticle>.*?</PubmedArticle>", re.S)
PMID = re.compile(r'<PMID Version="1">\d+</PMID>')
NCT = re.compile(r"NCT\d{8}")


def busy(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def cpu_control(n: int = 6_000_000) -> tuple[float, float, float]:
    """Seconds for one busy loop, for two in two processes at once; the speed-up of the
    doubled work (2 * t1 / t2)."""
    started = time.perf_counter()
    busy(n)
    one = time.perf_counter() - started
    context = multiprocessing.get_context("spawn")
    started = time.perf_counter()
    with context.Pool(2) as pool:
        pool.map(busy, [n, n])
    two = time.perf_counter() - started
    return one, two, 2 * one / two


def write_pubmed(folder: Path, records: int, per_file: int) -> list[Path]:
    articles = [
        a for f in sorted(SAMPLES.glob("*.xml")) for a in ARTICLE.findall(f.read_text("utf-8"))
    ]
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for start in range(0, records, per_file):
        body = [
            PMID.sub(f'<PMID Version="1">{30_000_000 + i}</PMID>', articles[i % len(articles)], 1)
            for i in range(start, min(start + per_file, records))
        ]
        path = folder / f"pubmed99n{start // per_file + 1:04d}.xml"
        path.write_text(
            '<?xml version="1.0"?>\n<PubmedArticleSet>\n'
            + "\n".join(body)
            + "\n</PubmedArticleSet>\n",
            encoding="utf-8",
        )
        files.append(path)
    return files


def cited_ids() -> list[str]:
    return sorted({n for f in SAMPLES.glob("*.xml") for n in NCT.findall(f.read_text("utf-8"))})


def template_study() -> dict[str, object]:
    return json.loads(TEMPLATE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def renumbered(study: dict[str, object], nct: str) -> dict[str, object]:
    copy = json.loads(json.dumps(study))
    copy["protocolSection"]["identificationModule"]["nctId"] = nct  # type: ignore[index]
    return copy  # type: ignore[no-any-return]


def bench_import(folder: Path, studies: int) -> float:
    """Seconds per 10,000 studies for ``snapshot import ctgov`` of a json.zip."""
    study = template_study()
    archive = folder / "ctgov.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for i in range(studies):
            nct = f"NCT{10_000_000 + i:08d}"
            zipped.writestr(f"{nct}.json", json.dumps(renumbered(study, nct)))
    started = time.perf_counter()
    import_source(Registry.CTGOV, archive, folder / "import.snapshot")
    return (time.perf_counter() - started) / studies * 10_000


def build_large_snapshot(path: Path, studies: int, keep: list[str]) -> None:
    """``studies`` found answers (the real record renumbered), including the ids in ``keep``."""
    record = parse_study(template_study(), retrieved_from=None, retrieved_at=None)
    with replacing(path, Registry.CTGOV, source="synthetic", complete=True) as writer:
        writer.fix_date(date(2026, 11, 20))
        ids = keep + [f"NCT{20_000_000 + i:08d}" for i in range(studies - len(keep))]
        for nct in ids:
            writer.add(nct, found(record.model_copy(update={"id": nct})))


def bench_answer(path: Path, studies: int, present_count: int) -> tuple[float, float, int]:
    """Wall and CPU seconds to answer 100,000 ids, ``present_count`` of them in the snapshot,
    the answers' deferred garbage-collector pass included; and how many were found."""
    step = studies // (present_count + 10_000)
    present = [f"NCT{20_000_000 + i * step:08d}" for i in range(present_count)]
    absent = [f"NCT{30_000_000 + i:08d}" for i in range(100_000 - present_count)]
    wanted = [(Registry.CTGOV, nct) for nct in present + absent]
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    with Snapshot(path) as snapshot:
        answers = snapshot.answer(wanted)
    gc.collect()  # the collection the answers cost later, counted here (an upper bound)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, sum(1 for o in answers.values() if o.kind.value == "found")


def run_check(files: list[Path], snapshot: Path, jobs: int, out: Path) -> tuple[float, int]:
    """Wall seconds and the largest process's peak RSS (KiB) of one ``check``."""
    wrapper = (
        "import resource, subprocess, sys, json, time\n"
        "t = time.perf_counter(); code = subprocess.call(sys.argv[1:])\n"
        "print(json.dumps([code, time.perf_counter() - t,"
        " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss]))\n"
    )
    command = [
        sys.executable, "-c", wrapper, sys.executable, "-m", "linker", "check",
        *map(str, files), "--snapshot", str(snapshot), "--offline", "--no-cache", "-q",
        "--today", "2026-11-26", "--exit-zero", "-o", str(out),
    ]  # fmt: skip
    if jobs > 1:
        command += ["--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    code, seconds, peak = json.loads(done.stdout.strip().splitlines()[-1])
    if code != 0:
        raise SystemExit(f"check failed ({code}): {done.stderr[-2000:]}")
    return seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=50_000, help="the smaller record count")
    parser.add_argument("--file-records", type=int, default=5_000)
    parser.add_argument("--studies", type=int, default=600_000)
    parser.add_argument("--import-studies", type=int, default=10_000)
    parser.add_argument("--snapshot-only", action="store_true", help="skip the check runs")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    if not SAMPLES.is_dir():
        raise SystemExit(f"real records not available: {SAMPLES}")
    with tempfile.TemporaryDirectory(prefix="trial-linker-bench-") as temporary:
        folder = Path(temporary)
        per10k = bench_import(folder, args.import_studies)
        print(f"snapshot import ctgov (json.zip, {args.import_studies:,} studies): "
              f"{per10k:.1f} s per 10,000 studies -> {per10k * 60:.0f} s for 600,000")  # fmt: skip
        snapshot = folder / "large.snapshot"
        started = time.perf_counter()
        build_large_snapshot(snapshot, args.studies, cited_ids()[::2])
        print(
            f"synthetic snapshot of {args.studies:,} studies written in "
            f"{time.perf_counter() - started:.0f} s ({snapshot.stat().st_size / 2**20:.0f} MiB)"
        )
        for present_count in (50_000, 100_000):
            wall, cpu, present = bench_answer(snapshot, args.studies, present_count)
            print(f"answer 100,000 ids from it ({present:,} present): {wall:.2f} s wall, "
                  f"{cpu:.2f} s CPU (target < 10 s)")  # fmt: skip

        if args.snapshot_only:
            return
        rows = []
        for records in (args.small, args.records):
            files = write_pubmed(folder / f"pubmed{records}", records, args.file_records)
            control = cpu_control()
            one, peak_one = run_check(files, snapshot, 1, folder / "r1.json")
            two, peak_two = run_check(files, snapshot, 2, folder / "r2.json")
            same = _comparable(folder / "r1.json") == _comparable(folder / "r2.json")
            rows.append((records, one, two, peak_one, peak_two, control, same))
            print(
                f"measured {records:,} records: jobs 1 {one:.0f} s, jobs 2 {two:.0f} s, "
                f"control {control[2]:.2f}x",
                flush=True,
            )
            for path in files:
                path.unlink()
        print(
            "\nrecords | files | jobs 1 rec/s | jobs 2 rec/s | speed-up | CPU control speed-up"
            " | ratio (target >= 0.85) | peak RSS jobs 1 | peak RSS jobs 2 | identical"
        )
        for records, one, two, peak_one, peak_two, control, same in rows:
            speedup = one / two
            print(f"{records:,} | {-(-records // args.file_records)} | {records / one:,.0f} | "
                  f"{records / two:,.0f} | {speedup:.2f}x | {control[2]:.2f}x | "
                  f"{speedup / control[2]:.2f} | {peak_one / 1024:.0f} MiB | "
                  f"{peak_two / 1024:.0f} MiB | {same}")  # fmt: skip
        small, large = rows[0], rows[-1]
        print(
            f"\npeak RSS growth {args.small:,} -> {args.records:,} records: jobs 1 "
            f"{large[3] / small[3]:.2f}x, jobs 2 {large[4] / small[4]:.2f}x (flat = 1.00x)"
        )
        rate = args.records / large[2]
        hours = 36_000_000 / rate / 3600
        print(f"projection: 36,000,000 records at {rate:,.0f} records/s (2 jobs) = {hours:.1f} h; "
              f"per core-hour {rate / 2 * 3600:,.0f} records")  # fmt: skip


def _comparable(path: Path) -> object:
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("generated_at", None)
    return document


if __name__ == "__main__":
    main()
