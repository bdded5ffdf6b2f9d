"""Options and output helpers shared by the commands."""

from __future__ import annotations

import stat
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from linker.limits import DEFAULT_MAX_RECORD_SIZE, parse_size
from linker.readers import FORMATS
from linker.readers.sources import expand_sources
from linker.report.escape import terminal

F = TypeVar("F", bound=Callable[..., Any])


def warn(message: str) -> None:
    click.echo(f"trial-linker: warning: {terminal(message)}", err=True)


def parse_columns(values: tuple[str, ...]) -> dict[str, str]:
    """``--column NAME=COLUMN`` pairs into a mapping."""
    columns: dict[str, str] = {}
    for value in values:
        name, sep, column = value.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise click.BadParameter(f"expected NAME=COLUMN, got {value!r}", param_hint="--column")
        columns[name.strip().lower()] = column.strip()
    return columns


if TYPE_CHECKING:
    _IntParam = click.ParamType[int]
else:  # subscriptable at run time only in recent click
    _IntParam = click.ParamType


class SizeType(_IntParam):
    name = "size"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        try:
            return parse_size(str(value))
        except ValueError as error:
            self.fail(str(error), param, ctx)


def input_options(command: F) -> F:
    """FILES (or - for stdin), --input-format, --column and --max-record-size."""
    command = click.option(
        "--max-record-size",
        type=SizeType(),
        default=DEFAULT_MAX_RECORD_SIZE,
        show_default="10MB",
        metavar="SIZE",
        help="Refuse a record (or line) larger than this, e.g. 500k, 10MB, 1G.",
    )(command)
    command = click.option(
        "--column",
        "columns",
        multiple=True,
        metavar="NAME=COLUMN",
        help="CSV/JSON: read field NAME (title, abstract, doi, pmid, id, year) from COLUMN.",
    )(command)
    command = click.option(
        "--input-format",
        type=click.Choice(FORMATS),
        default=None,
        help="Input format (default: detected from the content).",
    )(command)
    return click.argument("files", nargs=-1, metavar="[FILES|-]")(command)


def sources_or_stdin(files: tuple[str, ...]) -> list[str]:
    """The input files (folders and globs expanded), or ``-`` when reading standard input."""
    if files:
        return expand_sources(files)
    if sys.stdin is None or sys.stdin.isatty():
        raise click.UsageError("no input: give FILES, or - to read standard input")
    return ["-"]


def refuse_outputs_over_inputs(sources: Iterable[str], outputs: Iterable[Path | None]) -> None:
    """A usage error (exit 2) when an output file is one of the input files (the same file by
    any name or link): its report, renamed over it at the end, would replace the list."""
    inputs = {_identity(source) for source in sources if source != "-"} - {None}
    for path in outputs:
        if path is not None and str(path) != "-" and _identity(str(path)) in inputs:
            raise click.UsageError(
                f"--output {path} is also an input: the report would replace the publication list"
            )


def _identity(path: str) -> tuple[int, int] | None:
    """A regular file's device and inode (None: absent, or not a regular file)."""
    try:
        status = Path(path).stat()
    except (OSError, ValueError):
        return None
    return (status.st_dev, status.st_ino) if stat.S_ISREG(status.st_mode) else None


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
