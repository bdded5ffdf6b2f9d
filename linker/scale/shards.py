"""Output shards: one gzip JSON Lines file per input file, named by the input's content hash.

Line 1 is a :class:`ShardHeader` (which input, made with which settings, how many
publications, the PubMed deletions it carries); each further line is one
:class:`~linker.results.PublicationResult`. A shard is written to a temporary name and renamed
when complete, so a shard that exists is whole: a rerun skips inputs whose shard exists with
the same settings, and an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from linker.errors import InputError
from linker.results import PublicationResult, RunSettings

SUFFIX = ".jsonl.gz"
SHARD_FORMAT = 1


class ShardHeader(BaseModel):
    shard_format: int = SHARD_FORMAT
    input: str
    sha256: str = Field(description="Content hash of the input file (the shard's name).")
    settings: str = Field(description="Digest of the settings the shard was made with.")
    tool_version: str
    publications: int
    deleted: list[str] | None = Field(
        default=None, description="PubMed XML input: its DeleteCitation PMIDs; else null."
    )
    run: RunSettings | None = Field(default=None, description="How the shard's run was made.")


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()[:32]


def shard_path(directory: Path, sha256: str) -> Path:
    return directory / f"{sha256}{SUFFIX}"


def write_shard(path: Path, header: ShardHeader, publications: Iterable[PublicationResult]) -> None:
    encoded = (
        publication.model_dump_json().encode("utf-8") + b"\n" for publication in publications
    )
    write_encoded_shard(path, header, encoded)


def write_encoded_shard(path: Path, header: ShardHeader, lines: Iterable[bytes]) -> None:
    """A shard of publications already in JSON (``model_dump_json`` lines, newline ended)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb") as out:
            out.write(header.model_dump_json().encode("utf-8") + b"\n")
            for line in lines:
                out.write(line)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_header(path: Path) -> ShardHeader | None:
    """The header of an existing, readable shard; None when there is none to reuse."""
    try:
        with gzip.open(path, "rb") as handle:
            return ShardHeader.model_validate_json(handle.readline())
    except (OSError, EOFError, ValidationError, ValueError):
        return None


def read_shard(path: Path) -> tuple[ShardHeader, Iterator[PublicationResult]]:
    """The header and a stream of the publications of a shard; InputError when unreadable."""
    header = read_header(path)
    if header is None:
        raise InputError(str(path), "not a trial-linker shard (or truncated)")
    return header, _publications(path)


def _publications(path: Path) -> Iterator[PublicationResult]:
    with gzip.open(path, "rb") as handle:
        handle.readline()
        for number, line in enumerate(handle, start=2):
            try:
                yield PublicationResult.model_validate_json(line)
            except (ValidationError, ValueError) as error:
                raise InputError(str(path), f"bad publication record: {error}", number) from None


def shard_files(arguments: Iterable[str]) -> list[Path]:
    """Shard arguments to shard files: a folder means every shard in it."""
    found: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found.extend(sorted(path.glob(f"*{SUFFIX}")))
        else:
            found.append(path)
    return found
