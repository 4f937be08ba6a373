"""Plain-text articles, plus the shared pieces every reader needs: decoding bytes
(UTF-8 first, then a detected legacy encoding), telling binary files apart, stable
ids and published-date checks."""
from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path

import charset_normalizer

from giftwatch.errors import GiftwatchError, ReadError
from giftwatch.limits import check_length
from giftwatch.records import Article

EMPTY_REASON = "empty file: nothing to ingest"
BINARY_REASON = "binary file (not text, HTML or JSON Lines): remove it or convert it to text"

# Single-byte Latin code pages that charset detection confuses on short texts
# (cp1250 vs cp1252 on "José Muñoz" decodes ñ as ń). English news in a legacy
# encoding is almost always Windows-1252/Latin-1, so we prefer it among these.
LATIN_LOOKALIKES = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp1258", "cp775", "cp437", "cp850", "cp858",
    "latin_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10", "iso8859_13",
    "iso8859_14", "iso8859_15", "iso8859_16", "mac_latin2", "mac_roman", "mac_iceland", "hp_roman8",
}
_UTF16_32_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO_DATETIME_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")


def slug(name: str) -> str:
    """Lowercase, non-alphanumerics to '-': a file stem made safe to put in an id."""
    value = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return value or "article"


def text_hash(text: str) -> str:
    """First 10 hex digits of the text's SHA-256: same content, same id."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def stable_id(stem: str, text: str) -> str:
    """Id for a text or HTML article, so re-reading the same content gives the same id."""
    return f"{slug(stem)}-{text_hash(text)}"


def file_stem(path: str | Path) -> str:
    """The name without its extension(s); `news.jsonl.gz` gives `news`."""
    name = Path(path).name
    for suffix in (".jsonl.gz", ".ndjson.gz", ".csv.gz", ".warc.gz"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem or name


def normalize_published(value: object) -> str | None:
    """Check a published date and bring it to ISO form (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`).

    A timestamp keeps its date part, because gift dates are resolved at day precision.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise GiftwatchError(f"published date {value!r} is not a string: give it as YYYY-MM-DD")
    text = value.strip()
    if not text:
        return None
    stamp = _ISO_DATETIME_PREFIX.match(text)
    if stamp:
        text = stamp.group(1)
    match = _ISO_DATE.match(text)
    try:
        if not match:
            raise ValueError(text)
        year, month, day = match.groups()
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise GiftwatchError(
            f"published date {value!r} is not an ISO date: give it as YYYY-MM-DD (or YYYY-MM, YYYY)"
        ) from None
    return text


def normalize_text(text: str) -> str:
    """Line endings to `\\n` and outer blank space trimmed; everything else stays verbatim
    because later stages store character offsets into this text."""
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _looks_binary(text: str) -> bool:
    """Mostly-not-text: more than 2% control characters other than ordinary white space."""
    if not text:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v")
    return controls / len(text) > 0.02


def decode_bytes(data: bytes, path: str, *, declared: str | None = None) -> str:
    """Decode a file's bytes, or raise ReadError saying why it is not usable text.

    Order: an explicit UTF-16/32 byte-order mark, UTF-8 (with or without BOM), the
    encoding the document declares (HTML meta charset), then charset detection.
    """
    if not data.strip():
        raise ReadError(path, EMPTY_REASON)
    for bom, encoding in _UTF16_32_BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), path)
            except UnicodeDecodeError:
                raise ReadError(path, BINARY_REASON) from None
    if b"\x00" in data:
        raise ReadError(path, BINARY_REASON)
    try:
        return _checked(data.decode("utf-8-sig"), path)
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return _checked(data.decode(declared), path)
        except (UnicodeDecodeError, LookupError):
            pass
    return _checked(_detect_and_decode(data, path), path)


def _detect_and_decode(data: bytes, path: str) -> str:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise ReadError(path, BINARY_REASON)
    if best.encoding in LATIN_LOOKALIKES and any(m.encoding == "cp1252" for m in matches):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return str(best)


def _checked(text: str, path: str) -> str:
    if _looks_binary(text):
        raise ReadError(path, BINARY_REASON)
    if not text.strip():
        raise ReadError(path, EMPTY_REASON)
    return text


def article_from_text(text: str, *, source: str | None = None, published: str | None = None,
                      title: str | None = None, id: str | None = None) -> Article:
    """One plain-text article: the whole text is the body (paragraphs split by a blank line)."""
    body = normalize_text(text)
    if not body:
        raise ReadError(source or "<text>", "empty text: nothing to ingest")
    check_length(body, source or "<text>")
    stem = file_stem(source) if source else "text"
    return Article(
        id=id or stable_id(stem, body),
        text=body,
        source=source,
        published=normalize_published(published),
        title=title.strip() if title and title.strip() else None,
    )
