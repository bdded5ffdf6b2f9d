"""Publication results on disk: report order, re-readable, and the same reports as a list."""

from __future__ import annotations

from pathlib import Path

import pytest

from linker import streaming
from linker.models import Classification
from linker.pipeline import CheckOptions, run_check
from linker.registries.interface import Outcome, OutcomeKind
from linker.results import PublicationResult
from linker.spool import PublicationSpool, encoded_lines, placed
from linker.streaming import KnownOutcomes, stream_check

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "publications" / "publications.txt"


def publication(file: str, line: int, key: str = "k") -> PublicationResult:
    return PublicationResult(
        key=key,
        title=f"t{line}",
        file=file,
        line=line,
        end_line=line,
        classification=Classification.NOT_TRIAL,
    )


def test_spool_reads_back_in_report_order() -> None:
    spool = PublicationSpool()
    for item in [("b.txt", 1), ("a.txt", 5), ("a.txt", 2), ("b.txt", 3), ("a.txt", 9)]:
        spool.append(publication(*item))
    try:
        assert [(p.file, p.line) for p in spool] == [
            ("a.txt", 2), ("a.txt", 5), ("a.txt", 9), ("b.txt", 1), ("b.txt", 3),
        ]  # fmt: skip
        assert len(spool) == 5
        assert spool[-1].line == 3
        assert [p.line for p in spool[1:3]] == [5, 9]
        assert [p.line for p in spool] == [p.line for p in spool]  # re-readable
        with pytest.raises(RuntimeError):
            spool.append(publication("c.txt", 1))
    finally:
        spool.close()


def test_mapped_view_transforms_on_read() -> None:
    spool = PublicationSpool()
    spool.extend([publication("a", 1), publication("a", 2)])
    view = spool.mapped(lambda p: p.model_copy(update={"title": p.title.upper()}))
    assert [p.title for p in view] == ["T1", "T2"]
    assert [p.title for p in spool] == ["t1", "t2"]
    spool.close()


def test_small_chunks_give_the_same_result(monkeypatch: pytest.MonkeyPatch) -> None:
    # Offline: a replay store holds the exact batched requests of the run that recorded it.
    options = CheckOptions(offline=True)
    whole = run_check([str(SEED)], options)
    monkeypatch.setattr(streaming, "CHUNK", 2)
    chunked = run_check([str(SEED)], options)
    assert [p.model_dump() for p in chunked.publications] == [
        p.model_dump() for p in whole.publications
    ]
    assert len(whole.publications) == 11


async def test_stream_check_keeps_publications_on_disk() -> None:
    result = await stream_check([str(SEED)], CheckOptions(verify=False))
    assert isinstance(result.publications, PublicationSpool)
    assert len(result.publications) == 11
    result.publications.close()


def test_known_outcomes_forget_the_least_recently_used() -> None:
    known = KnownOutcomes(limit=2)

    def outcome(identifier: str) -> Outcome:
        return Outcome(kind=OutcomeKind.NOT_FOUND, registry="ctgov", requested_id=identifier)

    keys = [("ctgov", f"NCT0000000{n}") for n in range(3)]
    known.add({keys[0]: outcome("a"), keys[1]: outcome("b")})
    known.get([keys[0]])
    known.add({keys[2]: outcome("c")})
    assert set(known.get(keys)) == {keys[0], keys[2]}


def test_encoded_lines_copy_a_spool_without_models() -> None:
    """A worker's spool travels as its JSON lines; placed by their own fields, they make the
    same spool again (report order kept, even out of line order)."""
    first = PublicationSpool()
    for item in [("b.txt", 1), ("a.txt", 5), ("a.txt", 2)]:
        first.append(publication(*item))
    copy = PublicationSpool()
    try:
        lines = list(encoded_lines(first))
        assert lines == [p.model_dump_json().encode() + b"\n" for p in first]
        for line in reversed(lines):
            copy.append_line(line)
        assert list(copy) == list(first)
        assert placed(lines[0]) == ("a.txt", 2, "k")
        with pytest.raises(RuntimeError, match="mapped view"):
            next(first.mapped(lambda p: p).encoded())
        assert list(encoded_lines([publication("c.txt", 4)])) == [
            publication("c.txt", 4).model_dump_json().encode() + b"\n"
        ]
    finally:
        first.close()
        copy.close()
