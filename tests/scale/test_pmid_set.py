"""PubMed updates applied with the PMIDs on disk (bounded memory): the same result as the
plain in-memory rule, for any files, deletions and repeats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linker.scale import pubmed_updates
from linker.scale.pmid_set import PmidSet
from linker.scale.pubmed_updates import apply_updates

Files = list[tuple[list[tuple[str | None, int]], list[str]]]


def in_memory(
    files: Sequence[tuple[Iterable[tuple[str | None, int]], Sequence[str]]],
) -> Iterator[int]:
    """The rule written plainly: keep an item unless a later file has its PMID or deletes it."""
    for index, (items, _) in enumerate(files):
        later = {p for pairs, _ in files[index + 1 :] for p, _ in pairs} | {
            d for _, deleted in files[index + 1 :] for d in deleted
        }
        yield from (item for pmid, item in items if pmid is None or pmid not in later)


pmids = st.sampled_from([str(n) for n in range(1, 30)])
files = st.lists(
    st.tuples(
        st.lists(st.one_of(st.none(), pmids), max_size=12),
        st.lists(pmids, max_size=4),
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(files)
def test_on_disk_is_the_plain_rule(drawn: list[tuple[list[str | None], list[str]]]) -> None:
    numbered: Files = []
    count = 0
    for items, deleted in drawn:
        numbered.append(([(pmid, count + i) for i, pmid in enumerate(items)], deleted))
        count += len(items)
    kept = list(apply_updates(numbered))
    # apply_updates goes from the last file back; the rule's order is the files' order
    assert sorted(kept) == sorted(in_memory(numbered))


def test_batches_smaller_than_a_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pubmed_updates, "BATCH", 3)
    numbered: Files = [
        ([(str(n % 7), n) for n in range(20)], ["3"]),
        ([(str(n), 100 + n) for n in range(5)], []),
    ]
    assert sorted(apply_updates(numbered)) == sorted(in_memory(numbered))


def test_pmid_set_batches() -> None:
    with closing(PmidSet()) as pmids:
        assert pmids.add_here([str(n) for n in range(1200)] + ["5"]) == 1200
        assert pmids.seen_among(["5"]) == set()
        pmids.end_file()
        pmids.add_seen(["x"])
        assert pmids.seen_among([str(n) for n in range(1195, 1205)] + ["x"]) == {
            "1195",
            "1196",
            "1197",
            "1198",
            "1199",
            "x",
        }
