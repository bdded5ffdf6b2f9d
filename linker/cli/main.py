"""``trial-linker``: the command line, a thin adapter over :mod:`linker.pipeline`.

Exit codes (README, "Exit codes"): 0 clean, 1 findings at or above ``--fail-on``, 2 usage,
configuration or input error, 3 verification incomplete.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import IO, Any

import click

from linker import __version__
from linker.errors import ExitCode, LinkerError

# Each command's module is imported only when that command runs (or for --help): start-up
# (``trial-linker --version``) then costs click alone, not the whole pipeline.
LAZY_COMMANDS = {
    "extract": "linker.cli.extract_cmd:extract_command",
    "lookup": "linker.cli.lookup_cmd:lookup_command",
    "check": "linker.cli.check_cmd:check_command",
    "report": "linker.cli.report_cmd:report_command",
    "cache": "linker.cli.cache_cmd:cache_group",
    "rules": "linker.cli.rules_cmd:rules_command",
    "snapshot": "linker.cli.snapshot_cmd:snapshot_group",
    "merge": "linker.cli.merge_cmd:merge_command",
}


class _ReportedError(click.ClickException):
    """A run-fatal :class:`LinkerError`, shown as one line with its documented exit code."""

    exit_code = int(ExitCode.USAGE)  # every LinkerError is a usage, configuration or input error

    def show(self, file: IO[Any] | None = None) -> None:
        from linker.report.escape import terminal

        click.echo(f"trial-linker: error: {terminal(self.message)}", err=True)


class LinkerGroup(click.Group):
    """Turns the commands' returned exit codes and run-fatal errors into process exits, and
    loads the commands of :data:`LAZY_COMMANDS` on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            module, _, name = LAZY_COMMANDS[cmd_name].partition(":")
            command = getattr(importlib.import_module(module), name)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            code = super().invoke(ctx)
        except LinkerError as error:
            raise _ReportedError(str(error)) from error
        if isinstance(code, int) and code:
            ctx.exit(code)
        return code


@click.group(
    cls=LinkerGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="trial-linker")
def cli() -> None:
    """Find trial registration identifiers in publication lists, verify them against the
    registries, and report what is missing, malformed or mismatched."""


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="trial-linker")
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Silence the final flush.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitCode.OK)
