"""Pipeline components giftwatch adds to the spaCy pipeline."""
from __future__ import annotations

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc


@Language.component("giftwatch_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: captions, headings and paragraphs never run together.

    The parser keeps boundaries that are already set, so this only adds breaks. They are written in one
    array: spaCy's per-token setter rescans the whole Doc each time, which made a text of 20,000 short
    lines take minutes.
    """
    starts = [token.i + 1 for token in doc[:-1]
              if (token.is_space and "\n" in token.text) or "\n" in token.whitespace_ or token.text.endswith("\n")]
    if starts:
        values = doc.to_array([SENT_START])   # one column, returned as a vector
        values[starts] = 1
        doc.from_array([SENT_START], values)
    return doc
