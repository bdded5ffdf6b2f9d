"""``trial-linker``: the command line, a thin adapter over :mod:`linker.pipeline`.

Exit codes (README, "Exit codes"): 0 clean, 1 findings at or above ``--fail-on``, 2 usage,
configuration or input error, 3 verification incomplete.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any

import click

from linker import __version__
from linker.cli.cache_cmd import cache_group
from linker.cli.check_cmd import check_command
from linker.cli.extract_cmd import extract_command
from linker.cli.lookup_cmd import lookup_command
from linker.cli.merge_cmd import merge_command
from linker.cli.report_cmd import report_command
from linker.cli.rules_cmd import rules_command
from linker.cli.snapshot_cmd import snapshot_group
from linker.errors import ExitCode, LinkerError
from linker.report.escape import terminal


class _ReportedError(click.ClickException):
    """A run-fatal :class:`LinkerError`, shown as one line with its documented exit code."""

    exit_code = int(ExitCode.USAGE)  # every LinkerError is a usage, configuration or input error

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"trial-linker: error: {terminal(self.message)}", err=True)


class LinkerGroup(click.Group):
    """Turns the commands' returned exit codes and run-fatal errors into process exits."""

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


cli.add_command(extract_command)
cli.add_command(lookup_command)
cli.add_command(check_command)
cli.add_command(report_command)
cli.add_command(cache_group)
cli.add_command(rules_command)
cli.add_command(snapshot_group)
cli.add_command(merge_command)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    try:
        cli.main(args=argv, prog_name="trial-linker")
    except BrokenPipeError:
        # The reader went away (`| head`): not an error. Silence the final flush.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitCode.OK)
