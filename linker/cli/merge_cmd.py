"""``trial-linker merge``: combine the shards of a sharded ``check`` into one result."""

from __future__ import annotations

from pathlib import Path

import click

from linker.cli.common import warn
from linker.cli.outputs import open_output, output_options, pair_outputs, write_outputs
from linker.errors import InputError
from linker.scale.merge import merge_shards
from linker.scale.shards import shard_files
from linker.scale.summary import count, render_html, render_markdown, write_table


@click.command("merge")
@click.argument("shards", nargs=-1, required=True, metavar="SHARDS...")
@output_options
@click.option(
    "--summary",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write counts per rule, registry and year (.md Markdown, .html HTML): the report "
    "for audits too large to list.",
)
@click.option(
    "--table",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write one row per publication (.csv, or .parquet with the [parquet] extra).",
)
def merge_command(
    shards: tuple[str, ...],
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    csv_rows: str,
    max_annotations: int,
    summary: Path | None,
    table: Path | None,
) -> int:
    """Combine result shards (files, or folders of them) written by `check --shard-dir`:
    PubMed deletions and later citation versions applied across them, in input-name order."""
    files = shard_files(shards)
    if not files:
        raise InputError(" ".join(shards), "no shards here (*.jsonl.gz)")
    pairs = pair_outputs(formats, outputs) if formats or outputs or not (summary or table) else []
    result = merge_shards(files, warn)
    if pairs:
        write_outputs(result, pairs, csv_rows, max_annotations)
    if summary is not None:
        counts = count(result.publications)
        html = summary.suffix.lower() in (".html", ".htm")
        with open_output(summary) as stream:
            stream.write(render_html(result, counts) if html else render_markdown(result, counts))
    if table is not None:
        write_table(table, result.publications)
    return 0
