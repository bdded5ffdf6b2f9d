"""Trial-report classification throughput: the engine side by side with the classifier before
it (today's baseline) and the plain reading of the model, in one run.

Run:  python bench/classify.py [--records 6000] [--repeat 3] [--shared PATH]

On the first ``--records`` real abstracts of ../shared (title, abstract, publication types),
repeated if needed:

- in process, CPU seconds, median of ``--repeat``: the plain reading (every pattern runs:
  ``evaluation=PLAIN``), the classifier before the engine (``bench/classify_today.py``: the plain
  reading behind literal gates, in its own process since its gates patch the model), and the
  engine with each installed scanning backend. Every report (decision, evidence, trial names)
  is compared with the plain reading's;
- end to end, one fresh process each, wall and CPU seconds: ``trial-linker extract
  --publications`` (reading, identifiers and classification of every record, JSON Lines out)
  before the engine and with it on each backend, beside ``trial-linker extract`` (identifiers
  only) on the same file. The outputs of every ``--publications`` run are compared;
- in process, the CPU per record of each stage of ``--publications`` (reading, identifiers,
  classification, output rows);
- ``--publications`` by default (``--jobs auto``) beside ``--jobs 1`` (wall, outputs compared),
  with the speed-up of two busy loops in two processes before and after (``bench/check.py``'s
  control).

Exits 0 with a message when the real data is absent.
"""

from __future__ import annotations

import gzip
import hashlib
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchenv import child_env, record_arguments

from linker.extract.scan import available_backends, use_backend
from linker.extract.trial_engine import TrialEngine
from linker.extract.trial_report import PLAIN, Evaluation, classify_text

Record = tuple[str, str, list[str]]
HERE = Path(__file__).resolve().parent


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


def timed(records: list[Record], repeat: int, evaluation: Evaluation) -> tuple[float, str]:
    """Median CPU seconds of classifying every record, and a digest of the reports."""
    times, digest = [], ""
    for _ in range(repeat):
        started = time.process_time()
        reports = [classify_text(*record, evaluation=evaluation) for record in records]
        times.append(time.process_time() - started)
        digest = hashlib.sha1("".join(r.model_dump_json() for r in reports).encode()).hexdigest()
    return statistics.median(times), digest


def process(command: list[str], backend: str | None) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=child_env(backend), stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def today_in_process(records: int, repeat: int, shared: Path) -> tuple[float, str]:
    command = [sys.executable, str(HERE / "classify_today.py"), "--records", str(records)]
    command += ["--repeat", str(repeat), "--shared", str(shared)]
    output = subprocess.run(command, check=True, env=child_env(), capture_output=True, text=True)
    answer = json.loads(output.stdout.strip().splitlines()[-1])
    return float(answer["cpu_seconds"]), str(answer["digest"])


def main() -> int:
    args = record_arguments("classification benchmark")
    if args is None:
        return 0
    records = load(args.shared, args.records)
    count = len(records)
    print(f"{count} real records; CPU seconds, median of {args.repeat}")
    classify_text("warm", "up", evaluation=PLAIN)
    plain, expected = timed(records, args.repeat, PLAIN)
    today, today_digest = today_in_process(count, args.repeat, args.shared)
    print(f"{'in process':34} {'cpu s':>7} {'records/s':>10} {'x today':>8}  same reports")
    print(
        f"{'plain reading (every pattern)':34} {plain:7.2f} {count / plain:10.0f} "
        f"{today / plain:7.1f}x  (reference)"
    )
    print(
        f"{'before the engine (literal gates)':34} {today:7.2f} {count / today:10.0f} "
        f"{1:7.1f}x  {today_digest == expected}"
    )
    for backend in available_backends():
        use_backend(backend)
        engine = TrialEngine()
        classify_text("warm", "up. Methods: x", evaluation=engine)  # compiles the scans
        fast, digest = timed(records, args.repeat, engine)
        print(
            f"{'engine, ' + backend:34} {fast:7.2f} {count / fast:10.0f} "
            f"{today / fast:7.1f}x  {digest == expected}"
        )
    end_to_end(records, args.shared)
    return 0


def end_to_end(records: list[Record], shared: Path) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "list.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for number, (title, abstract, types) in enumerate(records, start=40_000_001):
                row = {"pmid": str(number), "title": title, "abstract": abstract}
                out.write(json.dumps({**row, "publication_types": types}) + "\n")
        count = len(records)
        print(f"\nend to end, {path.stat().st_size / 1e6:.1f} MB JSON Lines, fresh processes")
        print(f"{'':42} {'wall s':>7} {'cpu s':>6} {'records/s (cpu)':>16} {'x today':>8}")

        numbers = itertools.count()

        def run(label: str, command: list[str], backend: str | None, base: float) -> float:
            out = Path(directory) / f"{next(numbers)}.jsonl"
            wall, cpu = process([*command, "-o", str(out)], backend)
            ratio = base / cpu if base else 1.0
            print(f"{label:42} {wall:7.2f} {cpu:6.2f} {count / cpu:16.0f} {ratio:7.1f}x")
            return cpu

        extract = ["extract", str(path), "--format", "jsonl", "--jobs", "1"]  # one process
        today_command = [sys.executable, str(HERE / "classify_today.py"), "--cli", *extract]
        backend = available_backends()[0]
        base = run(
            f"before the engine --publications ({backend})",
            [*today_command, "--publications"],
            backend,
            0.0,
        )
        for backend in available_backends():
            run(
                f"engine --publications ({backend})",
                ["trial-linker", *extract, "--publications"],
                backend,
                base,
            )
        run("extract, identifiers only", ["trial-linker", *extract], None, base)
        outputs = sorted(Path(directory).glob("[0-9]*.jsonl"), key=lambda p: int(p.stem))
        same = len({p.read_bytes() for p in outputs[: 1 + len(available_backends())]}) == 1
        print(f"--publications outputs identical before and after: {same}")
        shares(path, count)
        jobs(path, Path(directory), count)


