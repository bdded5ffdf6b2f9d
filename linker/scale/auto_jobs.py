"""``extract --jobs auto``, its default: one process per CPU this run may use, where the input
is large enough to pay for starting them; else one, as ``--jobs 1``.

A worker costs about 0.3 s of CPU to start (a fresh interpreter, the extractor imported) and a
file is scanned once for its record starts before it is split (:mod:`linker.scale.split`). On
the 2-core development machine two processes first won on JSON Lines between 25 and 50 MB of
identifiers-only extraction (0.46 s against 0.53 s at 25 MB, 0.80 against 0.68 at 50) and,
with ``--publications`` (the classifier: twenty times the work a byte), between 1 and 3 MB
(0.75 against 0.75 s at 1 MB, 1.65 against 1.22 at 3): hence the two thresholds. Sizes are
those on disk, so a compressed file counts for less than it holds (fewer processes, never
more than pay). Results are the same whatever the number (``tests/scale/test_split_runs.py``).

A process pool holds each task's output rows until the task ends, where one process writes
them as they come. So auto stays at one process when a file over the largest part
(:func:`linker.scale.split.part_limit`: 64 MB, 8 MB with ``--publications``) cannot be cut
into parts of that size: a large CSV, TSV, BibTeX, JSON or text list, or a large gzip file.
Its rows would otherwise be held whole.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

AUTO = "auto"
MIN_BYTES_IDENTIFIERS = 40 << 20
MIN_BYTES_PUBLICATIONS = 2 << 20


# Where a container's CPU quota is written (cgroup v2, then v1): "quota period" in one file,
# or each in its own; a quota of "max" or -1 is none.
CPU_QUOTA_FILES = (
    (Path("/sys/fs/cgroup/cpu.max"), None),
    (Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"), Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")),
)


def usable_cpus() -> int:
    """The CPUs this process may run on: its affinity where the system tells it, and no more
    than a container's CPU quota allows (a CI runner's ``--cpus 1`` on a larger host)."""
    if hasattr(os, "sched_getaffinity"):
        cpus = len(os.sched_getaffinity(0)) or 1
    else:
        cpus = os.cpu_count() or 1
    quota = cpu_quota()
    return max(1, min(cpus, quota)) if quota is not None else cpus


def cpu_quota() -> int | None:
    """The CPUs a cgroup quota allows (rounded up), None where there is none or none is read."""
    for quota_file, period_file in CPU_QUOTA_FILES:
        try:
            fields = quota_file.read_text().split()
            if period_file is not None:
                fields += period_file.read_text().split()
            quota, period = int(fields[0]), int(fields[1])
        except (OSError, ValueError, IndexError):
            continue  # absent, "max" (none) or unreadable: the next place
        if quota > 0 and period > 0:
            return -(-quota // period)
        return None  # -1: no quota
    return None


def auto_jobs(
    sources: Sequence[str],
    *,
    publications: bool,
    fmt: str | None = None,
    cpus: int | None = None,
) -> int:
    """How many processes ``extract --jobs auto`` reads ``sources`` (of format ``fmt``, or
    each its own) in."""
    cpus = usable_cpus() if cpus is None else cpus
    if cpus < 2 or "-" in sources:
        return 1
    sizes = [_regular_size(source) for source in sources]
    least = MIN_BYTES_PUBLICATIONS if publications else MIN_BYTES_IDENTIFIERS
    if sum(sizes) < least:
        return 1
    from linker.scale import split  # only for an input this large: start-up

    largest = split.part_limit(publications)
    for source, size in zip(sources, sizes, strict=True):
        if size > largest and not split.bounded_parts(source, fmt):
            return 1
    return cpus


def _regular_size(source: str) -> int:
    """The size of a regular file, 0 for anything else (a pipe: it cannot be split)."""
    try:
        status = Path(source).stat()
    except OSError:
        return 0
    return status.st_size if stat.S_ISREG(status.st_mode) else 0
