"""``--format``/``--output`` pairs: several reports from one run, written only on success."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from linker.cli.output_files import open_output, write_text
from linker.report.interface import OutputFormat, reporter_for
from linker.results import RunResult

F = TypeVar("F", bound=Callable[..., Any])
__all__ = [
    "FORMAT_BY_EXTENSION",
    "format_from_extension",
    "open_output",
    "output_options",
    "pair_outputs",
    "write_outputs",
    "write_text",
]
FORMAT_NAMES = [f.value for f in OutputFormat]


def output_options(command: F) -> F:
    command = click.option(
        "--max-annotations",
        type=click.IntRange(min=0),
        default=50,
        show_default=True,
        help="github: annotations at most (errors first), then one summary notice.",
    )(command)
    command = click.option(
        "--csv-rows",
        type=click.Choice(["findings", "identifiers"]),
        default="findings",
        help="csv: one row per finding (default) or per identifier.",
    )(command)
    command = click.option(
        "-o",
        "--output",
        "outputs",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report of the --format at the same position to this file.",
    )(command)
    return click.option(
        "--format",
        "formats",
        multiple=True,
        type=click.Choice(FORMAT_NAMES),
        help="Report format; repeat with --output for several reports (default: text).",
    )(command)


#: ``-o FILE`` without a ``--format`` at its position: the format its extension names.
FORMAT_BY_EXTENSION: dict[str, OutputFormat] = {
    ".txt": OutputFormat.TEXT,
    ".json": OutputFormat.JSON,
    ".csv": OutputFormat.CSV,
    ".md": OutputFormat.MARKDOWN,
    ".markdown": OutputFormat.MARKDOWN,
    ".html": OutputFormat.HTML,
    ".htm": OutputFormat.HTML,
    ".xml": OutputFormat.JUNIT,
    ".sarif": OutputFormat.SARIF,
}


def format_from_extension(path: Path) -> OutputFormat:
    """The format ``path``'s extension names; a usage error for any other extension."""
    fmt = FORMAT_BY_EXTENSION.get(path.suffix.lower())
    if fmt is None:
        known = " ".join(sorted(FORMAT_BY_EXTENSION))
        raise click.UsageError(
            f"{path}: cannot tell the report format from the extension "
            f"{path.suffix or '(none)'!r}; give --format (extensions known: {known})"
        )
    return fmt


def pair_outputs(
    formats: tuple[str, ...], outputs: tuple[Path, ...]
) -> list[tuple[OutputFormat, Path | None]]:
    """Pair the n-th --format with the n-th --output; an --output without a --format at its
    position takes the format from its extension; formats without a file go to stdout."""
    pairs: list[tuple[OutputFormat, Path | None]] = [
        (OutputFormat(fmt), outputs[i] if i < len(outputs) else None)
        for i, fmt in enumerate(formats)
    ]
    pairs += [(format_from_extension(path), path) for path in outputs[len(formats) :]]
    if not pairs:
        pairs = [(OutputFormat.TEXT, None)]
    if sum(1 for _, path in pairs if path is None) > 1:
        raise click.UsageError("only one --format can go to standard output; add --output")
    return pairs


# Lone surrogates (from file names that are not UTF-8) become "?" instead of failing the write.


def write_outputs(
    result: RunResult,
    pairs: list[tuple[OutputFormat, Path | None]],
    csv_rows: str,
    max_annotations: int | None = None,
) -> None:
    """Render ``result`` once per (format, file) pair; a file of None is standard output."""
    color = sys.stdout.isatty()  # the text reporter also honours NO_COLOR
    for fmt, path in pairs:
        reporter = reporter_for(
            fmt, color=color and path is None, csv_rows=csv_rows, max_annotations=max_annotations
        )
        with open_output(path) as stream:
            reporter.write(result, stream)
