"""The fast engine decides exactly as the plain reading of the model, whatever the model holds:
every real abstract, and generated texts, compared report for report (decision, evidence,
trial names) with ``evaluation=PLAIN``."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import shared_path

from linker.extract import fast_text, trial_report
from linker.extract.scan import current_backend
from linker.extract.trial_engine import TrialEngine
from linker.extract.trial_report import PLAIN, classify_text
from linker.models import TrialReport

Record = tuple[str, str, tuple[str, ...]]
SAMPLE_EVERY = 25  # the other backends compare every 25th record


@cache
def real_records() -> list[Record]:
    path = shared_path("data-real", "abstracts", "unified_abstracts.jsonl.gz")
    records = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            types = tuple(record.get("publication_types") or ())
            records.append((record.get("title") or "", record.get("abstract") or "", types))
    return records


def digest(report: TrialReport) -> str:
    return hashlib.sha1(report.model_dump_json().encode(), usedforsecurity=False).hexdigest()


def _model_version() -> str:
    """A hash of every source the plain reading depends on: a cached reference is reused only
    while none of them changed."""
    package = Path(trial_report.__file__).parent
    sources = sorted([*package.glob("*.py"), *package.glob("*.json"), package.parent / "models.py"])
    return hashlib.sha1(b"".join(path.read_bytes() for path in sources)).hexdigest()


_plain: dict[str, list[str]] = {}
# Beside pytest's own cache (ignored by git), also when the cache plugin is off (integrate.sh).
STORE = Path(__file__).resolve().parents[2] / ".pytest_cache" / "trial-engine-plain"


def plain_digests() -> list[str]:
    """The plain reading's report of every real record (digests): computed once per model
    version (about 20 s of CPU) and kept on disk."""
    version = _model_version()
    if version not in _plain:
        path = STORE / f"{version}.json"
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            stored = None
        if not isinstance(stored, list) or len(stored) != len(real_records()):
            stored = [digest(classify_text(*r, evaluation=PLAIN)) for r in real_records()]
            with contextlib.suppress(OSError):
                STORE.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(stored), encoding="utf-8")
        _plain[version] = stored
    return _plain[version]


@cache
def _first_backend() -> str:
    return current_backend()


def test_every_real_abstract_same_report_as_the_plain_reading(scan_backend: str) -> None:
    records, expected = real_records(), plain_digests()
    every = 1 if scan_backend == _first_backend() else SAMPLE_EVERY
    engine = TrialEngine()
    got = [digest(classify_text(*record, evaluation=engine)) for record in records[::every]]
    pairs = enumerate(zip(got, expected[::every], strict=True))
    mismatched = [i * every for i, (fast, plain) in pairs if fast != plain]
    assert not mismatched, f"records differing from the plain reading: {mismatched[:10]}"
    assert len(records) > 13_000


def test_the_default_evaluation_is_the_engine() -> None:
    assert isinstance(trial_report.default_evaluation(), TrialEngine)


def test_the_fast_reading_reads_the_plain_facts() -> None:
    title = "Exercise after stroke: the ABC randomised controlled trial protocol"
    abstract = (
        "Background: Previous trials were small. Methods: Patients were randomly assigned to "
        "exercise or usual care (NCT01234567); outcomes will be assessed and we will compare "
        "groups. Results: not yet. Conclusions: Larger trials are needed."
    )
    fast, plain = TrialEngine().read(title, abstract), PLAIN.read(title, abstract)
    assert fast.sentences == plain.sentences
    assert [(c.name, c.place) for c in fast.cues] == [(c.name, c.place) for c in plain.cues]
    assert [fast.phrase(c) for c in fast.cues] == [c.phrase for c in plain.cues]
    assert fast.names() == plain.names()


WORDS = st.sampled_from(
    [
        "randomised", "Randomized", "trial", "TRIALS", "placebo", "RCT", "rcts", " ", ". ",
        "\n", "phase II", "double-blind", "mice", "cohort", "we searched", "MEDLINE", "were",
        "randomly", "assigned", "to", "the", "future", "studies", "10 mg", "5 µg", "\u017f",
        "\u212a", "\u0130", "é", "\u00a0", "\u2013", "_", "\u0663", "data from the", "ABC",
        "Trial", "(", ")", ":", "Methods:", "RESULTS: ", "Background \u2014 ", "protocol",
        "will be", "p < 0.05", "Secondary analysis of", "Study Of Hearts Trial", "SOHT",
        "previous trials", "larger trials are needed", "in vitro", "12.5.3", "covid-19's",
    ]
)  # fmt: skip


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(WORDS, max_size=40).map("".join), st.lists(WORDS, max_size=8).map("".join))
def test_generated_texts_same_report_as_the_plain_reading(
    scan_backend: str, abstract: str, title: str
) -> None:
    for types in ((), ("Journal Article",), ("Randomized Controlled Trial", "Review")):
        expected = classify_text(title, abstract, types, evaluation=PLAIN)
        assert classify_text(title, abstract, types) == expected


LABEL_PIECES = st.sampled_from(
    [
        "Methods", "RESULTS", "Background and aims", "A", "a", " ", "  ", "\n", "\t", ":", ": ",
        ":\n", ". ", "! ", "? ", "; ", ".", ",", "-", "/", "&", "Results: ", "x" * 30, "Y" * 45,
        "\u2014 ", "\u2014", "1", "\u00e9",
    ]
)  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(LABEL_PIECES, max_size=24).map("".join))
def test_labels_are_the_patterns_matches(text: str) -> None:
    for anchored in (fast_text.SECTION_LABELS, fast_text.WORD_LABELS):
        assert anchored.fast
        got = [(m.span(), m.groupdict()) for m in anchored.finditer(text)]
        assert got == [(m.span(), m.groupdict()) for m in anchored.pattern.finditer(text)]
