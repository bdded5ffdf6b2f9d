"""Every extraction test runs once per installed scanning backend (hyperscan, re2, re): the
fast paths must give exactly what the reference gives."""

from __future__ import annotations

from support import every_scan_backend

scan_backend = every_scan_backend()
