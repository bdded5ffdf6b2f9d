"""Which of many Python regular expressions match a text: one multi-pattern scan, exact answers.

A :class:`PatternSet` answers ``{i for i, p in enumerate(patterns) if p.search(text)}`` and
nothing else, however it gets there. With Hyperscan or RE2 (:mod:`linker.extract.scan` chooses)
each pattern is translated from its parsed form (:mod:`re._parser`) into the byte-level subset
both engines share, and the text is mapped one character to one byte (:func:`map_text`):

- ASCII stays itself; a non-ASCII character becomes the ASCII stand-in of its kind for Python's
  regular expressions: a word character (``é``, ``µ``, ``²``) becomes ``_``, a space (no-break,
  thin) ``\\x1f`` and anything else (``–``, ``±``) ``\\x01``. Each of the three is, to Python's
  ``\\w``, ``\\s``, ``\\b`` and to ASCII classes, what the characters it stands for are.
- Every character class is computed by asking Python itself which of the 128 ASCII bytes the
  class matches (with the pattern's flags, so IGNORECASE is exact), so no class is rewritten
  by hand.
- A class whose answer for a stand-in differs from its answer for the characters it stands for
  (a literal ``_``, a non-ASCII literal such as ``µ``) is widened to a superset and its pattern
  marked *inexact*; a look-around is left out, which can only add matches, and its pattern
  marked a *superset*; a construct the engines lack (back-reference, anchors) makes its pattern
  *untranslatable*. Python's own search decides those: an inexact pattern when the scan says it
  may match in a text with stand-ins, a superset whenever the scan says it may match, an
  untranslatable one always.
- Texts the mapping cannot represent (a non-ASCII decimal digit, the four characters that
  Python's IGNORECASE pairs with an ASCII letter, NUL) are answered by Python's search alone.

So every answer is Python's, and the scan only saves the searches that would fail.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import lru_cache
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, NamedTuple

from linker.extract.literal_gate import CASE_FOLD_EXCEPTIONS, LiteralGates
from linker.extract.scan import current_backend

WORD_STAND_IN = "_"
SPACE_STAND_IN = "\x1f"
OTHER_STAND_IN = "\x01"
# One character of each kind, to ask a class what it does with the characters a stand-in covers.
_SAMPLES = {WORD_STAND_IN: "\u00e9", SPACE_STAND_IN: "\u00a0", OTHER_STAND_IN: "\u2013"}
SEPARATOR = b"\x00"  # between texts scanned together: no translated pattern matches it


def _stand_in(char: str) -> str | None:
    """The one-character ASCII stand-in of a non-ASCII character, None when it has none."""
    if char in CASE_FOLD_EXCEPTIONS or char.isdecimal():
        return None
    if char.isspace():
        return SPACE_STAND_IN
    return WORD_STAND_IN if char.isalnum() else OTHER_STAND_IN


_STAND_INS: dict[str, str | None] = {}
_STAND_IN_CHARS = re.compile(f"[{WORD_STAND_IN}{SPACE_STAND_IN}{OTHER_STAND_IN}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def map_text(text: str) -> bytes | None:
    """``text`` one byte per character for the translated patterns, or None when it holds a
    character that has no exact stand-in (or NUL, the separator)."""
    return None if "\x00" in text else _mapped(text)


def map_lowered(mapped: bytes | None, text: str, lowered: str) -> bytes | None:
    """:func:`map_text` of ``lowered`` (``text.lower()``, as long as ``text``) from ``mapped``
    (:func:`map_text` of ``text``): a character whose lower case is one character keeps its
    stand-in (the tests check every character), so the mapping commutes with lower-casing."""
    if mapped is None or len(lowered) != len(text):
        return None
    return mapped.lower()


def map_texts(texts: Sequence[str]) -> bytes | None:
    """:func:`map_text` of each text, joined by :data:`SEPARATOR`; None as there."""
    joined = "\x00".join(texts)
    return _mapped(joined) if joined.count("\x00") == len(texts) - 1 else None


def _mapped(text: str) -> bytes | None:
    if not text.isascii():
        for char in set(_NON_ASCII.findall(text)):
            if char not in _STAND_INS:
                _STAND_INS[char] = _stand_in(char)
            stand_in = _STAND_INS[char]
            if stand_in is None:
                return None
            text = text.replace(char, stand_in)
    return text.encode("ascii")


class Untranslatable(Exception):
    """A construct the scanning engines do not share with Python's ``re``."""


class Translation(NamedTuple):
    """A pattern in the engines' byte syntax: ``exact`` False where a class was widened (a
    superset on stand-ins only), ``superset`` where a look-around was left out."""

    source: str
    exact: bool
    superset: bool = False


