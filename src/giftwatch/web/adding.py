"""Adding articles from the web: pasted text and uploaded files become Articles (read exactly as
`giftwatch ingest` reads files), are extracted, and are shown for review before anything is stored.

Extraction runs one request at a time: the spaCy pipeline is shared by the server's worker threads, and one
parse at a time uses the CPU as well as several would.
"""
from __future__ import annotations

import tempfile
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from giftwatch.errors import GiftwatchError, ReadError
from giftwatch.limits import too_long
from giftwatch.records import Article
from giftwatch.web.causes import cause_of
from giftwatch.web.errors import InvalidInput
from giftwatch.web.highlight import evidence_pieces

MAX_NAME_BYTES = 120  # file systems allow 255; the name also ends up in ids and messages
MAX_ARTICLES = 200  # more is a job for `giftwatch ingest`, not for a page that waits for the answer
_EXTRACTION = threading.Lock()


def extract(articles: list[Article]) -> list[Article]:
    """The articles with their gifts and quotes (the pipeline of `giftwatch extract`), one request at a time."""
    from giftwatch.pipeline import extract_articles

    if len(articles) > MAX_ARTICLES:
        raise InvalidInput(f"That is {len(articles)} articles; add at most {MAX_ARTICLES} at a time here, or "
                           "ingest large collections with `giftwatch ingest FILES`.")
    for n, article in enumerate(articles, 1):
        problem = too_long(len(article.text))
        if problem:
            raise InvalidInput(f"Article {n} ({article.source or article.id}): {problem}.")
    with _EXTRACTION:
        return list(extract_articles(articles))


def upload_name(name: str, n: int) -> str:
    """An uploaded file's name made safe to create in our own folder: its last part only (no folders, never
    "." or ".."), printable characters only, and short enough for any file system, keeping the extension
    that tells the reader what the file is."""
    from giftwatch.readers import KNOWN_EXTENSIONS

    base = "".join(ch for ch in name.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable()).strip()
    if base.strip(".") == "":
        return f"upload-{n}.txt"
    if len(base.encode("utf-8")) > MAX_NAME_BYTES:
        suffix = next((s for s in KNOWN_EXTENSIONS if base.lower().endswith(s)), "")
        stem = base[:len(base) - len(suffix)]
        while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
            stem = stem[:-1]
        base = stem + base[len(base) - len(suffix):]
    return base


def read_submission(text: str, title: str, published: str, files: list[tuple[str, bytes]]
                    ) -> tuple[list[Article], list[str]]:
    """Articles from pasted text and uploaded files; problems (an empty or binary file, a broken JSON line) are
    reported by file name and line, and the rest is kept."""
    from giftwatch.readers import article_from_text, iter_articles
    from giftwatch.readers.text import normalize_published, normalize_text, stable_id

    try:
        published_day = normalize_published(published or None)
    except GiftwatchError as exc:
        raise InvalidInput(str(exc)) from None
    articles: list[Article] = []
    problems: list[str] = []
    if text.strip():
        body = normalize_text(text)
        articles.append(article_from_text(body, source="pasted text", published=published_day,
                                          title=title or None, id=stable_id(title or "pasted", body)))
    with tempfile.TemporaryDirectory(prefix="giftwatch-upload-") as folder:
        paths = []
        for n, (name, data) in enumerate(files):
            # each upload in its own folder, under its own (base) name: ids and messages use the name
            safe = upload_name(name, n)
            (Path(folder) / str(n)).mkdir()
            path = Path(folder) / str(n) / safe
            path.write_bytes(data)
            paths.append(path)

        def shown(label: str) -> str:
            return label[len(folder) + 1:].split("/", 1)[-1] if label.startswith(folder) else label

        def report(error: ReadError) -> None:
            where = shown(error.path) + (f":{error.line}" if error.line is not None else "")
            problems.append(f"{where}: {error.reason}")

        for article in iter_articles(paths, published=published_day, on_error=report):
            source = article.source or ""
            if source.startswith(folder):  # the file's own name, not our temporary path
                source = "upload: " + shown(source)
            articles.append(replace(article, source=source or None))
    kept = []
    for article in articles:   # one article over the limit is a problem to show, not a reason to refuse the rest
        problem = too_long(len(article.text))
        if problem:
            problems.append(f"{article.source or article.id}: {problem}")
        else:
            kept.append(article)
    return kept, problems


def preview_view(article: Article) -> dict[str, Any]:
    """The shape the article page shows (see WebQueries.article), for an extraction not stored yet."""
    gifts = []
    for n, gift in enumerate(article.gifts):
        row = {**gift.to_dict(), "position": n, "edited": {}, "article_id": article.id}
        row["cause"] = cause_of(row)
        row["highlights"] = evidence_pieces(article.text, gift.evidence, gift.evidence_start, gift.evidence_end)
        gifts.append(row)
    quotes = []
    for n, quote in enumerate(article.quotes):
        usable = quote.start is not None and quote.end is not None and 0 <= quote.start < quote.end <= len(article.text)
        quotes.append({**quote.to_dict(), "position": n, "edited": {}, "article_id": article.id,
                       "highlights": [(quote.start, quote.end)] if usable else []})
    meta = {key: getattr(article, key) for key in ("id", "title", "published", "source", "url", "text")}
    return {"article": meta, "gifts": gifts, "quotes": quotes}
