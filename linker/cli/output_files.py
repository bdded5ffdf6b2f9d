"""Output files written whole or not at all: a temporary file renamed over the target, or
standard output (kept apart from :mod:`linker.cli.outputs` so that writing needs none of the
reporters)."""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from linker.errors import OutputError

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
