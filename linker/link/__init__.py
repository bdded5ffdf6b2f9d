"""Link stage: how well a registry record fits a paper."""

from linker.link.score import DEFAULT, MatchThresholds, score_match

__all__ = ["DEFAULT", "MatchThresholds", "score_match"]
