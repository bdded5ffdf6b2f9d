"""A rerun's reading of an unchanged JSON Lines list: each record as the reader built it on an
earlier run, found by the bytes of its line and its place in the file.

When a run reads a JSON Lines file and the file gives no warning, every record is stored (table
``lines`` of the analysis cache) under a digest of the package's code, the file as named, the
reading options, the line's number, the record's ordinal and the line's bytes. A later run
looks every line of the file up first: when all are found, the file is not parsed at all, and
the stored publications are those the reader would build, since nothing they depend on has
changed. One line not found, and the file is read (and stored) again. Files whose raw lines
may not be the reader's lines one to one are always read: standard input, compressed files,
files with a carriage return or a NUL byte, and any format but JSON Lines.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path

from pydantic import ValidationError

from linker.errors import InputError
from linker.extract.analysis_cache import AnalysisCache, package_fingerprint
from linker.models import Publication
from linker.readers import open_list, read_publications

Warn = Callable[[str], None]
Read = tuple[Publication, bytes]  # a publication and its JSON (``model_dump_json``)

_GZIP_MAGIC = b"\x1f\x8b"
_UNMAPPED = (b"\r", b"\x00")  # a raw line with one of these may not be one line of the reader
_BATCH = 500
MAX_STORED = 20_000  # records of one file held until it is read whole (about 2 kB each)


class _Unmapped(Exception):
    """The file's raw lines cannot stand for the reader's lines."""


class KnownLines:
    """Reading through the stored lines of ``store``, with the reading options of one run."""

    def __init__(
        self,
        store: AnalysisCache,
        *,
        fmt: str | None,
        columns: Mapping[str, str],
        max_record_size: int,
        on_warning: Warn | None,
    ) -> None:
        self.store = store
        self.fmt = fmt
        self.columns = dict(columns)
        self.max_record_size = max_record_size
        self.on_warning = on_warning

    def read(self, source: str) -> Iterator[Read]:
        """The publications of ``source`` in order, as the reader gives them."""
        prefix = self._prefix(source)
        done = 0
        keys = self._known_keys(source, prefix) if prefix is not None else None
        if keys is not None:
            for read in self._stored(keys):
                if read is None:
                    break  # an entry gone or damaged since: the reader gives the rest
                done += 1
                yield read
            else:
                return
        yield from self._read_and_store(source, prefix, skip=done)

    # -- the two ways of reading -----------------------------------------------------------

    def _stored(self, keys: list[bytes]) -> Iterator[Read | None]:
        try:
            for batch in _batches(keys):
                found = self.store.lines(batch)
                for key in batch:
                    encoded = found.get(key, b"")
                    yield Publication.model_validate_json(encoded), encoded
        except ValidationError:  # gone or damaged since it was looked up
            yield None

    def _read_and_store(self, source: str, prefix: bytes | None, *, skip: int) -> Iterator[Read]:
        warnings = [0]

        def counted(message: str) -> None:
            warnings[0] += 1
            if self.on_warning is not None:
                self.on_warning(message)

        lines = self._lines(source, prefix) if prefix is not None and not skip else None
        pending: list[tuple[bytes, bytes]] = []
        publications = read_publications(
            source,
            fmt=self.fmt,
            columns=self.columns or None,
            on_warning=counted,
            max_record_size=self.max_record_size,
        )
        for index, publication in enumerate(publications):
            if index < skip:
                continue
            encoded = publication.model_dump_json().encode()
            yield publication, encoded
            if lines is None:
                continue
            key = _key_of(lines, publication)
            if key is None or len(pending) >= MAX_STORED:
                lines = None  # the lines went another way than the reader's: store none
                pending.clear()
                continue
            pending.append((key, encoded))
        # Stored only once the whole file is read without a warning: warnings come from
        # reading, never from the store.
        if lines is not None and not warnings[0]:
            self.store.store_lines(pending)

    # -- lines and keys -------------------------------------------------------------------

    def _prefix(self, source: str) -> bytes | None:
        """What every key of ``source`` starts with; None when its lines are never stored."""
        if source == "-" or not Path(source).is_file():
            return None
        try:
            with Path(source).open("rb") as raw:
                if raw.read(2) == _GZIP_MAGIC:
                    return None
            opened = open_list(
                source,
                fmt=self.fmt,
                columns=self.columns or None,
                max_record_size=self.max_record_size,
            )
        except (InputError, OSError):
            return None  # the reader says what is wrong, in its own words
        opened.close()
        if opened.reader_name != "jsonl":
            return None
        digest = hashlib.blake2b(key=package_fingerprint()[:32])
        for part in (opened.options.file_name, self.fmt or "", repr(sorted(self.columns.items()))):
            digest.update(part.encode() + b"\0")
        digest.update(str(self.max_record_size).encode())
        return digest.digest()

    def _lines(self, source: str, prefix: bytes) -> Iterator[tuple[int, int, bytes]]:
        """(line number, ordinal, key) of every record line of ``source``; :class:`_Unmapped`
        when a line has a byte that may make the reader see it otherwise."""
        ordinal = 0
        with Path(source).open("rb") as raw:
            for number, line in enumerate(raw, start=1):
                if any(byte in line for byte in _UNMAPPED):
                    raise _Unmapped
                line = line.removesuffix(b"\n")
                if not line.strip(b" \t"):
                    continue
                ordinal += 1
                digest = hashlib.blake2b(prefix, digest_size=32)
                digest.update(f"{number}\0{ordinal}\0".encode())
                digest.update(line)
                yield number, ordinal, digest.digest()

    def _known_keys(self, source: str, prefix: bytes) -> list[bytes] | None:
        """The keys of every record line of ``source`` when all (at least one) are stored;
        else None. (The file is read and hashed once: the stored lines are then fetched by
        these keys.)"""
        keys: list[bytes] = []
        try:
            for batch in _batches(key for _, _, key in self._lines(source, prefix)):
                keys.extend(batch)
                if len(keys) > MAX_STORED or not self.store.has_lines(batch):
                    return None
        except _Unmapped:
            return None
        return keys or None


def _key_of(lines: Iterator[tuple[int, int, bytes]], publication: Publication) -> bytes | None:
    """The key of ``publication``'s line, or None when it is not one whole line of its own."""
    if publication.end_line != publication.line:
        return None
    try:
        for number, ordinal, key in lines:
            if number == publication.line:
                return key if ordinal == publication.ordinal else None
            if number > publication.line:
                return None
    except _Unmapped:
        return None
    return None


def _batches(keys: Iterable[bytes]) -> Iterator[list[bytes]]:
    iterator = iter(keys)
    while batch := list(islice(iterator, _BATCH)):
        yield batch
