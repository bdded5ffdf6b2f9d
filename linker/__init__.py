"""trial-linker: find, verify and audit clinical-trial registration identifiers.

The pipeline, each stage usable on its own::

    read_publications(path)            readers   -> Publication
    extract_mentions(publication)      extract   -> list[Mention]
    classify_publication(publication)  extract   -> TrialReport
    verify_sync([(registry, id), ...]) registries -> {(registry, id): Outcome}
    run_check([path], CheckOptions())  everything -> RunResult (link, rules)
    reporter_for(OutputFormat.HTML).render(result)
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/trial-linker/trial-linker"

_EXPORTS = {
    "read_publications": "linker.readers",
    "extract_mentions": "linker.extract.mentions",
    "classify_publication": "linker.extract.trial_report",
    "verify_sync": "linker.registries.verifier",
    "run_check": "linker.pipeline",
    "CheckOptions": "linker.pipeline",
    "reporter_for": "linker.report.interface",
    "OutputFormat": "linker.report.interface",
    "RunResult": "linker.results",
}
__all__ = ["PROJECT_URL", "__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import linker` stays cheap and the stage modules can import __version__.
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'linker' has no attribute {name!r}")
