"""giftwatch: turn news into a record of who gave what to whom, and what they said."""
from __future__ import annotations

from giftwatch.errors import GiftwatchError, ModelNotFoundError, ReadError, StoreError
from giftwatch.records import Article, Gift, Quote

__version__ = "0.1.0"


def extract(text: str, published: str | None = None, *, id: str | None = None,
            title: str | None = None, model: str | None = None) -> Article:
    """Extract gifts and quotes from one article's text.

    `published` (ISO date) anchors relative dates such as "last week". A text over the article limit
    (GIFTWATCH_MAX_ARTICLE_CHARS, docs/limits.md) raises GiftwatchError saying what to do.
    """
    from giftwatch.limits import check_article_text
    from giftwatch.pipeline import extract_article, make_article

    check_article_text(text)
    return extract_article(make_article(text, published=published, id=id, title=title), model=model)


__all__ = ["Article", "Gift", "Quote", "extract", "GiftwatchError", "ModelNotFoundError", "ReadError",
           "StoreError", "__version__"]
