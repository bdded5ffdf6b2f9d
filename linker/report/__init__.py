"""Report stage: one reporter per output format behind :class:`Reporter`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linker.report.interface import OutputFormat, Reporter, reporter_for
    from linker.report.load import load_result

__all__ = ["OutputFormat", "Reporter", "load_result", "reporter_for"]


def __getattr__(name: str) -> Any:
    # Imported on first use: ``linker.report.escape`` (used by every command) then does not
    # pull in the reporters and the result model.
    if name == "load_result":
        from linker.report.load import load_result

        return load_result
    if name in __all__:
        from linker.report import interface

        return getattr(interface, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
