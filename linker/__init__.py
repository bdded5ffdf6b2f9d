"""trial-linker: find, verify and audit clinical-trial registration identifiers."""

__version__ = "0.1.0"
PROJECT_URL = "https://github.com/trial-linker/trial-linker"
