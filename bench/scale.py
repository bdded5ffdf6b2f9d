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
from dataclasses import dataclass
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


@dataclass
class CheckRun:
    wall: float  # seconds
    cpu: float  # user + system seconds of every process of the run
    peak: int  # KiB: the largest single process's peak resident memory


def run_check(files: list[Path], snapshot: Path, jobs: int, out: Path) -> CheckRun:
    """One ``check`` of ``files`` in its own process tree."""
    wrapper = (
        "import resource, subprocess, sys, json, time\n"
        "t = time.perf_counter(); code = subprocess.call(sys.argv[1:])\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps([code, time.perf_counter() - t, usage.ru_utime + usage.ru_stime,"
        " usage.ru_maxrss]))\n"
    )
    command = [
        sys.executable, "-c", wrapper, sys.executable, "-m", "linker", "check",
        *map(str, files), "--snapshot", str(snapshot), "--offline", "--no-cache", "-q",
        "--today", "2026-11-26", "--exit-zero", "-o", str(out),
    ]  # fmt: skip
    if jobs > 1:
        command += ["--jobs", str(jobs)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    code, seconds, cpu, peak = json.loads(done.stdout.strip().splitlines()[-1])
    if code != 0:
        raise SystemExit(f"check failed ({code}): {done.stderr[-2000:]}")
    return CheckRun(seconds, cpu, peak)


MERGE_PROBE = """
import resource, sys, time
sys.path.insert(0, sys.argv[2])
from linker.scale.pubmed_updates import apply_updates
n = int(sys.argv[1])
files = [(((str(10_000_000 + i), None) for i in range(k, n, 4)), []) for k in range(4)]
t = time.process_time()
kept = sum(1 for _ in apply_updates(files))
print(kept, time.process_time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def bench_merge_memory(pmids: int) -> tuple[float, int]:
    """CPU seconds and peak RSS (KiB) of applying PubMed updates over ``pmids`` PMIDs in
    four files (what ``merge`` does), in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", MERGE_PROBE, str(pmids), str(ROOT)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    kept, cpu, peak = done.stdout.split()
    assert int(kept) == pmids
    return float(cpu), int(peak)


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--small", type=int, default=50_000, help="the smaller record count")
    parser.add_argument("--file-records", type=int, default=5_000)
    parser.add_argument("--studies", type=int, default=600_000)
    parser.add_argument("--import-studies", type=int, default=10_000)
    parser.add_argument("--snapshot-only", action="store_true", help="skip the check runs")
    parser.add_argument("--skip-snapshot", action="store_true", help="only the check runs")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    if not SAMPLES.is_dir():
        raise SystemExit(f"real records not available: {SAMPLES}")
    with tempfile.TemporaryDirectory(prefix="trial-linker-bench-") as temporary:
        folder = Path(temporary)
        for pmids in (1_000_000, 4_000_000):
            cpu, peak = bench_merge_memory(pmids)
            print(f"PubMed updates over {pmids:,} PMIDs (merge): {cpu:.1f} s CPU, "
                  f"peak RSS {peak / 1024:.0f} MiB")  # fmt: skip
        snapshot = folder / "large.snapshot"
        if args.skip_snapshot:
            build_large_snapshot(snapshot, 60_000, cited_ids()[::2])
        else:
            per10k = bench_import(folder, args.import_studies)
            print(
                f"snapshot import ctgov (json.zip, {args.import_studies:,} studies): "
                f"{per10k:.1f} s per 10,000 studies -> {per10k * 60:.0f} s for 600,000"
            )
            started = time.perf_counter()
            build_large_snapshot(snapshot, args.studies, cited_ids()[::2])
            print(f"synthetic snapshot of {args.studies:,} studies written in "
                  f"{time.perf_counter() - started:.0f} s "
                  f"({snapshot.stat().st_size / 2**20:.0f} MiB)")  # fmt: skip
            for present_count in (50_000, 100_000):
                wall, cpu, present = bench_answer(snapshot, args.studies, present_count)
                print(f"answer 100,000 ids from it ({present:,} present): {wall:.2f} s wall, "
                      f"{cpu:.2f} s CPU (target < 10 s)")  # fmt: skip
        if args.snapshot_only:
            return
        rows = []
        for records in (args.small, args.records):
            files = write_pubmed(folder / f"pubmed{records}", records, args.file_records)
            controls = [cpu_control()[2]]
            one = run_check(files, snapshot, 1, folder / "r1.json")
            controls.append(cpu_control()[2])
            two = run_check(files, snapshot, 2, folder / "r2.json")
            controls.append(cpu_control()[2])
            same = _comparable(folder / "r1.json") == _comparable(folder / "r2.json")
            rows.append((records, one, two, controls, same))
            print(f"measured {records:,} records: jobs 1 {one.wall:.0f} s wall {one.cpu:.0f} s "
                  f"CPU, jobs 2 {two.wall:.0f} s wall {two.cpu:.0f} s CPU, controls "
                  + ", ".join(f"{c:.2f}x" for c in controls))  # fmt: skip
            for path in files:
                path.unlink()
        print(
            "\nrecords | files | jobs 1 rec/s (wall) | jobs 2 rec/s (wall) | speed-up (wall) | "
            "CPU control speed-up (median of 3) | ratio (target >= 0.85) | rec per CPU-s jobs 1 | "
            "jobs 2 | peak RSS jobs 1 | jobs 2 | identical"
        )
        for records, one, two, controls, same in rows:
            speedup = one.wall / two.wall
            control = _median(controls)
            print(f"{records:,} | {-(-records // args.file_records)} | {records / one.wall:,.0f} | "
                  f"{records / two.wall:,.0f} | {speedup:.2f}x | {control:.2f}x "
                  f"({min(controls):.2f}-{max(controls):.2f}) | {speedup / control:.2f} | "
                  f"{records / one.cpu:,.0f} | {records / two.cpu:,.0f} | "
                  f"{one.peak / 1024:.0f} MiB | {two.peak / 1024:.0f} MiB | {same}")  # fmt: skip
        small, large = rows[0], rows[-1]
        print(
            f"\npeak RSS growth {args.small:,} -> {args.records:,} records: jobs 1 "
            f"{large[1].peak / small[1].peak:.2f}x, jobs 2 {large[2].peak / small[2].peak:.2f}x "
            "(flat = 1.00x)"
        )
        per_cpu = args.records / large[1].cpu
        core_hours = 36_000_000 / per_cpu / 3600
        wall_rate = args.records / large[2].wall
        print(f"projection: 36,000,000 records / {per_cpu:,.0f} records per CPU-second "
              f"(jobs 1, {args.records:,} records) = {36_000_000 / per_cpu:,.0f} CPU-s = "
              f"{core_hours:.1f} core-hours; on this loaded machine at {wall_rate:,.0f} "
              f"records/s (2 jobs, wall): {36_000_000 / wall_rate / 3600:.1f} h")  # fmt: skip


def _comparable(path: Path) -> object:
    document = json.loads(path.read_text(encoding="utf-8"))
    document.pop("generated_at", None)
    return document


if __name__ == "__main__":
    main()