def shares(path: Path, count: int) -> None:
    """Where the CPU time of ``extract --publications`` goes, stage by stage, in process: the
    lean path the command takes (:mod:`linker.lean_publications`) beside the reference path
    (Publication models, the pipeline's extraction), with their rows compared."""
    from linker.cli.extract_cmd import PUBLICATION_FIELDS, publication_row
    from linker.extract.mentions import extract_mentions
    from linker.extract.trial_report import classify_publication
    from linker.lean_publications import identifiers_of, reads_of, report_of
    from linker.lean_publications import publication_row as lean_row
    from linker.pipeline import Extracted, iter_publications
    from linker.readers.fastjson import dumps_line

    def lean_reads() -> list[Any]:
        reads = reads_of(str(path))
        assert reads is not None  # JSON Lines: read lean
        return reads

    use_backend(available_backends()[0])
    lines: dict[str, list[str]] = {}
    stages: dict[str, list[float]] = {}
    for name in ("reference", "lean"):
        started = time.process_time()
        reads = list(iter_publications([str(path)])) if name == "reference" else lean_reads()
        read = time.process_time()
        if name == "reference":
            found: list[Any] = [extract_mentions(publication) for publication in reads]
        else:
            found = [identifiers_of(item) for item in reads]
        identified = time.process_time()
        if name == "reference":
            reports = [classify_publication(publication) for publication in reads]
        else:
            reports = [report_of(item) for item in reads]
        classified = time.process_time()
        out = lines.setdefault(name, [])
        for item in zip(reads, found, reports, strict=True):
            row = publication_row(Extracted(*item)) if name == "reference" else lean_row(*item)
            out.append(dumps_line({field: row.get(field) for field in PUBLICATION_FIELDS}))
        written = time.process_time()
        stages[name] = [read - started, identified - read, classified - identified]
        stages[name].append(written - classified)
    labels = ("reading", "identifiers", "classification", "output rows")
    print(f"\nin process, {count} records: CPU per record, by stage ({available_backends()[0]})")
    print(f"{'':16} {'reference (Publication models)':>30} {'lean (--publications)':>22}")
    for index, label in enumerate(labels):
        cells = []
        for name in ("reference", "lean"):
            seconds = stages[name][index]
            cells.append(f"{seconds / count * 1e6:6.0f} us {seconds / sum(stages[name]):5.0%}")
        print(f"{label:16} {cells[0]:>30} {cells[1]:>22}")
    totals = [sum(stages[name]) / count * 1e6 for name in ("reference", "lean")]
    print(f"{'total':16} {totals[0]:>24.0f} us {totals[1]:>16.0f} us")
    print(f"rows identical: {lines['reference'] == lines['lean']}")


def jobs(path: Path, directory: Path, count: int) -> None:
    """``--publications`` by default (``--jobs auto``: one process per usable CPU for a list
    this large) beside ``--jobs 1`` (wall), with the machine's speed-up for two busy loops in
    two processes measured before and after."""
    from check import busy_loop_speedup  # bench/check.py: the same control

    from linker.scale.auto_jobs import auto_jobs

    control = busy_loop_speedup(2.0)
    command = ["trial-linker", "extract", str(path), "--format", "jsonl", "--publications"]
    walls = {}
    for jobs in ("1", "auto"):
        out = directory / f"jobs-{jobs}.jsonl"
        walls[jobs], _ = process([*command, "--jobs", jobs, "-o", str(out)], None)
    control_after = busy_loop_speedup(2.0)
    outputs = {(directory / f"jobs-{jobs}.jsonl").read_bytes() for jobs in walls}
    chosen = auto_jobs([str(path)], publications=True)
    print(
        f"\n--publications, {count} records, wall: --jobs 1 {walls['1']:.2f} s, default "
        f"(--jobs auto = {chosen}) {walls['auto']:.2f} s: {walls['1'] / walls['auto']:.2f}x, "
        f"{count / walls['auto']:.0f} records/s (outputs identical: {len(outputs) == 1}); two "
        f"busy loops in two processes, before and after: {control:.2f}x, {control_after:.2f}x"
    )


if __name__ == "__main__":
    sys.exit(main())
