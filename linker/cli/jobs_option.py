"""``-j/--jobs N``, shared by ``check`` and ``extract`` (see :mod:`linker.scale.split`);
``extract`` also takes ``auto``, its default (:mod:`linker.scale.auto_jobs`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from linker.scale.auto_jobs import AUTO

_HELP = (
    "Read (and check) input files in this many processes; with fewer files than that, large "
    "files are split into parts. Same result as one."
)


if TYPE_CHECKING:
    _JobsParam = click.ParamType[int | str]
else:  # subscriptable at run time only in recent click
    _JobsParam = click.ParamType


class _Jobs(_JobsParam):
    """A number of processes, 1 or more, or ``auto`` where the command allows it."""

    name = "integer"

    def __init__(self, auto: bool) -> None:
        self.auto = auto

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> int | str:
        if self.auto and value == AUTO:
            return AUTO
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if number < 1:
            wanted = "an integer of 1 or more" + (" or 'auto'" if self.auto else "")
            self.fail(f"{value!r} is not {wanted}", param, ctx)
        return number


jobs_option = click.option(
    "-j", "--jobs", type=_Jobs(auto=False), default=1, show_default=True, help=_HELP
)
auto_jobs_option = click.option(
    "-j",
    "--jobs",
    type=_Jobs(auto=True),
    default=AUTO,
    show_default=True,
    help=_HELP + " auto: one per CPU when the input is large enough to gain from it "
    "(40 MB; 2 MB with --publications), else one.",
)


def jobs_for(sources: list[str], jobs: int, on_warning: Callable[[str], None] | None) -> int:
    """The processes to read ``sources`` in: one when standard input is among them (it can be
    read only once, so it is neither handed to a worker nor split), with a warning."""
    if jobs > 1 and "-" in sources:
        if on_warning is not None:
            on_warning(f"--jobs {jobs}: standard input is read in one process")
        return 1
    return jobs
