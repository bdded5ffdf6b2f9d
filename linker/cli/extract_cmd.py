"""``trial-linker extract``: every identifier mention (or every publication), no network."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from linker.cli.common import (
    input_options,
    parse_columns,
    refuse_outputs_over_inputs,
    sources_or_stdin,
    stdout_is_terminal,
    warn,
)
from linker.cli.jobs_option import auto_jobs_option, jobs_for
from linker.cli.output_files import open_output, write_text
from linker.lean import ListOptions, RowList, extract_into
from linker.readers.fastjson import dumps_line
from linker.report.disk_rows import RowSpool, cell
from linker.report.escape import csv_line, terminal
from linker.scale.auto_jobs import AUTO, auto_jobs

MENTION_FIELDS = (
    "publication", "registry", "id", "raw", "file", "line", "column", "end_line", "end_column",
    "field", "role", "valid_format", "format_problem", "sentence",
)  # fmt: skip
PUBLICATION_FIELDS = (
    "key", "title", "file", "line", "classification", "evidence", "trial_names", "identifiers",
)  # fmt: skip


if TYPE_CHECKING:
    from linker.lean_publications import RowSink
    from linker.pipeline import Extracted, ReadOptions


def mention_rows(item: Extracted) -> list[dict[str, Any]]:
    return [{name: getattr(m, name) for name in MENTION_FIELDS} for m in item.mentions]


def publication_row(item: Extracted) -> dict[str, Any]:
    from linker.lean_publications import mention_ids, publication_row

    assert item.report is not None  # --publications classifies
    return publication_row(item.publication, mention_ids(item.mentions), item.report)


# The terminal table keeps what fits a screen; jsonl and csv carry every field.
HIDDEN_IN_TABLE = frozenset(
    {"sentence", "evidence", "end_line", "end_column", "format_problem", "file", "raw"}
)


def _table_cell(value: Any) -> str:
    value = cell(value)
    if isinstance(value, bool):
        return "true" if value else "false"  # as in JSON and the check reports
    return terminal("" if value is None else str(value))


def render(rows: list[dict[str, Any]], fields: Sequence[str], fmt: str) -> str:
    """Rows as JSON Lines, CSV or a rich table."""
    if fmt == "jsonl":
        return "".join(dumps_line({k: r.get(k) for k in fields}) for r in rows)
    if fmt == "csv":
        return csv_line(fields) + "".join(csv_line(cell(r.get(k)) for k in fields) for r in rows)
    from rich.console import Console  # the table only: rich is slow to import
    from rich.table import Table

    shown = [f for f in fields if f not in HIDDEN_IN_TABLE]
    table = Table(*shown)
    for row in rows:
        table.add_row(*(_table_cell(row.get(c)) for c in shown))
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=160,
        force_terminal=stdout_is_terminal(),
        markup=False,
        highlight=False,
        emoji=False,
    )
    console.print(table)
    return buffer.getvalue()


@click.command("extract")
@input_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "table"]),
    default=None,
    help="Output format (default: csv for an --output named .csv, else table on a terminal, "
    "jsonl otherwise).",
)
@click.option(
    "--publications", is_flag=True, help="One record per publication instead of per identifier."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True),
    default=None,
    help="Write to this file instead of standard output.",
)
@auto_jobs_option
def extract_command(
    files: tuple[str, ...],
    input_format: str | None,
    columns: tuple[str, ...],
    max_record_size: int,
    fmt: str | None,
    publications: bool,
    output: str | None,
    jobs: int | str,
) -> int:
    """Find every trial registration identifier in publication lists (no network)."""
    read = ListOptions(
        fmt=input_format, columns=parse_columns(columns), max_record_size=max_record_size
    )
    target = Path(output) if output else None
    fmt = fmt or _format_for(target)
    sources = sources_or_stdin(files)
    refuse_outputs_over_inputs(sources, [target])
    fields = PUBLICATION_FIELDS if publications else MENTION_FIELDS
    # auto (the default) decides alone, and quietly, that standard input is read in one process
    chosen = (
        auto_jobs(sources, publications=publications, fmt=input_format)
        if jobs == AUTO
        else int(jobs)
    )
    processes = jobs_for(sources, chosen, warn)
    if fmt == "table":  # a screenful: rows collected for the table
        rows = RowList()
        if processes > 1:
            _pooled(sources, read, publications, processes, rows)
        elif publications:
            rows = _publication_rows(files, read)
        else:
            for item in _extracted(files, read, classify=False):
                rows.extend(mention_rows(item))
        write_text(target, render(rows, fields, fmt))
        return 0
    # Rows are written as they come, into a spool (memory, then disk), and copied out once
    # every input has been read: a bad input leaves nothing half-written.
    with RowSpool(fmt, fields) as spool:
        if processes > 1:
            _pooled(sources, read, publications, processes, spool)
        elif publications:
            from linker.lean_publications import publications_into

            publications_into(sources, read, warn, spool)
        else:
            extract_into(sources, read, warn, spool)
        with open_output(target) as stream:
            spool.copy_to(stream)
    return 0


def _format_for(target: Path | None) -> str:
    """The output format when --format is not given: CSV for an --output named ``.csv``, a
    table on a terminal, JSON Lines otherwise."""
    if target is not None and target.suffix.lower() == ".csv":
        return "csv"
    return "table" if stdout_is_terminal() and target is None else "jsonl"


def _publication_rows(files: tuple[str, ...], read: ListOptions) -> RowList:
    from linker.lean_publications import publications_into

    rows = RowList()
    publications_into(sources_or_stdin(files), read, warn, rows)
    return rows


def _pipeline_options(read: ListOptions) -> ReadOptions:
    from linker.pipeline import ReadOptions  # not needed by lean extraction

    return ReadOptions(fmt=read.fmt, columns=read.columns, max_record_size=read.max_record_size)


def _extracted(files: tuple[str, ...], read: ListOptions, *, classify: bool) -> Iterator[Extracted]:
    from linker.pipeline import iter_extracted

    options = _pipeline_options(read)
    yield from iter_extracted(sources_or_stdin(files), options, warn, classify=classify)


def _pooled(
    sources: list[str], read: ListOptions, publications: bool, jobs: int, sink: RowSink
) -> None:
    """With ``--jobs N`` (2 or more): the rows into ``sink``, from a process pool over the
    files and parts of large ones (:mod:`linker.scale.extract_job`)."""
    from linker.scale.extract_job import ExtractJob, extract_rows

    extract_rows(sources, ExtractJob(read, MENTION_FIELDS, publications), jobs, warn, sink)
