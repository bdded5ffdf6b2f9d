"""Multi-pattern scanning with the fastest engine installed: which of many patterns occur.

Backends, fastest first: ``hyperscan`` (Hyperscan / Vectorscan, the ``fast`` extra),
``re2`` (google-re2) and ``re`` (the standard library, always there). Every backend gets the
same patterns, written in the subset the three share (no lookaround, no backreferences;
``\\s`` and ``\\d`` are ASCII, see :func:`portable`), compiled ASCII-case-insensitively, and
answers the same question: which pattern ids match somewhere in a byte string. Callers use the
answer only to skip work (a prefilter), so a backend can never change a result, only its cost.

The backend is chosen once: ``TRIAL_LINKER_BACKEND`` (``hyperscan``, ``re2``, ``re``) if set,
else the fastest that imports. :func:`use_backend` switches it (tests and benchmarks).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import platform
import re
from abc import ABC, abstractmethod
from bisect import bisect_right
from collections.abc import Callable, Sequence
from contextlib import suppress
from itertools import pairwise
from pathlib import Path
from typing import Any

BACKENDS = ("hyperscan", "re2", "re")
ENVIRONMENT_VARIABLE = "TRIAL_LINKER_BACKEND"


class Scanner(ABC):
    """A compiled set of patterns (ids are their positions in the list given)."""

    @abstractmethod
    def any(self, data: bytes) -> bool:
        """True when some pattern matches somewhere in ``data``."""

    @abstractmethod
    def which(self, data: bytes) -> set[int]:
        """The ids of the patterns that match somewhere in ``data``."""

    @abstractmethod
    def regions(self, data: bytes) -> list[tuple[int, int]]:
        """Non-empty spans of ``data`` such that every match of every pattern overlaps one of
        them (cheaper than :meth:`spans`: no start offsets, no overlapping matches)."""

    @abstractmethod
    def split_regions(
        self, data: bytes, boundary: int
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """:meth:`regions` for the patterns before ``boundary`` and for those from it on, in
        two lists (Hyperscan: in one scan)."""

    @abstractmethod
    def spans(self, data: bytes) -> list[tuple[int, int]]:
        """Spans of matches in ``data``, overlapping ones included: every offset where some
        pattern's match starts lies in one of them (unsorted; repeats possible)."""

    @abstractmethod
    def grouped_spans(
        self, data: bytes, boundaries: tuple[int, ...]
    ) -> list[list[tuple[int, int]]]:
        """:meth:`spans` of each group of patterns: those before the first boundary, those from
        it to the next, ..., those from the last on (Hyperscan: in one scan)."""


class _HyperscanScanner(Scanner):
    def __init__(self, patterns: Sequence[str]) -> None:
        import hyperscan

        self._terminated: type[Exception] = hyperscan.ScanTerminated
        self._flags = {
            "once": hyperscan.HS_FLAG_SINGLEMATCH,
            "spans": hyperscan.HS_FLAG_SOM_LEFTMOST,
            "ends": 0,
        }
        self._dbs: dict[str, Any] = {}
        self._patterns = list(patterns)

    def _db(self, kind: str) -> Any:
        """One database per kind of answer, compiled on first use (tens of milliseconds)."""
        db = self._dbs.get(kind)
        if db is None:
            db = self._dbs[kind] = _hyperscan_db(self._patterns, self._flags[kind])
        return db

    def any(self, data: bytes) -> bool:
        try:
            self._db("once").scan(data, match_event_handler=_stop)
        except self._terminated:
            return True
        return False

    def which(self, data: bytes) -> set[int]:
        found: set[int] = set()
        self._db("once").scan(data, match_event_handler=_collect, context=found)
        return found

    def regions(self, data: bytes) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []  # every end of every match: its last byte
        self._db("ends").scan(data, match_event_handler=_collect_last_byte, context=found)
        return found

    def split_regions(
        self, data: bytes, boundary: int
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        split: _SplitRegions = (boundary, [], [])
        self._db("ends").scan(data, match_event_handler=_collect_split_last_byte, context=split)
        return split[1], split[2]

    def spans(self, data: bytes) -> list[tuple[int, int]]:
        found: list[tuple[int, int]] = []
        self._db("spans").scan(data, match_event_handler=_collect_span, context=found)
        return found

    def grouped_spans(
        self, data: bytes, boundaries: tuple[int, ...]
    ) -> list[list[tuple[int, int]]]:
        groups: list[list[tuple[int, int]]] = [[] for _ in range(len(boundaries) + 1)]
        context = (boundaries, groups)
        self._db("spans").scan(data, match_event_handler=_collect_grouped_span, context=context)
        return groups


def _hyperscan_db(patterns: Sequence[str], flag: int) -> Any:
    """The database of ``patterns``, compiled once per machine: a compiled database is kept in
    the user's cache directory (compiling takes tens of milliseconds, loading microseconds;
    Hyperscan refuses a database built for another platform, which is then compiled again)."""
    import hyperscan

    key = hashlib.sha256(
        repr(
            (getattr(hyperscan, "__version__", ""), platform.machine(), flag, list(patterns))
        ).encode()
    ).hexdigest()[:32]
    path = _DB_CACHE / f"{key}.hsdb"
    with suppress(OSError, hyperscan.error):
        db = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        db.scratch = hyperscan.Scratch(db)
        return db
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(
        expressions=[p.encode("ascii") for p in patterns],
        ids=list(range(len(patterns))),
        elements=len(patterns),
        flags=[hyperscan.HS_FLAG_CASELESS | flag] * len(patterns),
    )
    with suppress(OSError):  # a read-only cache directory: compile every time
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(hyperscan.dumpb(db))
        temporary.replace(path)
    return db


def _cache_directory() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_path("trial-linker")) / "hyperscan"


