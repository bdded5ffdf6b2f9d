"""Throughput and memory of identifier extraction, next to a one-regex-per-registry baseline.

Run:  python bench/extract.py [--size-mb 100] [--shared PATH]

Builds a JSONL publication list of at least ``--size-mb`` MB by repeating the real abstracts in
../shared (a temporary file, deleted afterwards), then measures on the same input:
- ours: find_identifiers over title + abstract of each record (one combined regex + prefilter);
- baseline: the ctregistries regex table applied one registry at a time (the way R's
  ``which_trn`` works), ``\\W`` adapted to ``[^\\w\\n\\r]`` and its variable lookbehind split;
- the full path read_publications + extract_mentions, if the readers exist;
- peak memory (ru_maxrss of a fresh child process) of the full path at ``--full-mb`` and at a
  quarter of it: equal peaks mean it streams. (The full path runs on a smaller input because
  the readers, not extraction, dominate its time.)
Exits 0 with a message when the real data is absent.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from linker.extract.identifiers import find_identifiers

DEFAULT_SHARED = Path(
    os.environ.get("TRIAL_LINKER_SHARED", Path(__file__).resolve().parents[2] / "shared")
)


def build_input(shared: Path, size_mb: float, target: Path) -> int:
    """Write repeated real records to ``target`` until it holds ``size_mb`` MB; return count."""
    source = shared / "data-real" / "abstracts" / "unified_abstracts.jsonl.gz"
    records = []
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("abstract") or record.get("title"):
                records.append({"title": record.get("title") or "", "abstract": record["abstract"]})
    lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in records]
    limit = int(size_mb * 1_000_000)
    written = count = 0
    with target.open("w", encoding="utf-8") as out:
        while written < limit:
            for line in lines:
                out.write(line)
                written += len(line.encode("utf-8"))
                count += 1
                if written >= limit:
                    break
    return count


def iter_texts(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            yield record["title"], record["abstract"]


def baseline_patterns(shared: Path) -> list[re.Pattern[str]]:
    """ctregistries' regexes, one per registry, adapted to Python ``re`` (peers.md 1.1)."""
    patterns = []
    path = shared / "data-real" / "ctregistries_registries.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            regex = row["trn_regex"].strip()
            if not regex or regex == "NA":
                continue
            regex = regex.removeprefix("(?i)").replace(r"\W", r"[^\w\n\r]")
            regex = regex.replace(r"(?<!IRCT|PACTR|\d)", r"(?<!IRCT)(?<!PACTR)(?<!\d)")
            patterns.append(re.compile(regex, re.IGNORECASE))
    return patterns


def time_loop(path: Path, extract: Callable[[str], int]) -> tuple[float, int]:
    started = time.perf_counter()
    hits = 0
    for title, abstract in iter_texts(path):
        hits += extract(title) + extract(abstract)
    return time.perf_counter() - started, hits


def full_path(path: Path) -> tuple[float, int, int]:
    from linker.extract.mentions import extract_mentions
    from linker.readers import read_publications

    started = time.perf_counter()
    publications = mentions = 0
    for publication in read_publications(str(path), fmt="jsonl"):
        publications += 1
        mentions += len(extract_mentions(publication))
    return time.perf_counter() - started, publications, mentions


def child_peak(path: Path) -> tuple[float, int]:
    """Run the full path in a fresh process; return its peak RSS (MB) and publications."""
    output = subprocess.run(
        [sys.executable, __file__, "--child", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(output[0]), int(output[1])


def main() -> int:
    parser = argparse.ArgumentParser(description="extraction throughput benchmark")
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--full-mb", type=float, default=20.0, help="size for read+extract")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _, publications, _ = full_path(args.child)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{peak_mb:.1f} {publications}")
        return 0
    if not (args.shared / "data-real" / "abstracts").exists():
        print(f"skipped: real abstracts not available under {args.shared}")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "publications.jsonl"
        full = Path(tmp) / "publications-full-path.jsonl"
        small = Path(tmp) / "publications-quarter.jsonl"
        count = build_input(args.shared, args.size_mb, big)
        build_input(args.shared, args.full_mb, full)
        build_input(args.shared, args.full_mb / 4, small)
        megabytes = big.stat().st_size / 1_000_000
        print(f"input: {megabytes:.1f} MB, {count} publications (real abstracts, repeated)")

        read_only, _ = time_loop(big, lambda text: 0)
        ours, our_hits = time_loop(big, lambda text: len(find_identifiers(text)))
        patterns = baseline_patterns(args.shared)
        base, base_hits = time_loop(
            big, lambda text: sum(1 for p in patterns for _ in p.finditer(text))
        )
        ours_net, base_net = ours - read_only, base - read_only
        print(f"json decoding alone: {read_only:.1f} s")
        print(
            f"ours:     {ours:6.1f} s  {megabytes / ours_net:7.1f} MB/s  "
            f"{count / ours_net:9.0f} publications/s  ({our_hits} identifiers)"
        )
        print(
            f"baseline: {base:6.1f} s  {megabytes / base_net:7.1f} MB/s  "
            f"{count / base_net:9.0f} publications/s  ({base_hits} matches, "
            f"{len(patterns)} regexes in turn)"
        )
        print(f"speed-up (extraction time, decoding subtracted): {base_net / ours_net:.1f}x")
        try:
            import linker.readers  # noqa: F401
        except ImportError:
            print("full path: linker.readers not available, skipped")
            return 0
        elapsed, publications, mentions = full_path(full)
        full_mb = full.stat().st_size / 1_000_000
        print(
            f"read+extract (read_publications + extract_mentions): {elapsed:.1f} s  "
            f"{full_mb / elapsed:.1f} MB/s  {publications / elapsed:.0f} publications/s  "
            f"({mentions} mentions, {full_mb:.1f} MB input)"
        )
        peak_small, n_small = child_peak(small)
        peak_big, n_big = child_peak(full)
        print(
            f"peak RSS read+extract: {peak_small:.0f} MB at {n_small} publications "
            f"({small.stat().st_size / 1e6:.0f} MB), {peak_big:.0f} MB at {n_big} publications "
            f"({full_mb:.0f} MB)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