class _Translator:
    """One pattern's parsed form to the engines' byte syntax; ``exact`` turns False when a
    class had to be widened, ``superset`` True when a look-around was left out."""

    def __init__(self, flags: int) -> None:
        self.exact = True
        self.superset = False
        if flags & (re.ASCII | re.LOCALE | re.MULTILINE):
            raise Untranslatable("flags")
        self._flags = flags

    def sequence(self, nodes: Sequence[tuple[Any, Any]], flags: int) -> str:
        return "".join(self.node(op, value, flags) for op, value in nodes)

    def node(self, op: Any, value: Any, flags: int) -> str:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            return self._class(op, value, flags)
        if op is sre.SUBPATTERN:
            _group, add_flags, del_flags, body = value
            return f"(?:{self.sequence(list(body), (flags | add_flags) & ~del_flags)})"
        if op is sre.BRANCH:
            return "(?:" + "|".join(self.sequence(list(b), flags) for b in value[1]) + ")"
        if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):  # greed does not change whether it matches
            low, high, body = value
            bound = "" if high is sre.MAXREPEAT else str(high)
            return f"(?:{self.sequence(list(body), flags)}){{{low},{bound}}}"
        if op is sre.AT and value is sre.AT_BOUNDARY:
            return "\\b"
        if op is sre.AT and value is sre.AT_NON_BOUNDARY:
            return "\\B"
        if op in (sre.ASSERT, sre.ASSERT_NOT):
            # Every match of the pattern is a match of it without the assertion, which only
            # ever rules matches out: left out, the translation finds a superset.
            self.superset = True
            return ""
        raise Untranslatable(str(op))

    def _class(self, op: Any, value: Any, flags: int) -> str:
        source, exact = _byte_class_of(op, _hashable(value), flags)
        self.exact = self.exact and exact
        return source


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@lru_cache(maxsize=4096)
def _byte_class_of(op: Any, value: Any, flags: int) -> tuple[str, bool]:
    """One character class (a literal, a set, ``.``) as the bytes it matches, asked of Python
    itself, and whether that answer is exact for the stand-ins."""
    single = _single(op, value, flags)
    members = {code for code in range(1, 128) if single.fullmatch(chr(code))}
    non_ascii = _has_non_ascii(op, list(value) if isinstance(value, tuple) else value)
    exact = not non_ascii
    for stand_in, sample in _SAMPLES.items():
        covers = single.fullmatch(sample) is not None
        if covers != (ord(stand_in) in members):
            exact = False
        if covers or non_ascii:
            members.add(ord(stand_in))
    return _byte_class(members), exact


@lru_cache(maxsize=4096)
def _single(op: Any, value: Any, flags: int) -> re.Pattern[str]:
    """One character class (``value`` made hashable) compiled alone."""
    node = (op, list(value) if isinstance(value, tuple) else value)
    compiled: re.Pattern[str] = sre_compile.compile(
        sre_parse.SubPattern(_state(flags), [node]), flags
    )
    return compiled


@lru_cache(maxsize=1024)
def _parsed(source: str, flags: int) -> Any:
    """A pattern's parsed form (read, never changed, by the translation and the questions)."""
    return sre_parse.parse(source, flags)


def _has_non_ascii(op: Any, value: Any) -> bool:
    if op in (sre.LITERAL, sre.NOT_LITERAL):
        return bool(value >= 128)
    if op is sre.IN:
        return any(
            (kind is sre.LITERAL and item >= 128) or (kind is sre.RANGE and item[1] >= 128)
            for kind, item in value
        )
    return False


def _byte_class(members: set[int]) -> str:
    if not members:
        return "[\\x80]"  # a byte mapped text never holds: this element never matches
    runs: list[tuple[int, int]] = []
    for code in sorted(members):
        if runs and runs[-1][1] == code - 1:
            runs[-1] = (runs[-1][0], code)
        else:
            runs.append((code, code))
    if len(runs) == 1 and runs[0][0] == runs[0][1]:
        return f"\\x{runs[0][0]:02x}"
    parts = (f"\\x{a:02x}" if a == b else f"\\x{a:02x}-\\x{b:02x}" for a, b in runs)
    return "[" + "".join(parts) + "]"


def can_consume(pattern: re.Pattern[str], char: str) -> bool:
    """Whether some match of ``pattern`` may contain ``char`` (False only when no character
    class of it, outside look-arounds, matches ``char``)."""
    try:
        parsed = _parsed(pattern.pattern, pattern.flags)
    except re.error:  # pragma: no cover - the pattern compiled, so it parses
        return True
    return _consumes(list(parsed), pattern.flags, char)


