"""WARC files (`.warc`, `.warc.gz`), as web and news crawls publish them.

One record at a time: memory stays flat however large the crawl. Each HTML response becomes an
article through the HTML reader (main text only); records that are no article — requests,
metadata, images, redirects, error pages, pages with no article text, pages not in English —
are passed over and counted in SkipCounts rather than reported one by one.
"""
from __future__ import annotations

import datetime as dt
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from giftwatch.errors import ReadError
from giftwatch.limits import ArticleTooLong
from giftwatch.records import Article
from giftwatch.readers.html import article_from_html, declared_charset
from giftwatch.readers.language import is_english
from giftwatch.readers.options import SkipCounts
from giftwatch.readers.text import EMPTY_REASON, decode_bytes, slug, text_hash

MAX_PAGE_BYTES = 5_000_000   # larger payloads are files or feeds, not news articles
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)

NOT_ENGLISH = "not English"
NOT_HTML = "not HTML pages"
NOT_OK = "HTTP status other than 200"
NO_TEXT = "pages with no article text"
TOO_LARGE = "pages over 5 MB"
TOO_LONG = "pages over the article length limit (GIFTWATCH_MAX_ARTICLE_CHARS)"
NOT_A_WARC = "not a WARC file (no WARC record at its start): pass .warc or .warc.gz files as crawlers write them"


def url_id(url: str, text: str) -> str:
    """Id for a page read from a URL: the host and path made safe, plus a hash of the text, so the same
    page crawled twice with the same text is one article, and a changed page a new one."""
    parts = urlsplit(url)
    readable = slug(f"{parts.netloc}{parts.path}".removeprefix("www."))[:80].strip("-")
    return f"{readable or 'page'}-{text_hash(text)}"


def _crawl_day(value: str | None) -> str | None:
    """The day of a WARC-Date ("2025-03-14T08:15:00Z" → "2025-03-14"), or None when it has none."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def page_article(data: bytes, *, url: str, content_type: str | None, published: str | None,
                 fallback_date: str | None, skips: SkipCounts) -> Article | None:
    """One saved HTML page as an English article, or None (counted in `skips`) when it is none.

    The date is the page's own when it states one, else `published`, else `fallback_date`
    (for a crawl, the day it was fetched: news crawls fetch articles within days).
    """
    if len(data) > MAX_PAGE_BYTES:
        skips.skip(TOO_LARGE)
        return None
    header_charset = _CHARSET.search(content_type or "")
    declared = header_charset.group(1) if header_charset else declared_charset(data)
    try:
        html = decode_bytes(data, url, declared=declared)
        article = article_from_html(html, source=url)
    except ArticleTooLong:
        skips.skip(TOO_LONG)
        return None
    except ReadError:
        skips.skip(NO_TEXT)
        return None
    except (ValueError, TypeError, AttributeError, RecursionError):   # markup too broken for the HTML parser
        skips.skip(NO_TEXT)
        return None
    if not is_english(article.text):
        skips.skip(NOT_ENGLISH)
        return None
    return replace(article, id=url_id(url, article.text), url=url,
                   published=article.published or published or fallback_date)


def _is_html(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";")[0].strip().lower() in _HTML_TYPES


class _GzipEndCheck:
    """The file as warcio reads it, inflated a second time on the side to notice a cut-off download:
    warcio stops quietly at a truncated last record, and the reader should say the file is incomplete."""

    def __init__(self, raw):
        self.raw, self.inflater, self.in_member = raw, zlib.decompressobj(wbits=31), False

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        chunk = data
        while chunk:
            try:
                self.inflater.decompress(chunk)
            except zlib.error:
                return data   # damaged: warcio's own reading will fail on it
            if not self.inflater.eof:
                self.in_member = True
                break
            chunk, self.in_member = self.inflater.unused_data, False
            self.inflater = zlib.decompressobj(wbits=31)
        return data

    def __getattr__(self, name: str):
        return getattr(self.raw, name)


def read_warc_file(path: Path, *, label: str, published: str | None, skips: SkipCounts,
                   report: Callable[[ReadError], None]) -> Iterator[Article]:
    """Articles from the HTML responses of one WARC file, gzip'd or not.

    A file that is not a WARC raises ReadError; a file damaged part-way is reported after the
    records before the damage have been read.
    """
    with open(path, "rb") as raw:
        handle = _GzipEndCheck(raw) if raw.peek(2)[:2] == b"\x1f\x8b" else raw
        for url, data, content_type, crawled in _html_responses(handle, label, skips):
            article = page_article(data, url=url, content_type=content_type, published=published,
                                   fallback_date=_crawl_day(crawled), skips=skips)
            if article is not None:
                yield article


def _html_responses(handle, label: str, skips: SkipCounts) -> Iterator[tuple[str, bytes, str | None, str | None]]:
    """(url, payload, content type, WARC-Date) of each successful HTML response; other records are
    counted in `skips`. Anything warcio trips over in a cut or garbled file becomes one ReadError."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(handle)
    count = 0
    while True:
        try:
            record = next(records, None)
            if record is None:
                break
            count += 1
            if record.format != "warc":
                raise ReadError(label, NOT_A_WARC)
            page = _html_response(record, label, count, skips)
        except ReadError:
            raise
        except ArchiveLoadFailed as exc:
            reason = NOT_A_WARC if count == 0 else _damage(f"is damaged ({exc.msg})", count)
            raise ReadError(label, reason) from None
        except Exception as exc:   # noqa: BLE001 - warcio fails on damaged data in many ways
            detail = "ends too early" if isinstance(exc, EOFError) else f"is damaged ({type(exc).__name__})"
            raise ReadError(label, _damage(detail, count)) from None
        if page is not None:
            yield page
    if isinstance(handle, _GzipEndCheck) and handle.in_member:
        raise ReadError(label, _damage("ends too early", count))
    if count == 0:
        raise ReadError(label, EMPTY_REASON)


def _html_response(record, label: str, number: int, skips: SkipCounts) -> tuple | None:
    if record.rec_type not in ("response", "resource"):
        return None   # requests, metadata, warcinfo, revisits: not pages
    url = record.rec_headers.get_header("WARC-Target-URI") or f"{label}#{number}"
    if record.rec_type == "response":
        if record.http_headers is None:
            skips.skip(NOT_HTML)
            return None
        if record.http_headers.get_statuscode() != "200":
            skips.skip(NOT_OK)
            return None
        content_type = record.http_headers.get_header("Content-Type")
    else:
        content_type = record.rec_headers.get_header("Content-Type")
    if not _is_html(content_type):
        skips.skip(NOT_HTML)
        return None
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)
    return url, data, content_type, record.rec_headers.get_header("WARC-Date")


def _damage(detail: str, records: int) -> str:
    where = f"after record {records}; the records before were read" if records else "before its first record"
    return f"WARC file {detail} {where}: download or copy the file again"
