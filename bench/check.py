"""A warm ``check`` rerun, start-up, and ``--jobs``: side by side in one run.

Run:  python bench/check.py [--records 6000] [--repeat 3] [--shared PATH]

On a JSON Lines list of ``--records`` real abstracts (../shared, each with its own PMID), each
command a fresh process, median of ``--repeat``, in a temporary cache directory:

- ``check --offline`` cold (empty cache: every publication analysed) and warm (the analyses of
  the run before; identifiers answered from the cache, 0 requests), next to ``extract`` on the
  same file (the floor: reading and identifiers only) and ``check --no-verify`` warm;
- start-up: ``trial-linker --version`` next to ``python -c pass``, and the slowest imports of
  ``python -X importtime -m linker check --help``;
- ``--jobs 2`` against ``--jobs 1`` (the list split into two files, analysis cache off), next
  to the same machine's speed-up for two pure-Python busy loops run in two processes: on a
  shared 2-vCPU machine that control says what two processes can gain at best.

Exits 0 with a message when the real data is absent.
"""

from __future__ import annotations

import gzip
import itertools
import json
import multiprocessing
import statistics
import subprocess
import sys
import tempfile
import time
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


def run(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=child_env()
    )
    if result.returncode not in (0, 1, 3):  # findings and unverified ids are normal here
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr.strip()}")
    return time.perf_counter() - started


def median(command: list[str], repeat: int) -> float:
    return statistics.median(run(command) for _ in range(repeat))


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
        print(f"check --offline, cold (analyses computed):   {cold:6.2f} s")
        print(f"check --offline, warm (0 requests):          {warm:6.2f} s  {cold / warm:5.1f}x")
        print(f"check --no-verify, warm:                     {warm_no_verify:6.2f} s")
        print(
            f"extract (reading + identifiers, the floor):  {floor:6.2f} s  warm/floor "
            f"{warm / floor:.2f}"
        )
        version = median(["trial-linker", "--version"], 5)
        bare = median([sys.executable, "-c", "pass"], 5)
        print(
            f"\nstart-up: trial-linker --version {version * 1000:.0f} ms, "
            f"python -c pass {bare * 1000:.0f} ms (difference {1000 * (version - bare):.0f} ms)"
        )
        for line in slowest_imports():
            print(f"  {line}")
        no_cache = ["-q", "--no-cache", "--no-verify", "-o", str(tmp / "jobs.txt")]
        jobs1 = median(
            ["trial-linker", "check", *map(str, halves), *no_cache, "--jobs", "1"], args.repeat
        )
        jobs2 = median(
            ["trial-linker", "check", *map(str, halves), *no_cache, "--jobs", "2"], args.repeat
        )
        control = busy_loop_speedup(2.0)
        print(
            f"\n--jobs 1 {jobs1:.2f} s, --jobs 2 {jobs2:.2f} s: {jobs1 / jobs2:.2f}x; "
            f"two busy loops in two processes on this machine now: {control:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
