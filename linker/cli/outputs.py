"""``--format``/``--output`` pairs: several reports from one run, written only on success."""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TextIO, TypeVar

import click

from linker.errors import OutputError
from linker.report.interface import OutputFormat, reporter_for
from linker.results import RunResult

F = TypeVar("F", bound=Callable[..., Any])
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
ENCODING, ERRORS, NEWLINE = "utf-8", "replace", ""
STDOUT = "standard output"


@contextmanager
def open_output(path: Path | None) -> Iterator[TextIO]:
    """A text stream to ``path`` (None or ``-``: standard output), committed on success.

    A regular file, or a path that does not exist yet, is written atomically: a temporary file
    in the same directory, renamed over the target once complete and given the target's mode
    (new files get 0666 less the umask), so a failed run never leaves half a report. Anything
    else (a device such as ``/dev/null``, a FIFO, a symlink, a file with several hard links)
    is opened and written in place, never replaced. Every failure is an :class:`OutputError`
    naming the path and the reason.
    """
    if path is None or str(path) == "-":
        with _stdout() as stream:
            yield stream
        return
    existing = _lstat(path)
    if existing is not None and not _replaceable(existing):
        with (
            _failures(str(path)),
            path.open("w", encoding=ENCODING, errors=ERRORS, newline=NEWLINE) as stream,
        ):
            yield stream
        return
    with _failures(str(path)):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    temporary = Path(name)
    try:
        with _failures(str(path)):
            with os.fdopen(
                handle, "w", encoding=ENCODING, errors=ERRORS, newline=NEWLINE
            ) as stream:
                yield stream
            mode = stat.S_IMODE(existing.st_mode) if existing else 0o666 & ~_umask()
            temporary.chmod(mode)
            temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_text(path: Path | None, text: str) -> None:
    """Write the whole of ``text`` to ``path`` as :func:`open_output` does."""
    with open_output(path) as stream:
        stream.write(text)


def _lstat(path: Path) -> os.stat_result | None:
    try:
        return path.lstat()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OutputError(str(path), error.strerror or str(error)) from error


def _replaceable(status: os.stat_result) -> bool:
    return stat.S_ISREG(status.st_mode) and status.st_nlink <= 1


@contextmanager
def _failures(where: str) -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(where, error.strerror or str(error)) from error


@contextmanager
def _stdout() -> Iterator[TextIO]:
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding=ENCODING, errors=ERRORS, newline=NEWLINE)
    try:
        with _failures(STDOUT):
            yield stream
            stream.flush()
    except OutputError:
        _discard_stdout()
        raise
    finally:
        with suppress(OSError, ValueError):
            stream.detach()


def _discard_stdout() -> None:
    """After a failed write nothing more can reach standard output; point it at the null
    device so that the interpreter's final flush does not fail again (exit 120)."""
    with suppress(OSError, ValueError, io.UnsupportedOperation):
        descriptor = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


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
