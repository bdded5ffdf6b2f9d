"""``trial-linker report``: render a saved JSON result in any format, with no network."""

from __future__ import annotations

from pathlib import Path

import click

from linker.cli.outputs import output_options, pair_outputs, write_outputs
from linker.report.load import load_result


@click.command("report")
@click.argument(
    "result_file", metavar="RESULT.json", type=click.Path(dir_okay=False, path_type=Path)
)
@output_options
def report_command(
    result_file: Path,
    formats: tuple[str, ...],
    outputs: tuple[Path, ...],
    csv_rows: str,
    max_annotations: int,
) -> int:
    """Render a result saved by `check --format json` as text, HTML, SARIF, ..."""
    pairs = pair_outputs(formats, outputs)
    write_outputs(load_result(result_file), pairs, csv_rows, max_annotations)
    return 0
