"""Executors for the per-file function: in process, a process pool (``--jobs N``), or a Dask
cluster (``--dask ADDRESS``). Nothing else schedules work: each executor maps
:func:`~linker.scale.job.check_file` over the files and yields the results in input order.

The pool is :mod:`linker.scale.pool`: this process and ``jobs - 1`` spawned workers. Dask is
an optional extra (``pip install 'trial-linker[dask]'``); its workers need trial-linker
installed and must see the input, snapshot and shard paths (a shared file system).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from linker.errors import ConfigError
from linker.readers.part import FilePart
from linker.scale.job import FileJob, FileResult, check_file
from linker.scale.pool import shared_map

_SHARD = re.compile(r"(\d+)/(\d+)")


@dataclass(frozen=True)
class Execution:
    """How to spread the files: ``jobs`` processes, or the Dask scheduler at ``dask``
    (``local`` starts a cluster on this machine with ``jobs`` workers)."""

    jobs: int = 1
    dask: str | None = None


def parse_shard(value: str) -> tuple[int, int]:
    """``K/N`` (1 <= K <= N) as (K, N); ConfigError otherwise."""
    match = _SHARD.fullmatch(value.strip())
    if match is None or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise ConfigError(f"--shard {value!r}: expected K/N with 1 <= K <= N, e.g. 2/8")
    return int(match.group(1)), int(match.group(2))


def select_shard(sources: Sequence[str], shard: tuple[int, int] | None) -> list[str]:
    """Every N-th file from the K-th on: shards 1/N..N/N together cover every file once."""
    if shard is None:
        return list(sources)
    k, n = shard
    return list(sources[k - 1 :: n])


def map_files(
    sources: Sequence[str | FilePart] | Callable[[], Sequence[str | FilePart]],
    job: FileJob,
    execution: Execution,
    *,
    start_first: int | None = None,
) -> Iterator[FileResult]:
    """:func:`check_file` for every source (a file, or a part of one), results in order;
    ``sources`` may be their plan (see :func:`~linker.scale.pool.shared_map`)."""
    if execution.dask is not None:
        yield from _on_dask(sources() if callable(sources) else sources, job, execution)
    else:
        yield from shared_map(check_file, sources, job, execution.jobs, start_first=start_first)


def _on_dask(
    sources: Sequence[str | FilePart], job: FileJob, execution: Execution
) -> Iterator[FileResult]:
    try:
        # Imported as a plain module object: an optional extra, used through a few calls.
        distributed: Any = importlib.import_module("distributed")
    except ImportError:
        raise ConfigError("--dask needs the dask extra: pip install 'trial-linker[dask]'") from None
    cluster: Any = None
    address: Any = execution.dask
    if address == "local":
        cluster = distributed.LocalCluster(
            n_workers=max(execution.jobs, 1), threads_per_worker=1, dashboard_address=None
        )
        address = cluster
    try:
        client = distributed.Client(address, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        if cluster is not None:
            cluster.close()
        raise ConfigError(
            f"--dask {execution.dask}: cannot reach the scheduler ({error})"
        ) from None
    try:
        futures = client.map(check_file, list(sources), job=job, pure=False)
        for future in futures:
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
