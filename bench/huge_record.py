"""Reading one huge single-line JSON record, against reading as much JSON in ordinary records.

Run:  python bench/huge_record.py [--size-mb 100] [--shapes sparse,escapes,dense]

Writes, for each shape, one JSON Lines file holding a single record whose abstract is
``--size-mb`` MB, and one file of the same size made of ordinary 2 KB records (the reference),
then measures in this process, one after the other, the CPU time of ``read_publications``
(``--max-record-size`` raised past the record) and of ``extract_mentions`` on what was read.
Shapes: ``sparse`` (plain sentences, 3 identifiers in all), ``escapes`` (a JSON escape every
40 characters and an identifier every 2 KB), ``dense`` (an identifier every 70 characters).
Also times the refusal of the 100 MB line under the default 10 MB limit. CPU times, since the
machine is shared; the ratio to the ordinary-records file is what to compare across machines.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from linker.errors import InputError
from linker.extract import extract_mentions
from linker.models import Publication
from linker.readers import read_publications

MB = 1024 * 1024
_PLAIN = "Patients were randomised to treatment or placebo for twelve weeks. "
_ESCAPED = r"Patients \u00e9t\u00e9 \"randomised\" to treatment or placebo\n for weeks. "
_IDENTIFIED = "The trial was registered as NCT01234567 (ISRCTN12345678). "
T = TypeVar("T")
A = TypeVar("A")


def _sparse(size: int) -> list[str]:
    count = size // len(_PLAIN)
    parts = [_PLAIN] * count
    for k, identifier in enumerate(("NCT01234567", "ISRCTN12345678", "2011-003425-96")):
        parts[k * count // 3 + 1] = f"The trial was registered as {identifier}. "
    return parts


def _escapes(size: int) -> list[str]:
    piece = _ESCAPED * 27 + _IDENTIFIED  # about 2 KB
    return [piece] * (size // len(piece))


def _dense(size: int) -> list[str]:
    return [_IDENTIFIED] * (size // len(_IDENTIFIED))


#: Each shape as pieces of JSON string source (escapes written out), about ``size`` in all.
SHAPES: dict[str, Callable[[int], list[str]]] = {
    "sparse": _sparse,
    "escapes": _escapes,
    "dense": _dense,
}


def _record(key: str, abstract: str) -> str:
    return f'{{"id": "{key}", "title": "A record", "abstract": "{abstract}"}}\n'


def _write_single(path: Path, pieces: list[str]) -> None:
    path.write_text(_record("big", "".join(pieces)))


def _write_ordinary(path: Path, pieces: list[str]) -> None:
    """The same pieces in records of about 2 KB each."""
    with path.open("w") as out:
        held: list[str] = []
        for n, piece in enumerate(pieces):
            held.append(piece)
            if sum(map(len, held)) >= 2048:
                out.write(_record(f"r{n}", "".join(held)))
                held = []
        if held:
            out.write(_record("last", "".join(held)))


def _cpu(action: Callable[[A], T], argument: A) -> tuple[T, float]:
    began = time.process_time()
    value = action(argument)
    return value, time.process_time() - began


def _read(path: Path) -> list[Publication]:
    return list(read_publications(path, max_record_size=4 * 1024 * MB))


def _extract(publications: list[Publication]) -> int:
    return sum(len(extract_mentions(publication)) for publication in publications)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=100)
    parser.add_argument("--shapes", default="sparse,escapes,dense")
    args = parser.parse_args()
    size = int(args.size_mb * MB)
    print(f"one {args.size_mb:g} MB JSON record vs the same text in 2 KB records (CPU seconds)")
    print(f"{'shape':8} {'read':>6} {'(2 KB)':>7} {'ratio':>6} {'extract':>8} {'(2 KB)':>7} ids")
    with tempfile.TemporaryDirectory() as folder:
        single, ordinary = Path(folder) / "single.jsonl", Path(folder) / "ordinary.jsonl"
        for shape in args.shapes.split(","):
            pieces = SHAPES[shape](size)
            _write_single(single, pieces)
            _write_ordinary(ordinary, pieces)
            del pieces
            one = _measure(single)
            many = _measure(ordinary)
            assert one[2] == many[2], "the same identifiers either way"
            print(
                f"{shape:8} {one[0]:6.2f} {many[0]:7.2f} {one[0] / many[0]:6.2f} "
                f"{one[1]:8.2f} {many[1]:7.2f} {one[2]:,d}"
            )
        if size > 10 * MB:
            refused, refuse_time = _cpu(_refused, single)
            print(f"default --max-record-size: {refused} ({refuse_time:.2f} s CPU)")
    return 0


def _measure(path: Path) -> tuple[float, float, int]:
    """CPU seconds to read ``path`` and to extract from what was read, and the ids found."""
    publications, read_time = _cpu(_read, path)
    found, extract_time = _cpu(_extract, publications)
    return read_time, extract_time, found


def _refused(path: Path) -> str:
    try:
        list(read_publications(path))
    except InputError as error:
        return str(error)
    return "not refused"


if __name__ == "__main__":
    raise SystemExit(main())
