"""A warm ``check`` rerun, start-up, and ``--jobs``: side by side in one run.

Run:  python bench/check.py [--records 6000] [--repeat 3] [--shared PATH]

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
  what two processes can gain at best.

Wall and CPU (user + system of the process) times; under load the CPU times are the steadier.

Exits 0 with a message when the real data is absent.
"""

from __future__ import annotations

import gzip
import itertools
import json
import multiprocessing
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


def main() -> int:
    args = record_arguments("warm check / start-up / --jobs benchmark")
    if args is None:
        return 0
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        whole = tmp / "list.jsonl"
        halves = [tmp / "half1.jsonl", tmp / "half2.jsonl"]
        write_list(args.shared, args.records, [whole])
        write_list(args.shared, args.records, halves)
        cache = ["--cache-dir", str(tmp / "cache")]
        out = ["-q", "-o", str(tmp / "report.txt")]
        check = ["trial-linker", "check", str(whole), *out, *cache]
        print(f"{args.records} real records, {whole.stat().st_size / 1e6:.1f} MB JSON Lines")
        stored = fill_registry_cache(whole, tmp / "cache")
        print(f"{stored} identifiers answered in the registry cache (found)")
        cold = run([*check, "--offline"])
        warm = median([*check, "--offline"], args.repeat)
        warm_no_verify = median([*check, "--no-verify"], args.repeat)
        floor = median(
            ["trial-linker", "extract", str(whole), "--format", "jsonl", "-o", str(tmp / "x")],
            args.repeat,
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
        version = median(["trial-linker", "--version"], 5)
        bare = median([sys.executable, "-c", "pass"], 5)
        print(
            f"\nstart-up: trial-linker --version {version.wall * 1000:.0f} ms "
            f"({version.cpu * 1000:.0f} ms CPU), python -c pass {bare.wall * 1000:.0f} ms "
            f"(difference {1000 * (version.wall - bare.wall):.0f} ms)"
        )
        for line in slowest_imports():
            print(f"  {line}")
        control = busy_loop_speedup(2.0)
        for label, inputs in (("two files", list(map(str, halves))), ("one file", [str(whole)])):
            timings = []
            for jobs in ("1", "2"):
                out = ["-o", str(tmp / f"jobs{jobs}.json"), "--jobs", jobs]
                command = ["trial-linker", "check", *inputs, "-q", "--no-cache", "--no-verify"]
                timings.append(median([*command, *out], args.repeat))
            same = same_publications(tmp / "jobs1.json", tmp / "jobs2.json")
            print(
                f"\n--jobs, {label}: 1 job {timings[0]}, 2 jobs {timings[1]}: "
                f"{timings[0].wall / timings[1].wall:.2f}x wall; results identical: {same}"
            )
        control_after = busy_loop_speedup(2.0)
        print(
            f"two busy loops in two processes on this machine, before and after: "
            f"{control:.2f}x, {control_after:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
