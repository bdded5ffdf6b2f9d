"""``extract``'s output rows, written as they are produced into a spool (memory up to a few
megabytes, then a temporary file), copied to the output once the run has succeeded."""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from linker.cli.output_files import open_output
from linker.models import Mention
from linker.readers.fastjson import dumps_line_bytes
from linker.report.escape import Cell, csv_line

_IN_MEMORY = 8 * 1024 * 1024


class RowSpool:
    """JSON Lines or CSV rows of ``fields``; mentions by file, so that a file's rows can be
    taken back (see :class:`linker.lean.MentionSink`)."""

    def __init__(self, fmt: str, fields: Sequence[str]) -> None:
        self._fields = tuple(fields)
        self._jsonl = fmt == "jsonl"
        self._file = tempfile.SpooledTemporaryFile(max_size=_IN_MEMORY, mode="w+b")  # noqa: SIM115 (closed by __exit__)
        self._file_start = 0
        if not self._jsonl:
            self._file.write(csv_line(self._fields).encode("utf-8"))

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._file.close()

    def write_row(self, row: dict[str, Any]) -> None:
        fields = self._fields
        if self._jsonl:
            self._file.write(dumps_line_bytes({name: row.get(name) for name in fields}))
        else:
            self._file.write(csv_line(cell(row.get(name)) for name in fields).encode("utf-8"))

    def add(self, mentions: list[Mention]) -> None:
        for mention in mentions:
            self.write_row({name: getattr(mention, name) for name in self._fields})

    def start_file(self) -> None:
        self._file_start = self._file.tell()

    def forget_file(self) -> None:
        self._file.seek(self._file_start)
        self._file.truncate()

    def copy_to(self, path: Path | None) -> None:
        """Everything written, to ``path`` (None: standard output), as one output."""
        self._file.seek(0)
        text = io.TextIOWrapper(self._file, encoding="utf-8", newline="")
        try:
            with open_output(path) as stream:
                shutil.copyfileobj(text, stream)
        finally:
            text.detach()


def cell(value: Any) -> Cell:
    """A row's value as a CSV or table cell: lists joined with "; "."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)
