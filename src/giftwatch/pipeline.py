"""From articles to extracted articles: parse in batches, then extract.

This is the one place that runs spaCy over articles; the CLI, the API and
`giftwatch eval` all go through it.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from giftwatch.extractors import extract_doc
from giftwatch.nlp import load_pipeline
from giftwatch.records import Article

BATCH_SIZE = 32


def make_article(text: str, *, published: str | None = None, id: str | None = None,
                 title: str | None = None, source: str | None = None) -> Article:
    """An Article for raw text, with an id stable for the same text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return Article(id=id or f"text-{digest}", text=text, published=published, title=title, source=source)


def _published_day(published: str | None) -> str | None:
    """Keep only the ISO date part of a published timestamp."""
    if not published:
        return None
    match = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", published.strip())
    return match.group(0) if match else None


def extract_articles(articles: Iterable[Article], *, model: str | None = None,
                     batch_size: int = BATCH_SIZE, n_process: int = 1) -> Iterator[Article]:
    """Yield each article with its gifts and quotes, parsing in batches."""
    nlp = load_pipeline(model)
    stream = ((a.text, a) for a in articles)
    for doc, article in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
        gifts, quotes = extract_doc(doc, _published_day(article.published))
        yield replace(article, gifts=gifts, quotes=quotes)


def extract_article(article: Article, *, model: str | None = None) -> Article:
    return next(extract_articles([article], model=model))


def extract_records(records: list[dict], *, model: str | None = None) -> list[dict]:
    """FORMAT.md dicts in, FORMAT.md dicts with gifts and quotes out (used by `giftwatch eval`)."""
    articles = (Article(id=r["id"], text=r["text"], published=r.get("published"), title=r.get("title"),
                        source=r.get("source")) for r in records)
    return [a.to_dict() for a in extract_articles(articles, model=model)]
