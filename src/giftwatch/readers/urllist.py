"""Saved pages listed with their URLs: a `.urls` file, one page a line,

    URL<TAB>PATH[<TAB>PUBLISHED]

PATH is the saved copy (HTML, or plain text), relative to the list's own folder; PUBLISHED is
optional (YYYY-MM-DD). Lines starting with `#` and blank lines are ignored. Each page keeps its
URL, and its id comes from the URL and the text, so saving the same page again changes nothing.
A missing or unreadable page is reported with its line, and the rest are read.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from giftwatch.errors import GiftwatchError, ReadError
from giftwatch.records import Article
from giftwatch.readers.html import article_from_html, declared_charset, looks_like_html
from giftwatch.readers.text import article_from_text, decode_bytes, normalize_published
from giftwatch.readers.warc import url_id


def read_url_list(path: Path, *, label: str, published: str | None,
                  report: Callable[[ReadError], None]) -> Iterator[Article]:
    """Articles for the pages a `.urls` list names; raises ReadError when the list itself is unusable."""
    data = path.read_bytes()
    lines = decode_bytes(data, label).splitlines()
    seen_entry = False
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        seen_entry = True
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) < 2 or not cells[0] or not cells[1]:
            report(ReadError(label, f"line {number} is not URL<TAB>PATH: separate the URL and the saved "
                                    "page's path with a tab", number))
            continue
        url, page, date = cells[0], cells[1], cells[2] if len(cells) > 2 else None
        try:
            yield _page(path.parent / page, url=url, page=page, published=normalize_published(date) or published)
        except GiftwatchError as exc:
            reason = exc.reason if isinstance(exc, ReadError) else str(exc)
            report(ReadError(label, f"line {number} ({page}): {reason}", number))
        except OSError as exc:
            report(ReadError(label, f"line {number}: cannot read the saved page {page} "
                                    f"({exc.strerror or exc}): check the path, relative to the list's folder",
                             number))
    if not seen_entry:
        raise ReadError(label, "the URL list names no pages: write one URL<TAB>PATH line per saved page")


def _page(file: Path, *, url: str, page: str, published: str | None) -> Article:
    """One saved page: HTML reduced to its main text, anything else read as plain text."""
    data = file.read_bytes()
    is_html = file.suffix.lower() in (".html", ".htm") or file.suffix.lower() not in (".txt", ".text", ".md") \
        and looks_like_html(data[:4096].decode("utf-8", "ignore"))
    text = decode_bytes(data, page, declared=declared_charset(data) if is_html else None)
    article = article_from_html(text, source=url, published=published) if is_html else \
        article_from_text(text, source=url, published=published)
    return replace(article, id=url_id(url, article.text), url=url)
