"""The classifier as it ran before the engine (bench/classify.py's baseline, kept verbatim in
spirit): the plain reading with every compiled pattern of the model replaced, at import, by a
:class:`GatedPattern` that runs only on texts holding one of its required literals.

Run as a script it measures that baseline in its own process (the gates patch the model's
modules, so they never share a process with the engine):

    python bench/classify_today.py --records N --repeat R --shared PATH   # in process, JSON out
    python bench/classify_today.py --cli extract ... --publications        # end to end

The model (:mod:`linker.extract.trial_terms`, :mod:`linker.extract.trial_report`,

The model (:mod:`linker.extract.trial_terms`, :mod:`linker.extract.trial_report`,
:mod:`linker.extract.trial_ngrams`) stays as written; :func:`install` puts each of its compiled
patterns behind a :class:`GatedPattern`. For each pattern the literals it requires are read off
its parsed form (:func:`required_literals`: every match contains one of them); a text is scanned
once for all of them (one Hyperscan pass, or ``in`` tests on the stdlib path), lower-cased once,
and a pattern whose literals are all absent answers "no match" without running. So the
decisions are the model's own, whatever it holds: the tests compare every decision with the
ungated model on real abstracts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

from linker.extract.literal_gate import CASE_FOLD_EXCEPTIONS, required_literals
from linker.extract.scan import ScannerCache, current_backend

_Literals = frozenset[str]
_EXCEPTIONAL = re.compile(f"[{''.join(sorted(CASE_FOLD_EXCEPTIONS))}]")


class _LiteralIndex:
    """All gated patterns' literals, and which of them a text holds."""

    def __init__(self) -> None:
        self.literals: list[str] = []
        self._ids: dict[str, int] = {}
        self._scanner = ScannerCache(lambda: [re.escape(lit) for lit in self.literals])
        self._present: dict[str, frozenset[int] | None] = {}
        self._lowered: dict[str, str] = {}

    def ids(self, literals: _Literals) -> frozenset[int]:
        for literal in literals:
            if literal not in self._ids:
                self._ids[literal] = len(self.literals)
                self.literals.append(literal)
        return frozenset(self._ids[literal] for literal in literals)

    def present(self, text: str) -> frozenset[int] | None:
        """Ids of the literals ``text`` holds (ASCII case-insensitively); None: do not gate."""
        found = self._present.get(text, False)
        if found is not False:
            return found  # type: ignore[return-value]
        if len(self._present) > 512:
            self._present.clear()
        result: frozenset[int] | None
        if not text.isascii() and _EXCEPTIONAL.search(text) is not None:
            result = None
        else:
            result = frozenset(self._scanner.get().which(text.encode("utf-8", "surrogatepass")))
        self._present[text] = result
        return result

    def lowered(self, text: str) -> str | None:
        """``text`` lower-cased (once), or None when it must not be gated."""
        found = self._lowered.get(text)
        if found is None:
            if len(self._lowered) > 512:
                self._lowered.clear()
            gated = text.isascii() or _EXCEPTIONAL.search(text) is None
            found = self._lowered[text] = text.lower() if gated else ""
        return found or None


_INDEX = _LiteralIndex()
_state = {"enabled": True}


class GatedPattern:
    """A compiled pattern that runs only on texts holding one of its required literals."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.inner = pattern
        self._literals: tuple[str, ...] = ()
        self._ids: frozenset[int] | None = None
        _UNPREPARED.append(self)

    def prepare(self) -> None:
        literals = required_literals(self.inner)
        self._literals = tuple(sorted(literals or ()))
        self._ids = None if literals is None else _INDEX.ids(literals)

    def _absent(self, text: str) -> bool:
        if _UNPREPARED:  # parse every pattern once, on first use (a warm rerun never does)
            _prepare_all()
        if self._ids is None or not _state["enabled"] or not text:
            return False
        if current_backend() == "hyperscan":  # one scan per text for every pattern's literals
            present = _INDEX.present(text)
            return present is not None and present.isdisjoint(self._ids)
        lowered = _INDEX.lowered(text)  # else a few substring tests for this pattern's
        return lowered is not None and not any(lit in lowered for lit in self._literals)

    def search(self, string: str, *args: int) -> re.Match[str] | None:
        return None if self._absent(string) else self.inner.search(string, *args)

    def match(self, string: str, *args: int) -> re.Match[str] | None:
        return None if self._absent(string) else self.inner.match(string, *args)

    def fullmatch(self, string: str, *args: int) -> re.Match[str] | None:
        return None if self._absent(string) else self.inner.fullmatch(string, *args)

    def finditer(self, string: str, *args: int) -> Iterator[re.Match[str]]:
        return iter(()) if self._absent(string) else self.inner.finditer(string, *args)

    def findall(self, string: str, *args: int) -> list[Any]:
        return [] if self._absent(string) else self.inner.findall(string, *args)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        return string if self._absent(string) else self.inner.sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        return (string, 0) if self._absent(string) else self.inner.subn(repl, string, count)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return [string] if self._absent(string) else self.inner.split(string, maxsplit)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)  # pattern, flags, groupindex ...


_UNPREPARED: list[GatedPattern] = []


def _prepare_all() -> None:
    while _UNPREPARED:
        _UNPREPARED.pop().prepare()


def _gate(value: Any, seen: dict[int, Any]) -> Any:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        if id(value) not in seen:
            seen[id(value)] = GatedPattern(value)
        return seen[id(value)]
    if isinstance(value, tuple):
        return tuple(_gate(item, seen) for item in value)
    return value


def install(modules: Sequence[ModuleType]) -> None:
    """Gate every module-level compiled pattern of ``modules`` (also inside their dicts, lists
    and tuples). Idempotent."""
    seen: dict[int, Any] = {}
    for module in modules:
        for name, value in list(vars(module).items()):
            if isinstance(value, dict):
                for key, item in value.items():
                    value[key] = _gate(item, seen)
            elif isinstance(value, list):
                value[:] = [_gate(item, seen) for item in value]
            elif not name.startswith("__"):
                setattr(module, name, _gate(value, seen))


def set_enabled(enabled: bool) -> None:
    """Switch gating off (every pattern runs, as the bare model does) or on: for benchmarks and
    the equivalence tests."""
    _state["enabled"] = enabled


def install_today() -> None:
    """Gate the model's patterns and make the plain reading the default, as before."""
    from linker.extract import trial_ngrams, trial_report, trial_terms

    install([trial_terms, trial_report, trial_ngrams])
    trial_report.default_evaluation = lambda: trial_report.PLAIN  # type: ignore[assignment]


def _main() -> int:
    import hashlib
    import json
    import sys
    import time

    install_today()
    if sys.argv[1:2] == ["--cli"]:
        from linker.cli.main import main as cli

        cli(sys.argv[2:])
        return 0
    from benchenv import record_arguments
    from classify import load

    from linker.extract.trial_report import classify_text

    args = record_arguments("the classifier before the engine")
    if args is None:
        return 0
    records = load(args.shared, args.records)
    classify_text("warm", "up")
    times, digest = [], ""
    for _ in range(args.repeat):
        started = time.process_time()
        reports = [classify_text(*record) for record in records]
        times.append(time.process_time() - started)
        digest = hashlib.sha1("".join(r.model_dump_json() for r in reports).encode()).hexdigest()
    print(json.dumps({"cpu_seconds": sorted(times)[len(times) // 2], "digest": digest}))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
