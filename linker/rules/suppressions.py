"""Which publication a ``[[suppress]]`` entry names, whatever way the user wrote it.

A publication is named by its key: a PMID (``38012345`` or ``pmid:38012345``), a DOI
(``10.1136/bmj.k123``, ``doi:...``, ``https://doi.org/...``, any case) or, for a record with
neither, ``FILE#N`` (its N-th record). ``FILE`` matches however the list was passed on the
command line: relative to the configuration file's folder or to the working directory, or
absolute (``pubs.txt#8`` matches ``./pubs.txt``, ``/ci/repo/pubs.txt`` and ``../repo/pubs.txt``).
The older ``FILE:N`` spelling of a file key is still understood.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from linker.models import Publication

_DOI_PREFIXES = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.I)
_FILE_KEY = re.compile(r"^(?P<file>.+?)[#:](?P<ordinal>\d+)$")


def file_key(file: str, ordinal: int) -> str:
    """The key of a record that has neither PMID nor DOI: an ordinal that reads as no line."""
    return f"{file}#{ordinal}"


def _plain(key: str) -> str:
    key = key.strip().casefold()
    return _DOI_PREFIXES.sub("", key.removeprefix("pmid:").strip())


def publication_matches(selector: str, publication: Publication, base_dirs: Sequence[str]) -> bool:
    """Whether ``selector`` (a configured publication key) names ``publication``."""
    wanted = _plain(selector)
    known = (publication.key, publication.pmid, publication.doi)
    if any(key is not None and _plain(key) == wanted for key in known):
        return True
    parsed = _FILE_KEY.match(selector.strip())
    if parsed is None or int(parsed["ordinal"]) != publication.ordinal:
        return False
    return same_file(parsed["file"], publication.file, base_dirs)


def same_file(configured: str, given: str, base_dirs: Sequence[str]) -> bool:
    """Whether a path from the configuration and a path from the command line are one file."""
    if configured == given:
        return True
    if given == "<stdin>":
        return False
    actual = _resolved(Path(given))
    return any(_resolved(Path(base) / configured) == actual for base in (*base_dirs, "."))


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare as written
        return path.absolute()
