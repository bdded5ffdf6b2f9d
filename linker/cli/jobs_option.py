"""``-j/--jobs N``, shared by ``check`` and ``extract`` (see :mod:`linker.scale.split`)."""

from __future__ import annotations

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
