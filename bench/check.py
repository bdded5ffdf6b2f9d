"""A warm ``check`` rerun, start-up, and ``--jobs``: side by side in one run.

Run:  python bench/check.py [--records 6000] [--repeat 3] [--shared PATH]
      [--parts warm,startup,jobs]

On a JSON Lines list of ``--records`` real abstracts (../shared, each with its own PMID), each
command a fresh process, median of ``--repeat``, in a temporary cache directory:

- ``check --offline`` cold (empty analysis cache: every publication read, analysed and
  evaluated) and warm (the run before's stored lines, analyses and results), with every
  identifier answered ``found`` from the registry cache (0 requests), next to ``extract`` on
  the same file (the floor: reading and identifiers only) and ``check --no-verify`` warm;
- start-up: ``trial-linker --version`` next to ``python -c pass``, and the slowest imports of
  ``python -X importtime -m linker check --help``;
- ``--jobs 2`` against ``--jobs 1`` (the list split into two files, then the one file split in
  parts; analysis cache off), next to the same machine's speed-up for two pure-Python busy
  loops run in two processes, before and after: on a shared 2-vCPU machine that control says
  what two processes can gain at best (the tool's speed-up is also given as a share of it, and
  its CPU time against one job's: what the second process, the split and the merge cost).

The load average is printed before and after.

Wall and CPU (user + system of the process) times; under load the CPU times are the steadier.

Exits 0 with a message when the real data is absent.
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchenv import child_env, record_arguments


def write_list(shared: Path, count: int, paths: list[Path]) -> None:
    source = shared / "data-real" / "abstracts" / "unified_abstracts.jsonl.gz"
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle]
    records = [r for r in records if r.get("title") or r.get("abstract")]
    chosen = list(itertools.islice(itertools.cycle(records), count))
    per_file = -(-count // len(paths))
    for index, path in enumerate(paths):
        with path.open("w", encoding="utf-8") as out:
            for number, record in enumerate(chosen[index * per_file : (index + 1) * per_file]):
                row = {
                    "pmid": str(40_000_001 + index * per_file + number),
                    "title": record.get("title") or "",
                    "abstract": record.get("abstract") or "",
                    "publication_types": record.get("publication_types") or [],
                }
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


def fill_registry_cache(path: Path, cache_dir: Path) -> int:
    """Every well-formed identifier of ``path`` answered ``found`` in the registry cache, its
    record titled like the paper (so that linking runs), as a run with the network would have
    left it: the warm rerun then makes 0 requests with its identifiers verified. Returns how
    many identifiers were stored."""
    from linker.pipeline import iter_extracted
    from linker.registries.cache import OutcomeCache
    from linker.registries.interface import Outcome, OutcomeKind, PartialDate, RegistryRecord
    from linker.registries.local_answers import bind_cache
    from linker.registries.settings import NETWORK_REGISTRIES

    outcomes = {}
    for item in iter_extracted([str(path)], classify=False):
        for mention in item.mentions:
            if mention.valid_format and mention.registry in NETWORK_REGISTRIES:
                record = RegistryRecord(
                    registry=mention.registry,
                    id=mention.id,
                    url=f"https://example.org/{mention.id}",
                    public_title=item.publication.title,
                    registration_date=PartialDate(value="2005-01-01", actual=True),
                )
                outcomes[(mention.registry, mention.id)] = Outcome(
                    kind=OutcomeKind.FOUND,
                    registry=mention.registry,
                    requested_id=mention.id,
                    record=record,
                    url=record.url,
                )
    with OutcomeCache(cache_dir) as cache:
        bind_cache(cache, None)
        return cache.put_many(outcomes.values())


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # user + system seconds of the process and its children

    def __str__(self) -> str:
        return f"{self.wall:6.2f} s wall {self.cpu:6.2f} s CPU"


def run(command: list[str]) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env()
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode not in (0, 1, 3):  # findings and unverified ids are normal here
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.strip()}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def median(command: list[str], repeat: int) -> Timing:
    timings = [run(command) for _ in range(repeat)]
    return Timing(
        statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings)
    )


def busy(seconds: float) -> None:
    deadline = time.process_time() + seconds
    while time.process_time() < deadline:
        pass


def busy_loop_speedup(seconds: float) -> float:
    started = time.perf_counter()
    busy(seconds)
    busy(seconds)
    serial = time.perf_counter() - started
    started = time.perf_counter()
    with multiprocessing.Pool(2) as pool:
        pool.map(busy, [seconds, seconds])
    return serial / (time.perf_counter() - started)


def same_publications(first: Path, second: Path) -> bool:
    def publications(path: Path) -> object:
        return json.loads(path.read_text(encoding="utf-8"))["publications"]

    return publications(first) == publications(second)


def slowest_imports(limit: int = 6) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "linker", "check", "--help"],
        capture_output=True,
        text=True,
        check=True,
        env=child_env(),
    )
    rows = []
    for line in result.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    total = max(rows)[0] if rows else 0
    top = sorted((r for r in rows if r[1].startswith("linker")), reverse=True)[:limit]
    return [f"all imports {total / 1000:.0f} ms"] + [f"{n / 1000:5.0f} ms {m}" for n, m in top]


PARTS = ("warm", "startup", "jobs")


def _parts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"which measurements, comma-separated, of {', '.join(PARTS)} (default: all)",
    )


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} ({os.cpu_count()} CPUs)"


def warm_runs(tmp: Path, whole: Path, repeat: int) -> None:
    cache = ["--cache-dir", str(tmp / "cache")]
    out = ["-q", "-o", str(tmp / "report.txt")]
    check = ["trial-linker", "check", str(whole), *out, *cache]
    stored = fill_registry_cache(whole, tmp / "cache")
    print(f"{stored} identifiers answered in the registry cache (found)")
    cold = run([*check, "--offline"])
    warm = median([*check, "--offline"], repeat)
    warm_no_verify = median([*check, "--no-verify"], repeat)
    floor = median(
        ["trial-linker", "extract", str(whole), "--format", "jsonl", "-o", str(tmp / "x"), "-j1"],
        repeat,
    )
    print(f"check --offline, cold (analyses computed):   {cold}")
    print(
        f"check --offline, warm (0 requests):          {warm}  "
        f"{cold.wall / warm.wall:5.1f}x wall {cold.cpu / warm.cpu:5.1f}x CPU"
    )
    print(f"check --no-verify, warm:                     {warm_no_verify}")
    print(
        f"extract (reading + identifiers, the floor):  {floor}  warm/floor "
        f"{warm.wall / floor.wall:.2f} wall {warm.cpu / floor.cpu:.2f} CPU"
    )


def start_up() -> None:
    version = median(["trial-linker", "--version"], 5)
    bare = median([sys.executable, "-c", "pass"], 5)
    print(
        f"\nstart-up: trial-linker --version {version.wall * 1000:.0f} ms "
        f"({version.cpu * 1000:.0f} ms CPU), python -c pass {bare.wall * 1000:.0f} ms "
        f"(difference {1000 * (version.wall - bare.wall):.0f} ms)"
    )
    for line in slowest_imports():
        print(f"  {line}")


def jobs_runs(tmp: Path, whole: Path, halves: list[Path], repeat: int) -> None:
    """``--jobs 2`` against ``--jobs 1``, between two runs of the busy-loop control: the
    tool's wall speed-up, its CPU cost (CPU of 2 jobs over 1: what the second process and the
    split and merge add) and the speed-up as a share of the control's."""
    control = busy_loop_speedup(2.0)
    speedups = []
    for label, inputs in (("two files", list(map(str, halves))), ("one file", [str(whole)])):
        timings = []
        for jobs in ("1", "2"):
            out = ["-o", str(tmp / f"jobs{jobs}.json"), "--jobs", jobs]
            command = ["trial-linker", "check", *inputs, "-q", "--no-cache", "--no-verify"]
            timings.append(median([*command, *out], repeat))
        same = same_publications(tmp / "jobs1.json", tmp / "jobs2.json")
        speedups.append(timings[0].wall / timings[1].wall)
        print(
            f"\n--jobs, {label}: 1 job {timings[0]}, 2 jobs {timings[1]}: "
            f"{speedups[-1]:.2f}x wall, CPU {timings[1].cpu / timings[0].cpu:.2f}x of 1 job's; "
            f"results identical: {same}"
        )
    control_after = busy_loop_speedup(2.0)
    mean = (control + control_after) / 2
    print(
        f"two busy loops in two processes on this machine, before and after: "
        f"{control:.2f}x, {control_after:.2f}x; --jobs 2 against their mean: "
        + ", ".join(f"{s / mean:.2f}" for s in speedups)
    )


def main() -> int:
    args = record_arguments("warm check / start-up / --jobs benchmark", _parts)
    if args is None:
        return 0
    parts = set(args.parts.split(","))
    print(load())
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        whole = tmp / "list.jsonl"
        halves = [tmp / "half1.jsonl", tmp / "half2.jsonl"]
        write_list(args.shared, args.records, [whole])
        write_list(args.shared, args.records, halves)
        print(f"{args.records} real records, {whole.stat().st_size / 1e6:.1f} MB JSON Lines")
        if "warm" in parts:
            warm_runs(tmp, whole, args.repeat)
        if "startup" in parts:
            start_up()
        if "jobs" in parts:
            jobs_runs(tmp, whole, halves, args.repeat)
    print(load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
