"""What the benchmarks share: the environment of a measured process."""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

DEFAULT_SHARED = Path(
    os.environ.get("TRIAL_LINKER_SHARED", Path(__file__).resolve().parents[2] / "shared")
)


def record_arguments(
    description: str, more: Callable[[argparse.ArgumentParser], None] | None = None
) -> argparse.Namespace | None:
    """``--records``, ``--repeat`` and ``--shared`` (and what ``more`` adds); None (after
    saying so) when the real abstracts are absent."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--records", type=int, default=6000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    if more is not None:
        more(parser)
    args = parser.parse_args()
    if not (args.shared / "data-real" / "abstracts").exists():
        print(f"skipped: real abstracts not available under {args.shared}")
        return None
    return args


def child_env(backend: str | None = None) -> dict[str, str]:
    """The environment of a measured process: compiled bytecode cached (as an installed
    package has it; in a temporary prefix, not in the tree) and the backend chosen."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "trial-linker-bench-pycache")
    if backend is not None:
        env["TRIAL_LINKER_BACKEND"] = backend
    return env
