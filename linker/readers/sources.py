"""Input arguments to files: a file as given, a folder as its files, a glob as its matches.

A folder is read one level deep (hidden files left out), a glob (``*``, ``?``, ``[``) is
expanded with ``**`` recursive; both sorted by name, so ``pubmed26n0001.xml.gz`` comes before
``pubmed26n0002.xml.gz`` and update files apply in order. A folder or glob that names no file is
an :class:`~linker.errors.InputError`; a plain path is left for the reader to open (and fail on).
"""

from __future__ import annotations

import glob
from collections.abc import Iterable
from pathlib import Path

from linker.errors import InputError

_GLOB_CHARS = frozenset("*?[")


def expand_sources(arguments: Iterable[str]) -> list[str]:
    files: list[str] = []
    for argument in arguments:
        if argument == "-":
            files.append(argument)
        elif Path(argument).is_dir():
            found = sorted(
                str(child)
                for child in Path(argument).iterdir()
                if child.is_file() and not child.name.startswith(".")
            )
            if not found:
                raise InputError(argument, "folder has no files to read")
            files.extend(found)
        elif _GLOB_CHARS & set(argument) and not Path(argument).exists():
            matches = glob.glob(argument, recursive=True)  # noqa: PTH207 (absolute patterns too)
            found = sorted(p for p in matches if Path(p).is_file())
            if not found:
                raise InputError(argument, "no file matches this pattern")
            files.extend(found)
        else:
            files.append(argument)
    return list(dict.fromkeys(files))
