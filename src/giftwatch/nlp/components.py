"""Pipeline components giftwatch adds to the spaCy pipeline."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("giftwatch_paragraphs")
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: captions, headings and paragraphs never run together.

    The parser keeps boundaries that are already set, so this only adds breaks.
    """
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
        elif "\n" in token.whitespace_ or (token.i + 1 < len(doc) and token.text.endswith("\n")):
            doc[token.i + 1].is_sent_start = True
    return doc
