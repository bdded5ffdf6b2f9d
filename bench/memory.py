"""Peak memory of a whole ``check --offline`` at several list lengths, side by side.

Run:  python bench/memory.py [--sizes 10000,50000,200000] [--shared PATH] [--sequential]
                             [--reports] [--textlist]

Builds one JSON Lines list per size by repeating the real abstracts of
../shared/data-real/abstracts/unified_abstracts.jsonl.gz (each record gets its own id, so no
two publications share a key), runs ``trial-linker check LIST --offline -q`` on each in a fresh
process (default text report to /dev/null, so the report is written in full), and prints the
peak RSS of each process (``ru_maxrss`` from ``os.wait4``) with its ratio to the smallest run.
The runs go concurrently by default (the machine has 2 cores; peak memory does not depend on
speed), one after the other with ``--sequential``. With ``--reports`` each run also writes
``-o report.html -o result.sarif -o junit.xml -o report.md -o baseline`` (``--write-baseline``),
so that the document reporters are measured too. ``--textlist`` writes the lists as plain text
(title line, abstract line, blank line) instead of JSON Lines. Exits 0 with a message when
the data is absent. Target (issue 11): the largest run within 1.2x of the smallest, and at
most 200 MB.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SHARED = Path(
    os.environ.get("TRIAL_LINKER_SHARED", Path(__file__).resolve().parents[2] / "shared")
)


def real_records(shared: Path) -> list[dict[str, str]]:
    source = shared / "data-real" / "abstracts" / "unified_abstracts.jsonl.gz"
    records = []
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("abstract"):
                records.append({"title": record.get("title") or "", "abstract": record["abstract"]})
    return records


def write_list(records: list[dict[str, str]], count: int, target: Path) -> None:
    with target.open("w", encoding="utf-8") as out:
        for n in range(count):
            record = records[n % len(records)]
            if target.suffix == ".txt":  # a plain-text list: title, abstract, blank line
                title = " ".join(record["title"].split()) or "Untitled"
                out.write(f"{title} ({n})\n{' '.join(record['abstract'].split())}\n\n")
            else:
                out.write(json.dumps({"id": f"rec{n}", **record}, ensure_ascii=False) + "\n")


REPORTS = ("report.html", "result.sarif", "junit.xml", "report.md")


def start(path: Path, reports: bool = False) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "linker", "check", str(path), "--offline", "-q"]
    if reports:
        folder = path.with_suffix(".out")
        folder.mkdir(exist_ok=True)
        for name in REPORTS:
            command += ["-o", str(folder / name)]
        command += ["--write-baseline", str(folder / "baseline.json")]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def finish(process: subprocess.Popen[bytes]) -> tuple[int, float]:
    """(exit code, peak RSS in MB) of a child, from its own rusage."""
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,50000,200000")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--sequential", action="store_true")
    parser.add_argument("--reports", action="store_true", help="also write every document report")
    parser.add_argument("--textlist", action="store_true", help="plain-text lists, not JSON Lines")
    args = parser.parse_args()
    if not (args.shared / "data-real" / "abstracts").exists():
        print(f"real abstracts not found under {args.shared}: nothing to measure")
        return 0
    sizes = [int(size) for size in args.sizes.split(",")]
    records = real_records(args.shared)
    with tempfile.TemporaryDirectory() as folder:
        suffix = ".txt" if args.textlist else ".jsonl"
        lists = {size: Path(folder) / f"list{size}{suffix}" for size in sizes}
        for size, path in lists.items():
            write_list(records, size, path)
        began = time.perf_counter()
        results: dict[int, tuple[int, float, float]] = {}
        if args.sequential:
            for size, path in lists.items():
                code, peak = finish(start(path, args.reports))
                results[size] = (code, peak, time.perf_counter() - began)
        else:
            processes = {size: start(path, args.reports) for size, path in lists.items()}
            for size, process in processes.items():
                code, peak = finish(process)
                results[size] = (code, peak, time.perf_counter() - began)
    what = " with -o html, sarif, junit, md and --write-baseline" if args.reports else ""
    print(f"check --offline{what} on real abstracts ({len(records)} distinct, repeated)")
    smallest = results[min(sizes)][1]
    for size in sizes:
        code, peak, elapsed = results[size]
        print(
            f"{size:>8} records: peak RSS {peak:7.1f} MB  ({peak / smallest:.2f}x)  "
            f"exit {code}  done after {elapsed:.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
