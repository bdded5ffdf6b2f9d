"""Trial-report classification throughput, side by side with the bare model in one run.

Run:  python bench/classify.py [--records 6000] [--repeat 3] [--shared PATH]

On the first ``--records`` real abstracts of ../shared (title, abstract, publication types):

- in process, median of ``--repeat``: ``classify_text`` of the bare model (every pattern runs:
  the implementation before the engine, kept here as the baseline), and gated by
  :mod:`linker.extract.trial_engine` with each installed scanning backend; every decision and
  its evidence is compared with the baseline's;
- end to end, one fresh process each: ``trial-linker extract --publications`` (reading,
  identifiers and classification of every record, JSON Lines out) with each backend, next to
  ``trial-linker extract`` (identifiers only) on the same file.

Exits 0 with a message when the real data is absent.
"""

from __future__ import annotations

import gzip
import itertools
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchenv import child_env, record_arguments

from linker.extract import trial_engine
from linker.extract.scan import available_backends, use_backend
from linker.extract.trial_report import classify_text

Record = tuple[str, str, list[str]]


def load(shared: Path, count: int) -> list[Record]:
    source = shared / "data-real" / "abstracts" / "unified_abstracts.jsonl.gz"
    records: list[Record] = []
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("title") or record.get("abstract"):
                types = list(record.get("publication_types") or [])
                records.append((record.get("title") or "", record.get("abstract") or "", types))
    return list(itertools.islice(itertools.cycle(records), count))


def timed(records: list[Record], repeat: int) -> tuple[float, list[object]]:
    times, reports = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        reports = [classify_text(*record) for record in records]
        times.append(time.perf_counter() - started)
    return statistics.median(times), reports


def process(command: list[str], backend: str) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, env=child_env(backend), stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    args = record_arguments("classification benchmark")
    if args is None:
        return 0
    records = load(args.shared, args.records)
    print(f"{len(records)} real records; median of {args.repeat}")
    classify_text("warm", "up")
    trial_engine.set_enabled(False)
    base, expected = timed(records, args.repeat)
    trial_engine.set_enabled(True)
    print(f"{'in process':38} {'s':>7} {'records/s':>10} {'x bare':>7}  same decisions")
    print(f"{'bare model (every pattern runs)':38} {base:7.2f} {len(records) / base:10.0f}")
    for backend in available_backends():
        use_backend(backend)
        gated, reports = timed(records, args.repeat)
        print(
            f"{'gated, ' + backend:38} {gated:7.2f} {len(records) / gated:10.0f} "
            f"{base / gated:6.1f}x  {reports == expected}"
        )
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "list.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for number, (title, abstract, types) in enumerate(records, start=40_000_001):
                row = {"pmid": str(number), "title": title, "abstract": abstract}
                out.write(json.dumps({**row, "publication_types": types}) + "\n")
        out_file = str(Path(directory) / "out.jsonl")
        extract = ["trial-linker", "extract", str(path), "--format", "jsonl", "-o", out_file]
        print(f"\nend to end, {path.stat().st_size / 1e6:.1f} MB JSON Lines, fresh processes")
        for backend in available_backends():
            ids_only = process(extract, backend)
            full = process([*extract, "--publications"], backend)
            print(
                f"{backend:10} extract --publications {full:6.2f} s "
                f"({len(records) / full:5.0f} records/s); extract (ids only) {ids_only:5.2f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
