"""Run by every Python process a test starts (``tests/conftest.py`` puts this folder first on
``PYTHONPATH``): the same refusal as in the test process, each refused attempt written to the
file the conftest names, so the test fails even when the child's own code catches the error.
It shadows the interpreter's own ``sitecustomize``, if any, in those processes only."""

import os
from pathlib import Path

from network_guard import LOG_VARIABLE, guarded_calls

if log := os.environ.get(LOG_VARIABLE):

    def _refuse(what: str) -> None:
        with Path(log).open("a", encoding="utf-8") as handle:
            handle.write(f"pid {os.getpid()}: {what}\n")
        raise OSError(f"a test tried to reach the network: {what}")

    for _owner, _name, _call in guarded_calls(_refuse):
        setattr(_owner, _name, _call)
