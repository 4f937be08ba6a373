"""Turn files, folders and stdin into Articles.

Bad input never stops a batch: every problem (empty, binary, undecodable, unreadable
file; broken JSON line or CSV row; truncated gzip or WARC) becomes a ReadError handed to
`on_error`. Every reader streams, so memory stays flat however large the input.
"""
from __future__ import annotations

import io
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from giftwatch.errors import ReadError
from giftwatch.limits import max_file_bytes, too_large
from giftwatch.records import Article
from giftwatch.readers.csvdump import read_csv_file
from giftwatch.readers.html import article_from_html, declared_charset, looks_like_html
from giftwatch.readers.jsonl import bounded_lines, iter_jsonl, read_jsonl_file
from giftwatch.readers.options import ARTICLE_FIELDS, FieldMap, SkipCounts
from giftwatch.readers.text import article_from_text, decode_bytes, file_stem, normalize_published
from giftwatch.readers.urllist import read_url_list
from giftwatch.readers.warc import read_warc_file

__all__ = ["iter_articles", "read_file", "article_from_text", "article_from_html", "KNOWN_EXTENSIONS",
           "ARTICLE_FIELDS", "FieldMap", "SkipCounts", "article_files"]

_KIND_BY_SUFFIX = {
    ".jsonl.gz": "jsonl", ".jsonl": "jsonl", ".ndjson": "jsonl", ".ndjson.gz": "jsonl",
    ".warc.gz": "warc", ".warc": "warc",
    ".csv.gz": "csv", ".csv": "csv",
    ".urls": "urls",
    ".html": "html", ".htm": "html",
    ".txt": "text", ".text": "text", ".md": "text",
}
KNOWN_EXTENSIONS = tuple(_KIND_BY_SUFFIX)
STDIN_LABEL = "<stdin>"

ErrorHandler = Callable[[ReadError], None]


def _raise(error: ReadError) -> None:
    raise error


def _kind_for(name: str) -> str | None:
    """'jsonl', 'warc', 'csv', 'urls', 'html' or 'text' from the file name; None when the extension is unknown."""
    lowered = name.lower()
    for suffix, kind in _KIND_BY_SUFFIX.items():
        if lowered.endswith(suffix):
            return kind
    return None


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "file not found: check the path"
    if isinstance(exc, PermissionError):
        return "permission denied: make the file readable (chmod +r) or leave it out"
    if isinstance(exc, IsADirectoryError):
        return "is a folder, not a file: pass the folder itself to read everything in it"
    return f"cannot read the file ({exc.strerror or exc}): check the file and try again"


def _articles_from_decoded(text: str, *, label: str, stem: str, kind: str | None,
                           published: str | None, report: ErrorHandler) -> Iterator[Article]:
    """Dispatch already-decoded content; an unknown kind is sniffed from the content."""
    if kind is None:
        stripped = text.lstrip()
        if stripped.startswith("{"):
            kind = "jsonl"
        elif looks_like_html(stripped):
            kind = "html"
        else:
            kind = "text"
    if kind == "jsonl":
        yield from iter_jsonl(text.splitlines(keepends=True), path=label, stem=stem,
                              published=published, report=report)
    elif kind == "html":
        yield article_from_html(text, source=label, published=published)
    else:
        yield article_from_text(text, source=label, published=published)


def _read_one_file(path: Path, label: str, published: str | None, report: ErrorHandler, fields: FieldMap,
                   skips: SkipCounts) -> Iterator[Article]:
    """Articles in one file; whole-file problems raise ReadError, line problems go to report."""
    kind = _kind_for(path.name)
    if kind == "jsonl":
        yield from read_jsonl_file(path, label=label, stem=file_stem(path), published=published, report=report,
                                   fields=fields)
        return
    if kind == "csv":
        yield from read_csv_file(path, label=label, stem=file_stem(path), published=published, report=report,
                                 fields=fields)
        return
    if kind == "warc":
        yield from read_warc_file(path, label=label, published=published, skips=skips, report=report)
        return
    if kind == "urls":
        yield from read_url_list(path, label=label, published=published, report=report)
        return
    if path.exists() and not path.is_file():  # a FIFO or device would block or never end
        raise ReadError(label, "not a regular file: pass text, HTML or JSON Lines files or folders")
    problem = too_large(path.stat().st_size)
    if problem:   # a crawl or a book saved as one article: refused from its size, never read into memory
        raise ReadError(label, problem)
    data = path.read_bytes()
    declared = declared_charset(data) if kind in ("html", None) else None
    text = decode_bytes(data, label, declared=declared)
    yield from _articles_from_decoded(text, label=label, stem=file_stem(path), kind=kind,
                                      published=published, report=report)


