"""Extraction: pure functions from a parsed article to gift and quote records."""
from __future__ import annotations

from spacy.tokens import Doc

from giftwatch.extractors.names import build_cast
from giftwatch.extractors.quotemarks import find_quote_spans
from giftwatch.extractors.quotes import extract_quotes, quoted_mask
from giftwatch.records import Gift, Quote


def extract_doc(doc: Doc, published: str | None = None, text: str | None = None) -> tuple[list[Gift], list[Quote]]:
    """Gifts and quotes of one parsed article; `published` anchors relative dates.

    `text` is the text the doc was parsed from, if the caller has it (saves rebuilding `doc.text`).
    """
    from giftwatch.extractors.gifts import extract_gifts

    text = doc.text if text is None else text   # spaCy rebuilds doc.text on every access
    spans = find_quote_spans(text)
    cast = build_cast(doc, quoted_mask(doc, spans), text)
    quotes = extract_quotes(doc, cast, spans, text)
    gifts = extract_gifts(doc, cast, quotes, published)
    return gifts, quotes
