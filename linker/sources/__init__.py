"""Bibliographic sources that complete a publication list's records (``--enrich``).

One module per source behind :class:`~linker.sources.interface.PaperSource`, speaking the same
HTTP layer, pacing and retries as the registry clients (:mod:`linker.registries.http`).
"""

from linker.sources.interface import PaperOutcome, PaperOutcomeKind, PaperRecord, PaperSource

__all__ = ["PaperOutcome", "PaperOutcomeKind", "PaperRecord", "PaperSource"]