def _read_stdin(published: str | None, report: ErrorHandler, fields: FieldMap) -> Iterator[Article]:
    """`-` as a path: JSON Lines are streamed; HTML or text is read whole."""
    if sys.stdin is None:
        raise ReadError(STDIN_LABEL, "no standard input is attached: pipe a file in or pass a path")
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin replacement
        stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
    head = b""
    while not head.strip() and len(head) <= max_file_bytes():   # bounded: a stream may have no line breaks
        line = stream.readline(max_file_bytes() + 1)
        if not line:
            break
        head += line
    if head.lstrip().removeprefix(b"\xef\xbb\xbf").startswith(b"{"):
        lines = itertools.chain(head.splitlines(keepends=True), bounded_lines(stream))
        yield from iter_jsonl(lines, path=STDIN_LABEL, stem="stdin", published=published, report=report,
                              fields=fields)
        return
    data = head + stream.read(max(0, max_file_bytes() + 1 - len(head)))
    if len(data) > max_file_bytes():
        raise ReadError(STDIN_LABEL, too_large(len(data), "standard input", at_least=True))
    text = decode_bytes(data, STDIN_LABEL, declared=declared_charset(data))
    yield from _articles_from_decoded(text, label=STDIN_LABEL, stem="stdin", kind=None,
                                      published=published, report=report)


def article_files(folder: str, report: ErrorHandler) -> Iterator[tuple[Path, str]]:
    """Known-extension files under folder, hidden ones skipped, in sorted path order.

    Walks one directory at a time (sorting its entries), so a folder of millions of files is
    never listed whole; the order equals sorting all relative paths part by part.
    """
    def entries(directory: str) -> list[os.DirEntry]:
        try:
            with os.scandir(directory) as found:
                return sorted((e for e in found if not e.name.startswith(".")), key=lambda e: e.name)
        except OSError as exc:
            report(ReadError(exc.filename or directory, _os_reason(exc).replace("file", "folder", 1)))
            return []

    stack = [iter(entries(folder))]
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            if not entry.is_symlink():   # like os.walk: symlinked folders are not followed
                stack.append(iter(entries(entry.path)))
        elif _kind_for(entry.name) is not None:
            yield Path(entry.path), entry.path


def iter_articles(paths: Iterable[str | Path], *, published: str | None = None,
                  on_error: Callable[[ReadError], None] | None = None,
                  fields: FieldMap | Iterable[str] | None = None,
                  skips: SkipCounts | None = None) -> Iterator[Article]:
    """Yield every article found under paths; problems go to on_error (default: raise).

    `published` (ISO date) is used for text and HTML, and for JSON Lines, CSV and WARC
    records without their own date; an HTML page's own date is used only when it is None.
    `fields` names the JSON Lines keys and CSV columns that hold the article fields
    (a FieldMap, or "text=body" strings). Crawl records that are not articles (non-English
    or non-HTML pages in a WARC) are counted in `skips`.
    """
    handler: ErrorHandler = on_error or _raise
    default_date = normalize_published(published)
    field_map = FieldMap.parse(fields)
    skip_counts = skips if skips is not None else SkipCounts()

    def report_line(error: ReadError) -> None:
        error.already_reported = True  # type: ignore[attr-defined]
        handler(error)

    if isinstance(paths, (str, Path)):
        paths = [paths]
    for given in paths:
        given_text = str(given)
        if given_text == "-":
            targets: Iterable[tuple[Path | None, str]] = [(None, STDIN_LABEL)]
        elif os.path.isdir(given_text):
            targets = article_files(given_text, report_line)
        else:
            targets = [(Path(given_text), given_text)]
        found_any = False
        for path, label in targets:
            found_any = True
            try:
                if path is None:
                    yield from _read_stdin(default_date, report_line, field_map)
                else:
                    yield from _read_one_file(path, label, default_date, report_line, field_map, skip_counts)
            except ReadError as error:
                if getattr(error, "already_reported", False):
                    raise
                handler(error)
            except OSError as error:
                handler(ReadError(label, _os_reason(error)))
        if not found_any and os.path.isdir(given_text):
            handler(ReadError(given_text, "no article files in folder (looked for "
                              f"{', '.join(KNOWN_EXTENSIONS)}): check the path or the file names"))


def read_file(path: str | Path, *, published: str | None = None) -> list[Article]:
    """All articles in one file (or folder, or `-` for stdin); the first problem raises ReadError."""
    return list(iter_articles([path], published=published))
