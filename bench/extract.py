"""End-to-end extraction throughput (file in, JSON Lines out), side by side in one run.

Run:  python bench/extract.py [--size-mb 100] [--repeat 3] [--shared PATH]

Builds publication lists of ``--size-mb`` MB from the real abstracts in ../shared
(``unified_abstracts.jsonl.gz`` repeated, each copy with its own PMID) as JSON Lines, PubMed XML
and MEDLINE, in a temporary directory, then times on each, in ``--repeat`` rounds that run
every command once in turn, every run a fresh process:

- ``naive``: the one-regex-per-registry port (ctregistries' 21 ``trn_regex`` patterns, adapted
  to Python ``re``, applied one after the other to title and abstract: the way R's
  ``which_trn`` works), reading the file with the standard library and writing one JSON line
  per match: the reference the ratios are taken against;
- ``trial-linker extract FILE --format jsonl -o OUT --jobs 1`` (one process) with each
  installed scanning backend (``TRIAL_LINKER_BACKEND=hyperscan``, ``re2``, ``re``: the last is
  the pure-Python path);
- ``extract`` as it runs by default (``--jobs auto``: one process per usable CPU for a list
  this large, :mod:`linker.scale.auto_jobs`) with the fastest backend, in the same rounds: its
  speed-up over ``--jobs 1`` in each round, beside two busy loops in two processes before and
  after the rounds (``bench/check.py``'s control: what this machine's two cores give);
- floors: ``json.loads`` of every line alone, and ``grep -E -c`` for NCT/ISRCTN numbers.

Each line gives the median time over the rounds and the ratio to the naive port in wall time
(``x naive``) and in CPU time (``x cpu``: user + system of the child, start-up included;
steadier on a shared machine): the median of the ratios taken within each round, which are
printed too. Taken so, a drift of the machine's speed during the minutes of a run (this
shared machine's varies by a quarter) weighs on both sides of a ratio alike.

It checks that every backend wrote the same bytes, and reports each process's peak memory at
the full size and at a quarter of it (equal peaks: memory does not grow with the input);
``--memory-mb 1000`` also writes a list of that size per format and reports the peak memory
of ``extract`` (fastest backend) on it beside its peak on the ``--size-mb`` list.
Exits 0 with a message when the real data is absent.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

from benchenv import child_env

from linker.extract.scan import available_backends
from linker.scale.auto_jobs import auto_jobs

DEFAULT_SHARED = Path(
    os.environ.get("TRIAL_LINKER_SHARED", Path(__file__).resolve().parents[2] / "shared")
)


def real_records(shared: Path) -> list[dict[str, str]]:
    source = shared / "data-real" / "abstracts" / "unified_abstracts.jsonl.gz"
    records = []
    with gzip.open(source, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("abstract") or record.get("title"):
                records.append(
                    {"title": record.get("title") or "", "abstract": record.get("abstract") or ""}
                )
    return records


def repeated(records: list[dict[str, str]], size_mb: float) -> Iterator[tuple[int, dict[str, str]]]:
    """(PMID, record) pairs, the real records over and over, until about ``size_mb`` MB."""
    limit = int(size_mb * 1_000_000)
    written = 0
    pmid = 40_000_000
    while True:
        for record in records:
            pmid += 1
            yield pmid, record
            written += len(record["title"]) + len(record["abstract"]) + 60
            if written >= limit:
                return


def write_jsonl(records: list[dict[str, str]], size_mb: float, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for pmid, record in repeated(records, size_mb):
            out.write(json.dumps({"pmid": str(pmid), **record}, ensure_ascii=False) + "\n")
            count += 1
    return count


def write_pubmed_xml(records: list[dict[str, str]], size_mb: float, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n')
        for pmid, record in repeated(records, size_mb):
            out.write(
                f"<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article>\n"
                f"<ArticleTitle>{escape(record['title'])}</ArticleTitle>\n"
                f"<Abstract><AbstractText>{escape(record['abstract'])}</AbstractText></Abstract>\n"
                "</Article></MedlineCitation></PubmedArticle>\n"
            )
        out.write("</PubmedArticleSet>\n")


def _wrapped(tag: str, text: str) -> str:
    words = text.split()
    lines, line = [], ""
    for word in words:
        if line and len(line) + len(word) > 80:
            lines.append(line)
            line = ""
        line = f"{line} {word}" if line else word
    lines.append(line)
    return f"{tag:<4}- {lines[0]}\n" + "".join(f"      {rest}\n" for rest in lines[1:])


def write_medline(records: list[dict[str, str]], size_mb: float, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for pmid, record in repeated(records, size_mb):
            out.write(f"PMID- {pmid}\n")
            if record["title"]:
                out.write(_wrapped("TI", record["title"]))
            if record["abstract"]:
                out.write(_wrapped("AB", record["abstract"]))
            out.write("\n")


WRITERS = {"jsonl": write_jsonl, "xml": write_pubmed_xml, "medline": write_medline}


# --- the naive port (runs in a child process: python bench/extract.py --naive FMT IN OUT) ---


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


def naive_texts(fmt: str, path: Path) -> Iterator[tuple[str, str, str]]:
    """(key, title, abstract) of every record, read the plain way."""
    if fmt == "jsonl":
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                yield record["pmid"], record["title"], record["abstract"]
    elif fmt == "xml":
        from lxml import etree

        for _, element in etree.iterparse(str(path), tag="PubmedArticle"):
            title = "".join(element.findtext(".//ArticleTitle") or "")
            abstract = " ".join("".join(a.itertext()) for a in element.iterfind(".//AbstractText"))
            yield element.findtext(".//PMID") or "", title, abstract
            element.clear()
    else:
        fields: dict[str, list[str]] = {}
        tag = ""
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    if fields:
                        yield (
                            " ".join(fields.get("PMID", [])),
                            " ".join(fields.get("TI", [])),
                            " ".join(fields.get("AB", [])),
                        )
                    fields, tag = {}, ""
                elif line[:4].strip() and line[4:6] == "- ":
                    tag = line[:4].strip()
                    fields.setdefault(tag, []).append(line[6:].strip())
                elif tag:
                    fields[tag].append(line.strip())


def naive(fmt: str, source: Path, target: Path, shared: Path) -> None:
    patterns = baseline_patterns(shared)
    with target.open("w", encoding="utf-8") as out:
        for key, title, abstract in naive_texts(fmt, source):
            for field, text in (("title", title), ("abstract", abstract)):
                for pattern in patterns:
                    for match in pattern.finditer(text):
                        row = {"publication": key, "raw": match.group(0), "field": field}
                        row["start"] = match.start()
                        out.write(json.dumps(row, ensure_ascii=False) + "\n")


# --- timing ------------------------------------------------------------------------------------


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one child process. The peak is the
    command's own, measured by ``/usr/bin/time`` where it exists: a child forked from this
    process starts with this process's memory (the records held to write the lists), which
    ``wait4`` would count."""
    meter = Path("/usr/bin/time")
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        wrapped = [str(meter), "-q", "-f", "%M", "-o", report.name, *command]
        started = time.perf_counter()
        child = subprocess.Popen(
            wrapped if meter.exists() else command,
            env=env or child_env(),
            stdout=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited with {child.returncode}")
        measured = report.read().strip().splitlines()
    peak_kb = int(measured[-1]) if meter.exists() and measured else usage.ru_maxrss
    return wall, usage.ru_utime + usage.ru_stime, peak_kb / 1024


def interleaved(
    commands: dict[str, tuple[list[str], dict[str, str] | None]], repeat: int
) -> dict[str, list[tuple[float, float, float]]]:
    """``repeat`` rounds, each running every command once in turn: the runs of each command.
    A ratio is then taken within each round, so a drift of the machine's speed over the
    minutes a run takes (other tenants, clock changes) weighs on both sides of it alike."""
    runs: dict[str, list[tuple[float, float, float]]] = {label: [] for label in commands}
    for _ in range(repeat):
        for label, (command, env) in commands.items():
            runs[label].append(timed(command, env))
    return runs


def json_decoding_alone(path: Path) -> float:
    started = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            json.loads(line)
    return time.perf_counter() - started


def run_format(
    name: str,
    fmt: str,
    path: Path,
    quarter: Path,
    tmp: Path,
    args: argparse.Namespace,
    records: list[dict[str, str]],
) -> None:
    megabytes = path.stat().st_size / 1e6
    auto_count = auto_jobs([str(path)], publications=False)
    print(f"\n{name}: {megabytes:.1f} MB")
    naive_out = tmp / f"naive-{fmt}.jsonl"
    command = [sys.executable, __file__, "--naive", fmt, str(path), str(naive_out)]
    command += ["--shared", str(args.shared)]
    naive_label = "naive port (21 regexes in turn)"
    commands: dict[str, tuple[list[str], dict[str, str] | None]] = {naive_label: (command, None)}
    outs = {backend: tmp / f"{backend}-{fmt}.jsonl" for backend in available_backends()}
    labels = {backend: f"extract --jobs 1, {backend}" for backend in outs}
    for backend, out in outs.items():
        extract = ["trial-linker", "extract", str(path), "--format", "jsonl", "-o", str(out)]
        commands[labels[backend]] = ([*extract, "--jobs", "1"], child_env(backend))
    fastest = available_backends()[0]
    # The default, --jobs auto: one process per usable CPU for an input this large.
    jobs_label, jobs_out = f"extract, default (--jobs {auto_count})", tmp / f"auto-{fmt}.jsonl"
    pooled = ["trial-linker", "extract", str(path), "--format", "jsonl", "-o", str(jobs_out)]
    commands[jobs_label] = (pooled, child_env(fastest))
    from check import busy_loop_speedup  # bench/check.py: the same control

    control = busy_loop_speedup(2.0)
    runs = interleaved(commands, args.repeat)
    naive = runs[naive_label]
    peaks: dict[str, float] = {}
    print(
        f"{'':34} {'wall s':>7} {'MB/s':>7} {'cpu s':>7} {'x naive':>8} {'x cpu':>7} {'peak MB':>8}"
    )
    for label, timings in runs.items():
        wall, cpu = (statistics.median(t[i] for t in timings) for i in (0, 1))
        x_wall, x_cpu = (
            statistics.median(n[i] / t[i] for n, t in zip(naive, timings, strict=True))
            for i in (0, 1)
        )
        peak = max(t[2] for t in timings)
        print(
            f"{label:34} {wall:7.2f} {megabytes / wall:7.1f} {cpu:7.2f} "
            f"{x_wall:7.1f}x {x_cpu:6.1f}x {peak:8.0f}"
        )
        if label != naive_label:
            rounds = " ".join(f"{n[0] / t[0]:.1f}" for n, t in zip(naive, timings, strict=True))
            print(f"{'':36}x naive in each round: {rounds}")
    pairs = zip(runs[labels[fastest]], runs[jobs_label], strict=True)
    rounds = " ".join(f"{one[0] / two[0]:.2f}" for one, two in pairs)
    print(
        f"--jobs {auto_count} x --jobs 1 ({fastest}) in each round: {rounds}; identical bytes: "
        f"{jobs_out.read_bytes() == outs[fastest].read_bytes()}; two busy loops in two "
        f"processes, before and after: {control:.2f}x, {busy_loop_speedup(2.0):.2f}x"
    )
    outputs = {backend: out.read_bytes() for backend, out in outs.items()}
    peaks_full = {backend: max(t[2] for t in runs[label]) for backend, label in labels.items()}
    for backend, out in outs.items():
        small = ["trial-linker", "extract", str(quarter), "--format", "jsonl", "-o", str(out)]
        small += ["--jobs", "1"]
        peaks[backend] = timed(small, child_env(backend))[2]
    if args.memory_mb:
        large = tmp / f"large.{fmt}"
        WRITERS[fmt](records, args.memory_mb, large)
        backend = available_backends()[0]
        command = ["trial-linker", "extract", str(large), "--format", "jsonl", "-o", os.devnull]
        command += ["--jobs", "1"]  # one process's memory
        wall, cpu, peak = timed(command, child_env(backend))
        print(
            f"peak MB of extract ({backend}): {peaks_full[backend]:.0f} at {megabytes:.0f} MB, "
            f"{peak:.0f} at {large.stat().st_size / 1e6:.0f} MB "
            f"({wall:.1f} s wall, {cpu:.1f} s cpu)"
        )
        large.unlink()
    same = len(set(outputs.values())) == 1
    found = outputs["re"].count(b"\n")
    print(f"identifier rows: {found}; identical bytes from every backend: {same}")
    print(
        "peak MB at a quarter of the input: "
        + ", ".join(f"{backend} {peak:.0f}" for backend, peak in peaks.items())
    )
    if fmt == "jsonl":
        print(f"floor: json.loads of every line alone {json_decoding_alone(path):.2f} s")
        grep = shutil.which("grep")
        if grep:
            wall, _, _ = timed([grep, "-E", "-c", r"NCT[0-9]{8}|ISRCTN[0-9]{8}", str(path)])
            print(f"floor: grep -E -c {wall:.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description="end-to-end extraction benchmark")
    parser.add_argument("--size-mb", type=float, default=100.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="jsonl,xml,medline")
    parser.add_argument("--memory-mb", type=float, default=0.0, help="also a list this large")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--naive", nargs=3, metavar=("FMT", "IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.naive:
        fmt, source, target = args.naive
        naive(fmt, Path(source), Path(target), args.shared)
        return 0
    if not (args.shared / "data-real" / "abstracts").exists():
        print(f"skipped: real abstracts not available under {args.shared}")
        return 0
    records = real_records(args.shared)
    writers = WRITERS
    names = {"jsonl": "JSON Lines", "xml": "PubMed XML", "medline": "MEDLINE"}
    print(f"backends installed: {', '.join(available_backends())}; median of {args.repeat}")
    with tempfile.TemporaryDirectory() as directory:
        tmp = Path(directory)
        for fmt in args.formats.split(","):
            path, quarter = tmp / f"list.{fmt}", tmp / f"quarter.{fmt}"
            writers[fmt](records, args.size_mb, path)
            writers[fmt](records, args.size_mb / 4, quarter)
            run_format(names[fmt], fmt, path, quarter, tmp, args, records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
