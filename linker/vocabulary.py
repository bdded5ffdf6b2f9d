"""The pipeline's shared vocabulary without pydantic: the closed sets of values every output
uses (:class:`Registry`, :class:`Role`, :class:`Classification`) and :class:`TextAnchor`.

The hot path (``extract``: readers, identifier search, output rows) imports only this, so that
start-up does not pay for pydantic; :mod:`linker.models`, the pydantic boundary, re-exports
every name, so ``linker.models.Registry`` is this very class.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from enum import StrEnum
from typing import NamedTuple


class Registry(StrEnum):
    """Registries trial-linker knows, by their stable short names (used in every output)."""

    CTGOV = "ctgov"
    ISRCTN = "isrctn"
    EUCTR = "euctr"
    CTIS = "ctis"
    ANZCTR = "anzctr"
    CHICTR = "chictr"
    CTRI = "ctri"
    DRKS = "drks"
    JRCT = "jrct"
    UMIN = "umin"
    CRIS = "cris"
    PACTR = "pactr"
    IRCT = "irct"
    NL = "nl"
    REBEC = "rebec"
    SLCTR = "slctr"
    TCTR = "tctr"
    REPEC = "repec"
    LBCTR = "lbctr"
    ITMCTR = "itmctr"
    UTN = "utn"

    @property
    def label(self) -> str:
        """The registry's name as people write it, for messages."""
        return _REGISTRY_LABELS[self]


_REGISTRY_LABELS = {
    Registry.CTGOV: "ClinicalTrials.gov",
    Registry.ISRCTN: "ISRCTN",
    Registry.EUCTR: "the EU Clinical Trials Register",
    Registry.CTIS: "CTIS",
    Registry.ANZCTR: "ANZCTR",
    Registry.CHICTR: "ChiCTR",
    Registry.CTRI: "CTRI",
    Registry.DRKS: "DRKS",
    Registry.JRCT: "jRCT",
    Registry.UMIN: "UMIN-CTR",
    Registry.CRIS: "CRiS",
    Registry.PACTR: "PACTR",
    Registry.IRCT: "IRCT",
    Registry.NL: "the Netherlands Trial Register",
    Registry.REBEC: "ReBEC",
    Registry.SLCTR: "SLCTR",
    Registry.TCTR: "TCTR",
    Registry.REPEC: "REPEC",
    Registry.LBCTR: "LBCTR",
    Registry.ITMCTR: "ITMCTR",
    Registry.UTN: "WHO UTN",
}


class Role(StrEnum):
    """Whether an identifier is the paper's own registration or a reference to another trial."""

    OWN = "own"
    OTHER = "other"
    UNKNOWN = "unknown"


class Classification(StrEnum):
    """What kind of publication this is, as far as registration duties go."""

    TRIAL_RESULTS = "trial-results"
    TRIAL_PROTOCOL = "trial-protocol"
    SECONDARY_ANALYSIS = "secondary-analysis"
    NOT_TRIAL = "not-trial"


class TextAnchor(NamedTuple):
    """From text offset ``offset`` on, characters sit at file ``line``/``column`` (1-based),
    advancing one column per character until the next anchor. A tuple, not a model: a record
    with many JSON escapes has an anchor per escape (a 100 MB line: millions)."""

    offset: int
    line: int
    column: int


def _anchor_offset(anchor: TextAnchor) -> int:
    return anchor.offset


def locate_at(anchors: Sequence[TextAnchor], offset: int) -> tuple[int, int]:
    """File (line, column) of the character at ``offset`` of a text placed by ``anchors``
    ((0, 0) where it has none)."""
    if not anchors:
        return (0, 0)
    index = bisect_right(anchors, offset, key=_anchor_offset) - 1
    anchor = anchors[max(index, 0)]
    return (anchor.line, anchor.column + max(offset - anchor.offset, 0))
