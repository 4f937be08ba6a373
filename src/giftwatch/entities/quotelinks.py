"""Which gift a quote speaks about, where the article ties them: the quote names the gift's amount or recipient,
it stands in the same paragraph as the gift's evidence, or its speaker is a party to the article's only gift.
Each link keeps the reason, so a reader can judge it."""
from __future__ import annotations

import re
from collections.abc import Callable

from giftwatch.entities.names import fold
from giftwatch.records import Article, Gift

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_QUALIFIERS = re.compile(r"^(?:more than|over|nearly|almost|about|around|roughly|some|up to|at least)\s+", re.I)


def _paragraph_of(text: str, offset: int | None) -> int | None:
    if offset is None or offset < 0:
        return None
    return sum(1 for m in _PARAGRAPH_BREAK.finditer(text, 0, offset))


def _offset(text: str, snippet: str | None, stated: int | None) -> int | None:
    if stated is not None:
        return stated
    if not snippet:
        return None
    found = text.find(snippet[:80])
    return found if found >= 0 else None


def amount_forms(gift: Gift) -> list[str]:
    """Ways a quote may write the gift's amount: "$5 million", "5 million", "5,000,000"."""
    forms = []
    if gift.amount_text:
        forms.append(_QUALIFIERS.sub("", gift.amount_text.strip()))
    if gift.amount:
        value = float(gift.amount)
        forms.append(f"{value:,.0f}")
        for unit, size in (("billion", 1e9), ("million", 1e6)):
            if value >= size:
                forms.append(f"{value / size:g} {unit}")
                break
    return [fold(f) for f in forms if len(f) >= 3]


def _mentions(quote_text: str, names: list[str]) -> bool:
    folded = fold(quote_text)
    return any(re.search(rf"(?<!\w){re.escape(fold(n))}(?!\w)", folded) for n in names if len(n) >= 3)


def link_quotes(article: Article, speaker_is_party: Callable[[int, int], bool]) -> list[tuple[int, int, str]]:
    """(quote position, gift position, reason) for each tie the article makes between a quote and a gift."""
    links: list[tuple[int, int, str]] = []
    text = article.text or ""
    gift_paragraphs = [_paragraph_of(text, _offset(text, g.evidence, g.evidence_start)) for g in article.gifts]
    for q, quote in enumerate(article.quotes):
        quote_paragraph = _paragraph_of(text, _offset(text, quote.text, quote.start))
        for g, gift in enumerate(article.gifts):
            if any(form in fold(quote.text) for form in amount_forms(gift)):
                reason = "quote states the gift's amount"
            elif gift.recipient and _mentions(quote.text, [gift.recipient, *(gift.recipient_aliases or [])]):
                reason = "quote names the recipient"
            elif quote_paragraph is not None and quote_paragraph == gift_paragraphs[g]:
                reason = "same paragraph as the gift"
            elif len(article.gifts) == 1 and speaker_is_party(q, g):
                reason = "speaker is a party to the article's only gift"
            else:
                continue
            links.append((q, g, reason))
    return links
