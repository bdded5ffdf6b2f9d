"""``trial-linker snapshot``: import registry bulk data into a snapshot, and describe one."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from linker.cli.common import warn
from linker.models import Registry
from linker.snapshot.imports import IMPORTABLE, import_source, snapshot_sources

_REGISTRIES = click.Choice([r.value for r in IMPORTABLE])


@click.group("snapshot")
def snapshot_group() -> None:
    """Registry snapshots: answer identifiers from bulk copies instead of the live registries."""


@snapshot_group.command("import")
@click.argument("registry", type=_REGISTRIES)
@click.argument("source", type=click.Path(path_type=Path))
@click.option(
    "--into",
    "into",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The snapshot file to create or update (SQLite).",
)
@click.option(
    "--date",
    "data_date",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The data date of SOURCE (default: the latest date found in it; required for "
    "recorded stores).",
)
@click.option(
    "--complete",
    is_flag=True,
    default=False,
    help="SOURCE is a whole CT.gov copy, however few its studies (default: a download of "
    "fewer than 400,000 studies is taken for a filtered one, whose absent ids may exist).",
)
def import_command(
    registry: str, source: Path, into: Path, data_date: datetime | None, complete: bool
) -> int:
    """Import SOURCE as REGISTRY's part of the snapshot.

    \b
    ctgov   the CT.gov download (studies?format=json.zip) or the AACT flat files (folder or zip)
    isrctn  an ISRCTN API answer of all trials (XML), or a recorded store
    euctr   a recorded store (a --record folder)
    ctis    a recorded store
    """
    result = import_source(
        Registry(registry),
        source,
        into,
        data_date=data_date.date() if data_date else None,
        complete=True if complete else None,
    )
    info = result.source
    if result.unanswered:
        warn(
            f"{len(result.unanswered)} identifier(s) the store could not answer were left out "
            f"(first: {result.unanswered[0]})"
        )
    extent = "complete" if info.complete else "partial: ids it lacks are asked elsewhere"
    click.echo(
        f"{registry}: {info.records} records from {info.source} ({result.kind}), "
        f"data date {info.data_date.isoformat()}, {extent}; into {into}",
        err=True,
    )
    return 0


@snapshot_group.command("info")
@click.argument("snapshot", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def info_command(snapshot: Path, fmt: str) -> int:
    """Each registry's record count and data date in SNAPSHOT."""
    sources = snapshot_sources(snapshot)
    if fmt == "json":
        document: list[dict[str, Any]] = [
            {
                "registry": s.registry.value,
                "records": s.records,
                "data_date": s.data_date.isoformat(),
                "complete": s.complete,
                "source": s.source,
                "imported_at": s.imported_at.isoformat(),
            }
            for s in sources.values()
        ]
        click.echo(json.dumps(document, indent=2))
        return 0
    if not sources:
        click.echo(f"{snapshot}: empty snapshot")
    for s in sources.values():
        extent = "complete" if s.complete else "partial"
        click.echo(
            f"{s.registry.value:7} {s.records:>9} records  data date {s.data_date.isoformat()}  "
            f"{extent:8}  from {s.source} (imported {s.imported_at.isoformat()})"
        )
    return 0
