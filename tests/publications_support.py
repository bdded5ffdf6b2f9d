"""``extract --publications`` read lean against the reference path: the output bytes, warnings
and error of a file read each way (import as ``from publications_support import ...``). The
reference is the pipeline (:func:`linker.pipeline.iter_extracted`) with the command's row of
each :class:`~linker.pipeline.Extracted`."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from linker.cli.extract_cmd import PUBLICATION_FIELDS, publication_row
from linker.errors import InputError
from linker.lean import ListOptions
from linker.lean_publications import RowSink, publications_into, read_lean
from linker.pipeline import ReadOptions, iter_extracted

#: Output bytes, warnings and the error (or None).
Outcome = tuple[bytes, list[str], str | None]


def outcome(
    path: Path, lean: bool, options: ListOptions | None = None, fmt: str = "jsonl"
) -> Outcome:
    """``path``'s ``--publications`` output (``fmt``: jsonl or csv) read the lean way (falling
    back as the command does) or the reference way."""
    from linker.report.disk_rows import RowSpool

    options = options or ListOptions()
    warnings: list[str] = []
    error = None
    read = ReadOptions(
        fmt=options.fmt, columns=options.columns, max_record_size=options.max_record_size
    )
    with RowSpool(fmt, PUBLICATION_FIELDS) as spool:
        try:
            if lean:
                publications_into([str(path)], options, warnings.append, spool)
            else:
                for item in iter_extracted([str(path)], read, warnings.append, classify=True):
                    spool.write_row(publication_row(item))
        except InputError as raised:
            error = str(raised)
        out = io.StringIO()
        spool.copy_to(out)
    return out.getvalue().encode("utf-8"), warnings, error


def assert_same(
    path: Path, options: ListOptions | None = None, formats: tuple[str, ...] = ("jsonl", "csv")
) -> None:
    """Lean and reference give the same bytes, warnings and error in each of ``formats``."""
    for fmt in formats:
        assert outcome(path, True, options, fmt) == outcome(path, False, options, fmt)


class _Discard:
    def write_row(self, row: object) -> None:
        pass

    def start_file(self) -> None:
        pass

    def forget_file(self) -> None:
        pass


def lean_read(path: Path, options: ListOptions | None = None) -> bool:
    """Whether the lean reader read ``path`` to its end (no fallback)."""
    sink: RowSink = _Discard()
    ignore: Callable[[str], None] = lambda _: None  # noqa: E731
    return read_lean(str(path), options or ListOptions(), ignore, sink) is not None
