"""What the benchmarks share: the environment of a measured process."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def child_env(backend: str | None = None) -> dict[str, str]:
    """The environment of a measured process: compiled bytecode cached (as an installed
    package has it; in a temporary prefix, not in the tree) and the backend chosen."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "trial-linker-bench-pycache")
    if backend is not None:
        env["TRIAL_LINKER_BACKEND"] = backend
    return env
