"""Checking the words just before a match ("a few thousand dollars", "Giving Tuesday") without rescanning
the article: a `…$` pattern searched from the start of the text costs the whole text before each match,
which made an article with thousands of amounts or dates take minutes."""
from __future__ import annotations

import re

LOOKBACK = 64   # characters before the trailing white space: more than any context word the patterns name


def ends_with(pattern: re.Pattern[str], text: str, pos: int) -> bool:
    """Whether `pattern` (ending in `$`) matches the text just before `pos`.

    The search starts LOOKBACK characters before the white space (and hyphens) that end the text before
    `pos`, so it finds what a search from the start would, at a cost independent of the article's length.
    """
    start = pos
    while start > 0 and (text[start - 1].isspace() or text[start - 1] == "-"):
        start -= 1
    return pattern.search(text, max(0, start - LOOKBACK), pos) is not None
