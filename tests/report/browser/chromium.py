"""Debian's Chromium driven by Playwright, for the browser tests and ``bench/report.py``.

No browser is downloaded: Playwright runs the system ``chromium`` (``apt-get install chromium``).
Playwright gives every launch a fresh temporary profile (its own ``--user-data-dir``).

The browser is a child process the tests' network guard (``tests/netguard``) does not reach,
and the reports it opens link to the live registries: it is started unable to leave the
machine. No host name resolves (nor is prefetched), and every web request goes to a proxy on
a closed local port, so a link followed, a resource loaded or a name looked up fails here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--dns-prefetch-disable",
    "--proxy-server=http://127.0.0.1:9",
]


def find_chromium() -> str | None:
    """The system Chromium: ``$TRIAL_LINKER_CHROMIUM``, else ``chromium`` on PATH."""
    configured = os.environ.get("TRIAL_LINKER_CHROMIUM")
    if configured:
        return configured if Path(configured).exists() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[browser]')"
    if find_chromium() is None:
        return "no Chromium on PATH (apt-get install chromium; or set TRIAL_LINKER_CHROMIUM)"
    return None


def launch(playwright: Any) -> Any:
    """A headless system Chromium."""
    return playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
