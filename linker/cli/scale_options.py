"""``check``'s options for many files: ``--jobs``, ``--dask``, ``--shard``, ``--shard-dir``."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from linker.cli.common import warn
from linker.cli.jobs_option import jobs_option
from linker.cli.run_options import RunSettings
from linker.errors import ConfigError
from linker.pipeline import CheckOptions
from linker.results import RunResult
from linker.run_settings import describe_run
from linker.scale.executors import Execution, map_files, parse_shard, select_shard
from linker.scale.job import CacheSpec, FileJob, check_file
from linker.scale.merge import merge_file_results
from linker.scale.split import pool_tasks

F = TypeVar("F", bound=Callable[..., Any])

SCALE_OPTIONS = (
    jobs_option,
    click.option(
        "--dask",
        metavar="ADDRESS",
        envvar="TRIAL_LINKER_DASK",
        help="Check input files on this Dask scheduler (tcp://host:8786; 'local' starts a "
        "cluster of --jobs workers here). Needs the [dask] extra.",
    ),
    click.option(
        "--shard",
        metavar="K/N",
        help="Check only every N-th input file from the K-th on (job arrays).",
    ),
    click.option(
        "--shard-dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Write one result shard per input file here, named by its content hash; "
        "files with a finished shard are skipped. Combine them with `merge`.",
    ),
)


def scale_options(command: F) -> F:
    for option in reversed(SCALE_OPTIONS):
        command = option(command)
    return command


@dataclass(frozen=True)
class ScaleFlags:
    jobs: int = 1
    dask: str | None = None
    shard: str | None = None
    shard_dir: Path | None = None

    @property
    def wanted(self) -> bool:
        """Whether the run goes through the per-file executors."""
        return self.jobs > 1 or bool(self.dask) or bool(self.shard) or self.shard_dir is not None


def run_scaled(
    sources: list[str],
    options: CheckOptions,
    run: RunSettings,
    flags: ScaleFlags,
    on_warning: Callable[[str], None] | None = warn,
) -> RunResult:
    """Check ``sources`` file by file with the chosen executor; one merged result."""
    if run.record is not None:
        raise ConfigError("--record cannot be combined with --jobs, --dask, --shard or --shard-dir")
    if "-" in sources:
        raise ConfigError("standard input cannot be sent to Dask or split into shards: give files")
    selected = select_shard(sources, parse_shard(flags.shard) if flags.shard else None)
    cache = (
        CacheSpec(directory=run.config.cache_dir, max_age=run.config.max_cache_age)
        if run.cache is not None
        else None
    )
    job = FileJob(
        options=dataclasses.replace(options, cache=None),
        cache=cache,
        shard_dir=str(flags.shard_dir) if flags.shard_dir is not None else None,
    )
    execution = Execution(jobs=flags.jobs, dask=flags.dask or None)
    # Parts of files for the pool only: a shard and a Dask task are a whole file.
    splits = flags.jobs > 1 and not flags.dask and flags.shard_dir is None
    tasks, first = pool_tasks(selected, options.read.fmt, flags.jobs) if splits else (selected, 0)
    results = map_files(tasks, job, execution, start_first=first)
    merged = merge_file_results(
        selected, results, on_warning=on_warning, rerun=lambda source: check_file(source, job)
    )
    today = options.today or datetime.now(UTC).date()
    # Described as a plain run of the same files would be (the parent's cache, not a worker's).
    return merged.model_copy(update={"settings": describe_run(options, today, merged.publications)})
