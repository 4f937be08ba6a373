"""A guard around spaCy's tokenizer for text that is not prose.

spaCy strips prefixes and suffixes one character at a time, re-slicing the rest of the word each time, so a
long run of characters without white space made of punctuation ("$$$…", quotation marks, emoji, "<<<…")
costs time quadratic in its length: 20,000 dollar signs took 80 s, 100,000 would take half an hour. No
word of prose is that long, so runs longer than MAX_RUN characters are cut into tokens of at most MAX_RUN
characters without affix splitting; everything else goes through spaCy's tokenizer unchanged, and the Doc's
text is always exactly the input (extractors store character offsets into it).
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

MAX_RUN = 200   # characters without white space; URLs and hyphenated compounds stay well below
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))


class RunSafeTokenizer:
    """Calls spaCy's tokenizer, except on over-long runs without white space (see the module docstring)."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        runs = list(_LONG_RUN.finditer(text))
        if not runs:
            return self.tokenizer(text)
        words: list[str] = []
        spaces: list[bool] = []
        position = 0
        for run in runs:
            self._add_prose(text[position:run.start()], words, spaces)
            piece_starts = range(run.start(), run.end(), MAX_RUN)
            for start in piece_starts:
                words.append(text[start:min(start + MAX_RUN, run.end())])
                spaces.append(False)
            if text[run.end():run.end() + 2].startswith(" ") and not text[run.end() + 1:run.end() + 2].isspace():
                spaces[-1] = True   # one plain space after the run belongs to its last piece, as spaCy does
                position = run.end() + 1
            else:
                position = run.end()
        self._add_prose(text[position:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _add_prose(self, segment: str, words: list[str], spaces: list[bool]) -> None:
        if not segment:
            return
        for token in self.tokenizer(segment):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))

    def __getattr__(self, name: str):
        """Everything else (explain, rules, to_bytes) is spaCy's tokenizer's own."""
        if name == "tokenizer":   # not set yet (while unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)
