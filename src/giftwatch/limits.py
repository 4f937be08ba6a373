"""How large one article may be, and how much is parsed at once: the limits docs/limits.md states and measures.

spaCy's parse holds every token of a batch in memory at once (about 4 KB per character of news prose), and
parts of it (named entities) slow down more than linearly on one very long text. News articles are short: the
longest of 23,000 press articles in ../shared/corpus is 55,000 characters. So one article may have at most
GIFTWATCH_MAX_ARTICLE_CHARS characters (default 100,000, about twice that); a longer one is refused with a message
saying what to do, never parsed; and a batch is closed before its texts exceed BATCH_CHARS, so one process
parses at most max(BATCH_CHARS, one article) characters at a time whatever the corpus.
"""
from __future__ import annotations

import os

from giftwatch.errors import GiftwatchError, ReadError

ENV = "GIFTWATCH_MAX_ARTICLE_CHARS"
DEFAULT_MAX_ARTICLE_CHARS = 100_000
BATCH_CHARS = 100_000              # characters parsed together (besides one longer article on its own)
MIN_FILE_BYTES = 10 * 1024 * 1024  # a text or HTML file, or one JSON line, larger than this is not read
MB = 1024 * 1024


def max_article_chars() -> int:
    """The largest article, in characters, that is parsed: $GIFTWATCH_MAX_ARTICLE_CHARS or the default."""
    value = os.environ.get(ENV, "").strip().replace("_", "").replace(",", "")
    if not value:
        return DEFAULT_MAX_ARTICLE_CHARS
    if not value.isdigit() or int(value) < 1:
        raise GiftwatchError(f"{ENV} must be a whole number of characters such as 200000, not "
                             f"{os.environ[ENV]!r}: fix or unset it")
    return int(value)


def max_file_bytes() -> int:
    """The largest text or HTML file (or JSON line) read at all: 10 MB, or 4 bytes per allowed character if
    the article limit is raised beyond that. Anything larger is refused without being read into memory."""
    return max(MIN_FILE_BYTES, 4 * max_article_chars())


def too_long(chars: int) -> str | None:
    """What to tell the user about an article of `chars` characters; None when it is within the limit."""
    limit = max_article_chars()
    if chars <= limit:
        return None
    return (f"article is {chars:,} characters, over the limit of {limit:,} ({ENV}): split it into separate "
            "articles, or raise the limit (memory grows by about 4 KB per character; see docs/limits.md)")


def too_large(size: int, what: str = "file", *, at_least: bool = False) -> str | None:
    """What to tell the user about a file (or line) of `size` bytes (`at_least`: or more); None when it may
    be read."""
    limit = max_file_bytes()
    if size <= limit:
        return None
    amount = f"over {limit / MB:,.0f} MB" if at_least else f"{size / MB:,.1f} MB"
    return (f"{what} is {amount}, more than the {limit / MB:,.0f} MB an article can take up, so it was not read: "
            f"split it into one file per article (or JSON Lines, one article per line), or raise {ENV} "
            "(docs/limits.md)")


class ArticleTooLong(ReadError):
    """An article over the length limit: refused before it is parsed (a crawl counts these instead)."""


def check_length(text: str, where: str, line: int | None = None) -> None:
    """Raise ArticleTooLong, naming `where` (a file, a file:line), for a text over the article limit."""
    problem = too_long(len(text))
    if problem:
        raise ArticleTooLong(where, problem, line)


def check_article_text(text: str) -> None:
    """Raise GiftwatchError, saying what to do, for a text over the article limit."""
    problem = too_long(len(text))
    if problem:
        raise GiftwatchError(problem[0].upper() + problem[1:] + ".")