def _consumes(nodes: Sequence[tuple[Any, Any]], flags: int, char: str) -> bool:
    for op, value in nodes:
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            if _single(op, _hashable(value), flags).fullmatch(char):
                return True
        elif op is sre.SUBPATTERN:
            if _consumes(list(value[-1]), (flags | value[1]) & ~value[2], char):
                return True
        elif op is sre.BRANCH:
            if any(_consumes(list(branch), flags, char) for branch in value[1]):
                return True
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if _consumes(list(value[2]), flags, char):
                return True
        elif op is sre.ATOMIC_GROUP:
            if _consumes(list(value), flags, char):
                return True
        elif op not in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            return True  # a back-reference, a conditional: anything
    return False


def _state(flags: int) -> Any:
    state = sre_parse.State()
    state.flags = flags
    return state


def translate(pattern: re.Pattern[str]) -> Translation | None:
    """``pattern`` in the engines' byte syntax over :func:`map_text`'s bytes, or None when it
    cannot be translated."""
    try:
        translator = _Translator(pattern.flags)
        parsed = _parsed(pattern.pattern, pattern.flags)
        source = translator.sequence(list(parsed), pattern.flags)
    except (Untranslatable, re.error, RecursionError):
        return None
    if not source:
        return None  # only look-arounds: the translation would match everywhere
    return Translation(source, translator.exact, translator.superset)


class _Engine:
    """Translated patterns compiled for one backend: which match somewhere in mapped bytes."""

    def which(self, data: bytes) -> dict[int, int]:
        """The patterns that match, each with an offset that no match of it ends before (the
        end of its first match where the engine tells, else 0)."""
        raise NotImplementedError

    def which_each(self, joined: bytes, lengths: Sequence[int]) -> list[set[int]]:
        """:meth:`which` of each part of ``joined`` (parts of ``lengths``, separated)."""
        return [set(self.which(part)) for part in joined.split(SEPARATOR)]


class _HyperscanEngine(_Engine):
    def __init__(self, sources: dict[int, str]) -> None:
        self._once = hyperscan_database(sources, single_match=True)
        self._every = (
            None if self._once is None else hyperscan_database(sources, single_match=False)
        )

    def which(self, data: bytes) -> dict[int, int]:
        """Hyperscan reports matches in order of their end: a single-match pattern's one report
        is the end of its first match."""
        found: dict[int, int] = {}
        if self._once is not None:
            self._once.scan(data, match_event_handler=_collect, context=found)
        return found

    def which_each(self, joined: bytes, lengths: Sequence[int]) -> list[set[int]]:
        """One scan of all the parts (no match can span a separator)."""
        found: list[set[int]] = [set() for _ in lengths]
        if self._every is None:
            return found
        ends, total = [], -1
        for length in lengths:
            total += length + 1
            ends.append(total)
        hits: list[tuple[int, int]] = []
        self._every.scan(joined, match_event_handler=_collect_end, context=hits)
        for pattern_id, end in hits:
            found[bisect_left(ends, end)].add(pattern_id)
        return found


def hyperscan_database(sources: dict[int, str], single_match: bool) -> Any:
    """The compiled database, from the user's cache when an earlier run compiled the same one
    (compiling takes about a second; loading, a millisecond)."""
    import hyperscan
    import platformdirs  # the user's cache, as linker.registries.cache.default_cache_dir

    if not sources:
        return None
    key = hashlib.sha256(repr((_HS_VERSION, single_match, sources)).encode()).hexdigest()
    path = platformdirs.user_cache_path("trial-linker") / "scan-databases" / f"{key[:32]}.hsdb"
    with contextlib.suppress(Exception):  # absent, unreadable, or from another Hyperscan
        loaded = hyperscan.loadb(path.read_bytes(), hyperscan.HS_MODE_BLOCK)
        loaded.scratch = hyperscan.Scratch(loaded)
        return loaded
    flag = hyperscan.HS_FLAG_SINGLEMATCH if single_match else 0
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    db.compile(
        expressions=[source.encode("ascii") for source in sources.values()],
        ids=list(sources),
        elements=len(sources),
        flags=[flag] * len(sources),
    )
    with contextlib.suppress(OSError):  # best effort: a read-only home only costs time
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(hyperscan.dumpb(db))
        partial.replace(path)
    return db


_HS_VERSION = "hyperscan-db-1"


def _collect(pattern_id: int, _start: int, end: int, _flags: int, found: dict[int, int]) -> None:
    found[pattern_id] = end


def _collect_end(
    pattern_id: int, _start: int, end: int, _flags: int, hits: list[tuple[int, int]]
) -> None:
    hits.append((pattern_id, end))


