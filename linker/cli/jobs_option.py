"""``-j/--jobs N``, shared by ``check`` and ``extract`` (see :mod:`linker.scale.split`)."""

from __future__ import annotations

from collections.abc import Callable

import click

jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Read (and check) input files in this many processes; with fewer files than that, "
    "large files are split into parts. Same result as one.",
)


def jobs_for(sources: list[str], jobs: int, on_warning: Callable[[str], None] | None) -> int:
    """The processes to read ``sources`` in: one when standard input is among them (it can be
    read only once, so it is neither handed to a worker nor split), with a warning."""
    if jobs > 1 and "-" in sources:
        if on_warning is not None:
            on_warning(f"--jobs {jobs}: standard input is read in one process")
        return 1
    return jobs
