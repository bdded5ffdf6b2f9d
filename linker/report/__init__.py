"""Report stage: one reporter per output format behind :class:`Reporter`."""

from linker.report.interface import OutputFormat, Reporter, reporter_for
from linker.report.load import load_result

__all__ = ["OutputFormat", "Reporter", "load_result", "reporter_for"]