_DB_CACHE = _cache_directory()


def _stop(*_: object) -> bool:
    return True


def _collect(pattern_id: int, _start: int, _end: int, _flags: int, found: set[int]) -> None:
    found.add(pattern_id)


def _collect_last_byte(
    _id: int, _start: int, end: int, _flags: int, found: list[tuple[int, int]]
) -> None:
    found.append((end - 1, end))


#: (boundary, regions of the ids below it, regions of the others)
_SplitRegions = tuple[int, list[tuple[int, int]], list[tuple[int, int]]]


def _collect_split_last_byte(
    pattern_id: int, _start: int, end: int, _flags: int, split: _SplitRegions
) -> None:
    (split[1] if pattern_id < split[0] else split[2]).append((end - 1, end))


def _collect_span(
    _id: int, start: int, end: int, _flags: int, found: list[tuple[int, int]]
) -> None:
    found.append((start, end))


def _collect_grouped_span(
    pattern_id: int,
    start: int,
    end: int,
    _flags: int,
    grouped: tuple[tuple[int, ...], list[list[tuple[int, int]]]],
) -> None:
    boundaries, groups = grouped
    groups[bisect_right(boundaries, pattern_id)].append((start, end))


class _RegexScanner(Scanner):
    """One alternation of named groups for :meth:`any`; ``which`` searches each pattern (the
    regex engines report one alternative per position, Hyperscan reports all)."""

    def __init__(self, patterns: Sequence[str], compile_: Callable[[str], Any]) -> None:
        self._each = [compile_(f"(?i){p}") for p in patterns]
        self._all = compile_(_alternation(patterns))
        self._patterns = list(patterns)
        self._compile = compile_
        self._halves: dict[int, tuple[Any, Any]] = {}

    def any(self, data: bytes) -> bool:
        return self._all.search(data) is not None

    def which(self, data: bytes) -> set[int]:
        return {i for i, pattern in enumerate(self._each) if pattern.search(data) is not None}

    def regions(self, data: bytes) -> list[tuple[int, int]]:
        # Leftmost matches of the alternation, left to right: a match of any pattern starts
        # inside one of them or at or after its end, where the search goes on.
        return [match.span() for match in self._all.finditer(data)]

    def split_regions(
        self, data: bytes, boundary: int
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        # Two alternations, two searches: in one, a match of one half could hide the other's.
        halves = self._halves.get(boundary)
        if halves is None:
            before, after = self._patterns[:boundary], self._patterns[boundary:]
            halves = self._halves[boundary] = (
                self._compile(_alternation(before)) if before else None,
                self._compile(_alternation(after)) if after else None,
            )
        before, after = halves
        return _match_spans(before, data), _match_spans(after, data)

    def spans(self, data: bytes) -> list[tuple[int, int]]:
        if not self.any(data):
            return []
        return _each_span(self._each, data)

    def grouped_spans(
        self, data: bytes, boundaries: tuple[int, ...]
    ) -> list[list[tuple[int, int]]]:
        if not self.any(data):
            return [[] for _ in range(len(boundaries) + 1)]
        edges = (0, *boundaries, len(self._each))
        return [_each_span(self._each[a:b], data) for a, b in pairwise(edges)]


def _each_span(patterns: Sequence[Any], data: bytes) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    for pattern in patterns:
        position = 0  # one past each match's start, not its end: overlaps count too
        while (match := pattern.search(data, position)) is not None:
            found.append(match.span())
            position = match.start() + 1
    return found


def _match_spans(alternation: Any, data: bytes) -> list[tuple[int, int]]:
    return [] if alternation is None else [match.span() for match in alternation.finditer(data)]


def _alternation(patterns: Sequence[str]) -> str:
    return "(?i)" + "|".join(f"(?:{p})" for p in patterns)


def _re2_compile(pattern: str) -> Any:
    import re2  # type: ignore[import-not-found,unused-ignore]

    options = re2.Options()
    options.encoding = re2.Options.Encoding.LATIN1  # bytes in, byte semantics as Hyperscan
    return re2.compile(pattern.encode("ascii"), options)


def _re_compile(pattern: str) -> re.Pattern[bytes]:
    return re.compile(pattern.encode("ascii"))


_FACTORIES: dict[str, Callable[[Sequence[str]], Scanner]] = {
    "hyperscan": _HyperscanScanner,
    "re2": lambda patterns: _RegexScanner(patterns, _re2_compile),
    "re": lambda patterns: _RegexScanner(patterns, _re_compile),
}
_MODULES = {"hyperscan": "hyperscan", "re2": "re2", "re": "re"}


def available_backends() -> list[str]:
    """The backends that import here, fastest first (``re`` always)."""
    return [name for name in BACKENDS if importlib.util.find_spec(_MODULES[name]) is not None]


def _default_backend() -> str:
    wanted = os.environ.get(ENVIRONMENT_VARIABLE, "").strip().lower()
    available = available_backends()
    if wanted:
        if wanted not in BACKENDS:
            raise ValueError(f"{ENVIRONMENT_VARIABLE}={wanted!r}: expected one of {BACKENDS}")
        if wanted not in available:
            raise ValueError(f"{ENVIRONMENT_VARIABLE}={wanted!r}: that engine is not installed")
        return wanted
    return available[0]


_state: dict[str, str] = {}


def current_backend() -> str:
    if "backend" not in _state:
        _state["backend"] = _default_backend()
    return _state["backend"]


def use_backend(name: str) -> None:
    """Make ``name`` the backend of every scanner compiled from now on (tests, benchmarks)."""
    if name not in available_backends():
        raise ValueError(f"scanning backend {name!r} is not installed")
    _state["backend"] = name


class ScannerCache:
    """One pattern list compiled once per backend, on first use."""

    def __init__(self, patterns: Callable[[], Sequence[str]]) -> None:
        self._patterns = patterns
        self._compiled: dict[str, Scanner] = {}

    def get(self) -> Scanner:
        backend = current_backend()
        scanner = self._compiled.get(backend)
        if scanner is None:
            scanner = self._compiled[backend] = _FACTORIES[backend](self._patterns())
        return scanner


def compile_scanner(patterns: Sequence[str]) -> Scanner:
    """``patterns`` compiled with the current backend."""
    return _FACTORIES[current_backend()](patterns)


_WHITESPACE = "\\t\\n\\x0b\\f\\r "


def portable(pattern: str) -> str:
    """``pattern`` with ``\\s`` spelled out as Python's ASCII ``\\s`` (RE2 leaves out ``\\v``)."""
    out: list[str] = []
    class_start = -1  # where the open character class's first member stands, else -1
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            pair = pattern[index : index + 2]
            if pair == "\\s":
                out.append(_WHITESPACE if class_start >= 0 else f"[{_WHITESPACE}]")
            else:
                out.append(pair)
            index += 2
            continue
        if char == "[" and class_start < 0:
            class_start = index + (2 if pattern.startswith("^", index + 1) else 1)
        elif char == "]" and class_start >= 0 and index > class_start:
            class_start = -1
        out.append(char)
        index += 1
    return "".join(out)
