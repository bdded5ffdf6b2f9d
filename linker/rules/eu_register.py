"""The EU registers' two facts that are easy to misread (docs/verdicts.md).

- EUCTR answers "(0)" both for a typo and for a phase 1 trial in adults, which it does not
  publish: the paper says which is likely, and only a clear phase 2-4 or paediatric paper makes
  the absence an error.
- A EudraCT trial that transitioned to CTIS keeps its EudraCT number: a note, never an
  ``obsolete-id``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from linker.extract.trial_phase import PhaseEvidence, PhaseReading, read_phase
from linker.models import Mention, Publication, Registry, Role
from linker.registries.interface import Outcome, OutcomeKind, RegistryRecord
from linker.results import Severity
from linker.rules.hit import Hit

MentionKey = tuple[Registry, str]


def not_public_hit(mention: Mention, outcome: Outcome, publication: Publication) -> Hit:
    """``not-public`` (info) for an adult phase 1 paper; ``id-not-found`` at error for a clear
    phase 2-4 or paediatric one, at warning when the paper does not say."""
    label = mention.registry.label
    said = f" ({outcome.reason})" if outcome.reason else ""
    if mention.registry is not Registry.EUCTR:
        return Hit("TL205", f"{label} does not publish {mention.id}{said}", mention)
    if mention.role is Role.OTHER:  # the paper's own phase says nothing about another trial
        evidence = PhaseEvidence(PhaseReading.UNCLEAR, "it is cited as another trial")
    else:
        evidence = read_phase(publication.text, publication.title)
    lists = f"{label} lists no trial {mention.id} and CTIS has no trial transitioned from it"
    if evidence.reading is PhaseReading.ADULT_PHASE1:
        return Hit(
            "TL205",
            f"{lists}; {evidence.because}, which EUCTR does not publish: expected, nothing to "
            "fix unless the number is mistyped",
            mention,
        )
    if evidence.reading is PhaseReading.PUBLIC:
        return Hit(
            "TL201",
            f"{lists}, although it publishes every phase 2-4 and paediatric trial and "
            f"{evidence.because}: check the number for a typo",
            mention,
            severity=Severity.ERROR,
        )
    return Hit(
        "TL201",
        f"{lists}: check the number for a typo ({evidence.because}; phase 1 trials in adults "
        "are not public there, so this may be one)",
        mention,
        severity=Severity.WARNING,
    )


def transitioned_to(mention: Mention, record: RegistryRecord | None) -> str | None:
    """The EU CT number a cited EudraCT trial moved to, if it did."""
    if mention.registry is not Registry.EUCTR or record is None:
        return None
    if record.registry is Registry.CTIS:  # EUCTR has no public record: CTIS's stands in
        return record.id
    return record.transitioned_to


def transitioned_notes(
    mentions: Iterable[Mention], outcomes: Mapping[MentionKey, Outcome]
) -> Iterator[Hit]:
    """One ``transitioned-trial`` note per cited EudraCT number whose trial moved to CTIS,
    unless the paper cites the EU CT number too."""
    mentions = list(mentions)
    cited = {m.id for m in mentions if m.registry is Registry.CTIS}
    cited |= {m.id[:14] for m in mentions if m.registry is Registry.CTIS}
    for mention in mentions:
        outcome = outcomes.get((mention.registry, mention.id))
        if outcome is None or outcome.kind is not OutcomeKind.FOUND:
            continue
        moved = transitioned_to(mention, outcome.record)
        if moved is None or moved in cited or moved[:14] in cited:
            continue
        yield Hit(
            "TL206",
            f"{mention.id} moved to CTIS as {moved}; the EudraCT number stays valid. Citing "
            f"{moved} as well points readers to the trial's current record",
            mention,
        )
