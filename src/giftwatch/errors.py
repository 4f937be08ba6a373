"""giftwatch's own exceptions. Each message says what went wrong and what to do."""
from __future__ import annotations


class GiftwatchError(Exception):
    """Base class: the CLI prints these as one `Error: ...` line and exits 1."""


class ReadError(GiftwatchError):
    """An input file (or one line of it) could not be read as an article."""

    def __init__(self, path: str, reason: str, line: int | None = None):
        self.path, self.reason, self.line = path, reason, line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class ModelNotFoundError(GiftwatchError):
    """The configured spaCy pipeline is not installed."""


class StoreError(GiftwatchError):
    """The database cannot be opened or written."""


class GoldFormatError(GiftwatchError):
    """A gold file is not in the FORMAT.md record form."""