class _Re2Engine(_Engine):
    def __init__(self, sources: dict[int, str]) -> None:
        import re2  # type: ignore[import-not-found,unused-ignore]

        options = re2.Options()
        options.encoding = re2.Options.Encoding.LATIN1
        self._set = re2.Set.SearchSet(options)
        self._ids: list[int] = []
        for pattern_id, source in sources.items():
            self._set.Add(source.encode("ascii"))
            self._ids.append(pattern_id)
        self._set.Compile()

    def which(self, data: bytes) -> dict[int, int]:
        ids = self._ids
        return {ids[index]: 0 for index in self._set.Match(data) or ()}


def _compile_checked(
    factory: Callable[[dict[int, str]], _Engine], sources: dict[int, str]
) -> tuple[_Engine, set[int]]:
    """The engine of every source it accepts, and the ids it refused (compiled one by one)."""
    try:
        return factory(sources), set()
    except Exception:  # the engines' own error types differ: find the patterns it refused
        refused = set()
        for pattern_id, source in sources.items():
            try:
                factory({pattern_id: source})
            except Exception:
                refused.add(pattern_id)
        kept = {i: s for i, s in sources.items() if i not in refused}
        return factory(kept), refused


_FACTORIES: dict[str, Callable[[dict[int, str]], _Engine]] = {
    "hyperscan": _HyperscanEngine,
    "re2": _Re2Engine,
}


class PatternSet:
    """Python patterns whose matches in a text are asked together (see the module's notes)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self.patterns = list(patterns)
        self._sources: dict[int, str] = {}
        self._inexact: set[int] = set()
        self._superset: set[int] = set()
        self._always: set[int] = set()
        for pattern_id, pattern in enumerate(self.patterns):
            translated = translate(pattern)
            if translated is None:
                self._always.add(pattern_id)
                continue
            self._sources[pattern_id] = translated.source
            if not translated.exact:
                self._inexact.add(pattern_id)
            if translated.superset:
                self._superset.add(pattern_id)
        self._engines: dict[str, tuple[_Engine, set[int]] | None] = {}
        self._gates: LiteralGates | None = None  # made when first needed (rare with a scan)

    def _engine(self) -> tuple[_Engine, set[int]] | None:
        backend = current_backend()
        if backend not in self._engines:
            factory = _FACTORIES.get(backend)
            self._engines[backend] = (
                None if factory is None else _compile_checked(factory, self._sources)
            )
        return self._engines[backend]

    def _plain(self, text: str) -> set[int]:
        if self._gates is None:
            self._gates = LiteralGates(self.patterns)
        return self._gates.present(text)

    def _settle(self, text: str, scanned: dict[int, int], refused: set[int]) -> dict[int, int]:
        """The scan's answer with Python's word on the patterns the scan cannot decide. A
        widened class differs from Python's only on stand-ins: on a text without them (ASCII,
        none of the three bytes), an inexact pattern's answer is exact too. (A widened class
        matches more, so its first end is no later than the exact one's.) A superset's answer
        is Python's wherever the scan says it may match (it too matches more: the same holds
        for its first end)."""
        doubted = scanned.keys() & self._superset
        inexact = scanned.keys() & self._inexact
        if inexact and (not text.isascii() or _STAND_IN_CHARS.search(text) is not None):
            doubted |= inexact
        for pattern_id in doubted:
            if not self.patterns[pattern_id].search(text):
                del scanned[pattern_id]
        for pattern_id in self._always | refused:
            if self.patterns[pattern_id].search(text):
                scanned[pattern_id] = 0
        return scanned

    def present(self, text: str) -> set[int]:
        """The ids of the patterns whose ``search`` finds a match in ``text``."""
        return set(self.first_ends(text))

    def first_ends(self, text: str, mapped: bytes | None = None) -> dict[int, int]:
        """:meth:`present`, each id with an offset of ``text`` that no match of its pattern
        ends before (0 where the engine does not tell). ``mapped``: :func:`map_text` of
        ``text`` where the caller has it."""
        engine = self._engine()
        data = None if engine is None else mapped or map_text(text)
        if engine is None or data is None:
            return dict.fromkeys(self._plain(text), 0)
        scanner, refused = engine
        return self._settle(text, scanner.which(data), refused)

    def present_each(self, texts: Sequence[str]) -> list[set[int]]:
        """:meth:`present` of each text (one scan for all of them where the engine can)."""
        engine = self._engine()
        if engine is None:
            return [self._plain(text) for text in texts]
        scanner, refused = engine
        joined = map_texts(texts) if texts else None
        if joined is None:
            return [self.present(text) for text in texts]
        found = scanner.which_each(joined, [len(text) for text in texts])
        return [
            self._settle_set(text, hits, refused) for text, hits in zip(texts, found, strict=True)
        ]

    def _settle_set(self, text: str, hits: set[int], refused: set[int]) -> set[int]:
        if not (self._always or refused or hits & self._inexact or hits & self._superset):
            return hits
        return set(self._settle(text, dict.fromkeys(hits, 0), refused))
