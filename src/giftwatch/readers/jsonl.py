"""JSON Lines articles (`.jsonl`, `.ndjson`, `.jsonl.gz`), read one line at a time so a
large dump never sits in memory, and a broken line costs only that line."""
from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from giftwatch.errors import GiftwatchError, ReadError
from giftwatch.limits import max_file_bytes, too_large, too_long
from giftwatch.records import Article
from giftwatch.readers.options import FieldMap
from giftwatch.readers.text import BINARY_REASON, EMPTY_REASON, slug, text_hash, normalize_published

_JSON_KIND = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
              bool: "true/false", type(None): "null"}
_OPTIONAL_STRINGS = ("title", "url", "source")
DEFAULT_FIELDS = FieldMap()


class LineProblem(Exception):
    """One line (or row) cannot become an article; the reason says what to do about it."""


def record_to_article(record: object, *, line: int, path: str, stem: str, published: str | None,
                      fields: FieldMap = DEFAULT_FIELDS, unit: str = "line") -> Article:
    """Turn one decoded record (a JSON object, a CSV row) into an Article, or raise LineProblem.

    `fields` says which keys hold the article fields; `unit` is what the messages call a record.
    """
    if not isinstance(record, dict):
        kind = _JSON_KIND.get(type(record), type(record).__name__)
        raise LineProblem(f"{unit} {line} is {kind}, not an object: each line must be one article "
                           'like {"id": "...", "text": "..."}')
    text_key = fields.key("text")
    text = fields.value(record, "text")
    if text is not None and not isinstance(text, str):
        raise LineProblem(f'{unit} {line}: "{text_key}" is {_JSON_KIND.get(type(text), "not a string")}, '
                           "not a string: put the article body there as one string")
    if not text or not text.strip():
        raise LineProblem(f'{unit} {line} has no "{text_key}" (missing or empty): every article needs its '
                           "body text; fix or remove that line, or name the field that holds it with "
                           "--field text=NAME")
    problem = too_long(len(text))
    if problem:
        raise LineProblem(f"{unit} {line}: {problem}")
    raw_id = fields.value(record, "id")
    if raw_id is not None and (isinstance(raw_id, bool) or not isinstance(raw_id, (str, int))):
        raise LineProblem(f'{unit} {line}: "{fields.key("id")}" must be a string (or left out to get a '
                           "generated id)")
    article_id = str(raw_id).strip() if raw_id is not None else ""
    values: dict[str, str | None] = {}
    for name in _OPTIONAL_STRINGS:
        value = fields.value(record, name)
        if value is not None and not isinstance(value, str):
            raise LineProblem(f'{unit} {line}: "{fields.key(name)}" must be a string or null')
        values[name] = value.strip() if value and value.strip() else None
    try:
        own_date = normalize_published(fields.value(record, "published"))
    except GiftwatchError as exc:
        raise LineProblem(f"{unit} {line}: {exc}, or null") from None
    return Article(
        id=article_id or f"{slug(stem)}-{line}-{text_hash(text)}",
        text=text,
        source=values["source"] or f"{path}:{line}",
        published=own_date or published,
        title=values["title"],
        url=values["url"],
    )


def iter_jsonl(lines: Iterable[bytes | str], *, path: str, stem: str, published: str | None,
               report: Callable[[ReadError], None], fields: FieldMap = DEFAULT_FIELDS) -> Iterator[Article]:
    """Articles from JSON Lines; each broken line goes to `report` and is skipped.

    Raises ReadError for whole-file problems: binary data at the start, or no lines at all.
    """
    seen_content = False
    for number, raw in enumerate(lines, start=1):
        if isinstance(raw, OverlongLine):
            seen_content = True
            report(ReadError(path, f"line {number}: {too_large(raw.size, 'the line')}", number))
            continue
        if isinstance(raw, bytes):
            if b"\x00" in raw:
                if not seen_content:
                    raise ReadError(path, BINARY_REASON)
                report(ReadError(path, f"line {number} contains binary data (NUL bytes): the file looks "
                                       "damaged; fix or remove that line", number))
                continue
            try:
                raw = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                seen_content = True
                report(ReadError(path, f"line {number} is not valid UTF-8: JSON Lines files must be "
                                       "UTF-8; re-save the file as UTF-8", number))
                continue
        if not raw.strip():
            continue
        seen_content = True
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            report(ReadError(path, f"line {number} is not valid JSON ({exc.msg}): fix or remove that line",
                             number))
            continue
        except RecursionError:
            report(ReadError(path, f"line {number} is nested too deeply to be an article: fix or remove "
                                   "that line", number))
            continue
        try:
            yield record_to_article(record, line=number, path=path, stem=stem, published=published, fields=fields)
        except LineProblem as problem:
            report(ReadError(path, str(problem), number))
    if not seen_content:
        raise ReadError(path, EMPTY_REASON)


class OverlongLine:
    """A line longer than an article can be: only its size is kept, never its bytes."""

    def __init__(self, size: int):
        self.size = size


def bounded_lines(handle) -> Iterator[bytes | OverlongLine]:
    """The lines of a binary stream, each read into memory only if it is no longer than an article's file
    may be (giftwatch.limits); a longer one is skipped in pieces and stands as an OverlongLine."""
    limit = max_file_bytes()
    while line := handle.readline(limit + 1):
        if len(line) <= limit or line.endswith(b"\n"):
            yield line
            continue
        size = len(line)
        while piece := handle.readline(1 << 20):
            size += len(piece)
            if piece.endswith(b"\n"):
                break
        yield OverlongLine(size)


class _CountingLines:
    """Iterate a binary file's lines (bounded, see bounded_lines) while remembering how many came through."""

    def __init__(self, handle):
        self.handle, self.count = handle, 0

    def __iter__(self) -> Iterator[bytes | OverlongLine]:
        for line in bounded_lines(self.handle):
            self.count += 1
            yield line


def read_jsonl_file(path: Path, *, label: str, stem: str, published: str | None,
                    report: Callable[[ReadError], None], fields: FieldMap = DEFAULT_FIELDS) -> Iterator[Article]:
    """Stream a `.jsonl`/`.ndjson` file, or a gzip-compressed one, line by line.

    A truncated or damaged gzip stream is reported after the lines before the damage.
    """
    compressed = path.name.lower().endswith(".gz")
    opener = gzip.open if compressed else open
    with opener(path, "rb") as handle:
        lines = _CountingLines(handle)
        try:
            yield from iter_jsonl(lines, path=label, stem=stem, published=published, report=report, fields=fields)
        except gzip.BadGzipFile as exc:
            if lines.count == 0 and "Not a gzipped file" in str(exc):
                raise ReadError(label, "not a gzip file: rename it to .jsonl if it is plain JSON Lines, "
                                       "or compress it again with gzip") from None
            raise ReadError(label, _damage_reason(f"is damaged ({exc})", lines.count)) from None
        except (EOFError, zlib.error) as exc:
            detail = "ends too early" if isinstance(exc, EOFError) else f"is damaged ({exc})"
            raise ReadError(label, _damage_reason(detail, lines.count)) from None


def _damage_reason(detail: str, lines_read: int) -> str:
    where = f"after line {lines_read}; the lines before were read" if lines_read else "before its first line"
    return f"gzip file {detail} {where}: download or compress the file again"
