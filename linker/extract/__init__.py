"""Extract stage: trial registration identifiers (with their file positions and roles) and the
decision whether a publication reports a trial."""

from linker.extract.identifiers import Found, canonical_id, find_identifiers, parse_identifier
from linker.extract.mentions import extract_mentions
from linker.extract.roles import classify_role
from linker.extract.trial_report import classify_publication, classify_text

__all__ = [
    "Found",
    "canonical_id",
    "classify_publication",
    "classify_role",
    "classify_text",
    "extract_mentions",
    "find_identifiers",
    "parse_identifier",
]
