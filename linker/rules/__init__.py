"""Rules stage: stable rule codes (:mod:`catalog`), the checks, settings and baselines."""

from linker.rules.catalog import RULES, Rule, lookup
from linker.rules.engine import PublicationEvidence, evaluate
from linker.rules.settings import RuleSettings

__all__ = ["RULES", "PublicationEvidence", "Rule", "RuleSettings", "evaluate", "lookup"]
