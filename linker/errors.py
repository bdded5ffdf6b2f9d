"""Run-fatal errors and the exit-code contract.

Per-item problems (an identifier a registry could not answer for) are values, not exceptions:
see :mod:`linker.registries.interface`. What is here stops a run, and the CLI turns it into one
line on stderr and the documented exit code.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The exit-code contract (README, "Exit codes")."""

    OK = 0
    FINDINGS = 1
    USAGE = 2
    UNVERIFIED = 3


class LinkerError(Exception):
    """Base of every error that ends a run."""

    exit_code: ExitCode = ExitCode.USAGE


class InputError(LinkerError):
    """An input file cannot be read as a publication list."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class ConfigError(LinkerError):
    """The configuration (file, environment or flags) is invalid."""


class OutputError(LinkerError):
    """A report or output file cannot be written."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = file
        super().__init__(f"{file}: cannot write: {reason}")


class CacheError(LinkerError):
    """``cache info`` or ``cache clear`` cannot do what it says (during a run a cache failure
    only costs requests and is never an error)."""
