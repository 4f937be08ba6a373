"""Turn files, folders and stdin into Articles.

Bad input never stops a batch: every problem (empty, binary, undecodable, unreadable
file; broken JSON line; truncated gzip) becomes a ReadError handed to `on_error`.
"""
from __future__ import annotations

import io
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from giftwatch.errors import ReadError
from giftwatch.records import Article
from giftwatch.readers.html import article_from_html, declared_charset, looks_like_html
from giftwatch.readers.jsonl import iter_jsonl, read_jsonl_file
from giftwatch.readers.text import article_from_text, decode_bytes, file_stem, normalize_published

__all__ = ["iter_articles", "read_file", "article_from_text", "article_from_html", "KNOWN_EXTENSIONS"]

_KIND_BY_SUFFIX = {
    ".jsonl.gz": "jsonl", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".html": "html", ".htm": "html",
    ".txt": "text", ".text": "text", ".md": "text",
}
KNOWN_EXTENSIONS = tuple(_KIND_BY_SUFFIX)
STDIN_LABEL = "<stdin>"

ErrorHandler = Callable[[ReadError], None]


def _raise(error: ReadError) -> None:
    raise error


def _kind_for(name: str) -> str | None:
    """'jsonl', 'html' or 'text' from the file name; None when the extension is unknown."""
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


def _read_one_file(path: Path, label: str, published: str | None, report: ErrorHandler) -> Iterator[Article]:
    """Articles in one file; whole-file problems raise ReadError, line problems go to report."""
    kind = _kind_for(path.name)
    if kind == "jsonl":
        yield from read_jsonl_file(path, label=label, stem=file_stem(path), published=published, report=report)
        return
    if path.exists() and not path.is_file():  # a FIFO or device would block or never end
        raise ReadError(label, "not a regular file: pass text, HTML or JSON Lines files or folders")
    data = path.read_bytes()
    declared = declared_charset(data) if kind in ("html", None) else None
    text = decode_bytes(data, label, declared=declared)
    yield from _articles_from_decoded(text, label=label, stem=file_stem(path), kind=kind,
                                      published=published, report=report)


def _read_stdin(published: str | None, report: ErrorHandler) -> Iterator[Article]:
    """`-` as a path: JSON Lines are streamed; HTML or text is read whole."""
    if sys.stdin is None:
        raise ReadError(STDIN_LABEL, "no standard input is attached: pipe a file in or pass a path")
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text-only stdin replacement
        stream = io.BytesIO(sys.stdin.read().encode("utf-8"))
    head = b""
    while not head.strip():
        line = stream.readline()
        if not line:
            break
        head += line
    if head.lstrip().removeprefix(b"\xef\xbb\xbf").startswith(b"{"):
        lines = itertools.chain(head.splitlines(keepends=True), stream)
        yield from iter_jsonl(lines, path=STDIN_LABEL, stem="stdin", published=published, report=report)
        return
    data = head + stream.read()
    text = decode_bytes(data, STDIN_LABEL, declared=declared_charset(data))
    yield from _articles_from_decoded(text, label=STDIN_LABEL, stem="stdin", kind=None,
                                      published=published, report=report)


def _files_in_folder(folder: str, report: ErrorHandler) -> list[tuple[Path, str]]:
    """Known-extension files under folder, hidden ones skipped, sorted for a stable order."""
    found: list[tuple[tuple[str, ...], Path, str]] = []

    def on_walk_error(exc: OSError) -> None:
        report(ReadError(exc.filename or folder, _os_reason(exc).replace("file", "folder", 1)))

    for root, dirs, files in os.walk(folder, onerror=on_walk_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or _kind_for(name) is None:
                continue
            label = os.path.join(root, name)
            relative = Path(os.path.relpath(label, folder)).parts
            found.append((relative, Path(label), label))
    found.sort(key=lambda item: item[0])
    return [(path, label) for _, path, label in found]


def iter_articles(paths: Iterable[str | Path], *, published: str | None = None,
                  on_error: Callable[[ReadError], None] | None = None) -> Iterator[Article]:
    """Yield every article found under paths; problems go to on_error (default: raise).

    `published` (ISO date) is used for text and HTML, and for JSON Lines records
    without their own date; an HTML page's own date is used only when it is None.
    """
    handler: ErrorHandler = on_error or _raise
    default_date = normalize_published(published)

    def report_line(error: ReadError) -> None:
        error.already_reported = True  # type: ignore[attr-defined]
        handler(error)

    if isinstance(paths, (str, Path)):
        paths = [paths]
    for given in paths:
        given_text = str(given)
        if given_text == "-":
            targets: list[tuple[Path | None, str]] = [(None, STDIN_LABEL)]
        elif os.path.isdir(given_text):
            targets = list(_files_in_folder(given_text, report_line))
            if not targets:
                handler(ReadError(given_text, "no article files in folder (looked for "
                                  f"{', '.join(KNOWN_EXTENSIONS)}): check the path or the file names"))
        else:
            targets = [(Path(given_text), given_text)]
        for path, label in targets:
            try:
                if path is None:
                    yield from _read_stdin(default_date, report_line)
                else:
                    yield from _read_one_file(path, label, default_date, report_line)
            except ReadError as error:
                if getattr(error, "already_reported", False):
                    raise
                handler(error)
            except OSError as error:
                handler(ReadError(label, _os_reason(error)))


def read_file(path: str | Path, *, published: str | None = None) -> list[Article]:
    """All articles in one file (or folder, or `-` for stdin); the first problem raises ReadError."""
    return list(iter_articles([path], published=published))
