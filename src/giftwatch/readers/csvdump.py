"""CSV dumps (`.csv`, `.csv.gz`): one article per row, columns named in a header row.

Rows are read one at a time, so a dump of any size keeps memory flat. Which columns hold the
text, id, title, date, URL and source is said with a FieldMap (`--field text=body`); a broken
row costs only that row.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import charset_normalizer

from giftwatch.errors import ReadError
from giftwatch.limits import max_file_bytes
from giftwatch.records import Article
from giftwatch.readers.jsonl import DEFAULT_FIELDS, LineProblem, record_to_article
from giftwatch.readers.options import FieldMap
from giftwatch.readers.text import BINARY_REASON, EMPTY_REASON, LATIN_LOOKALIKES

_SNIFF_BYTES = 65_536


class _Prefixed(io.RawIOBase):
    """A binary stream whose first bytes were already read (to sniff the encoding), put back in front."""

    def __init__(self, head: bytes, rest: io.BufferedIOBase):
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            count = min(len(buffer), len(self.head))
            buffer[:count] = self.head[:count]
            self.head = self.head[count:]
            return count
        data = self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)


def _encoding(head: bytes) -> str:
    """UTF-8 when the file's opening decodes as UTF-8 (a character cut at the end is fine), else the
    encoding charset detection finds, for dumps saved by spreadsheet programs."""
    try:
        codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(head).best()
        if best is None or best.encoding in LATIN_LOOKALIKES:   # see text.py: Windows-1252 is the likely one
            return "cp1252"
        return best.encoding


class _Separated(csv.excel):
    """Spreadsheet CSV (quoted cells may span lines) with the separator the header uses."""


def _dialect(header: str) -> type[csv.Dialect]:
    """Comma, semicolon, tab or pipe separated: whichever the header line has most of (comma on a tie)."""
    separator = max(",;\t|", key=lambda mark: (header.count(mark), mark == ","))
    return type("Separated", (_Separated,), {"delimiter": separator})


def read_csv_file(path: Path, *, label: str, stem: str, published: str | None,
                  report: Callable[[ReadError], None], fields: FieldMap = DEFAULT_FIELDS) -> Iterator[Article]:
    """Articles from the rows of a CSV file, gzip-compressed or not.

    Whole-file problems (empty, binary, no header, no text column) raise ReadError; a bad row
    goes to `report` with its row number and line.
    """
    csv.field_size_limit(max_file_bytes())   # a longer cell is no article: csv.Error, reported below
    compressed = path.name.lower().endswith(".gz")
    with (gzip.open(path, "rb") if compressed else open(path, "rb")) as raw:
        try:
            head = raw.read(_SNIFF_BYTES)
            if not head.strip():
                raise ReadError(label, EMPTY_REASON)
            if b"\x00" in head:
                raise ReadError(label, BINARY_REASON)
            encoding = _encoding(head)
            stream = io.TextIOWrapper(io.BufferedReader(_Prefixed(head, raw)), encoding=encoding, newline="")
            header = head.decode(encoding, errors="replace").split("\n", 1)[0]
            rows = csv.DictReader(stream, dialect=_dialect(header))
            columns = rows.fieldnames or []
            text_key = fields.key("text")
            if text_key not in columns:
                raise ReadError(label, f'no "{text_key}" column (the header has: {", ".join(columns) or "nothing"}): '
                                       "name the column that holds the article body with --field text=COLUMN")
            yield from _articles(rows, label=label, stem=stem, published=published, report=report, fields=fields)
        except gzip.BadGzipFile:
            raise ReadError(label, "not a gzip file: rename it to .csv if it is plain CSV, or compress it "
                                   "again with gzip") from None
        except (EOFError, zlib.error) as exc:
            detail = "ends too early" if isinstance(exc, EOFError) else f"is damaged ({exc})"
            raise ReadError(label, f"CSV file {detail}; the rows before were read: copy or compress the file "
                                   "again") from None
        except csv.Error as exc:   # a cell larger than any article can be, or quoting the csv module gives up on
            raise ReadError(label, f"CSV file cannot be read past row {rows.line_num} ({exc}); the rows before were "
                                   "read: check that row, or split the file there") from None
        except UnicodeDecodeError:
            raise ReadError(label, f"CSV file is not valid {encoding} past its opening; the rows before were read: "
                                   "re-save it as UTF-8") from None


def _articles(rows: csv.DictReader, *, label: str, stem: str, published: str | None,
              report: Callable[[ReadError], None], fields: FieldMap) -> Iterator[Article]:
    for number, row in enumerate(rows, start=1):
        if None in row:   # more cells than header columns: the row's quoting is broken
            report(ReadError(label, f"row {number} has more cells than the header has columns: check its "
                                    "quotes and separators, or remove the row", rows.line_num))
            continue
        record = {key: value for key, value in row.items() if key is not None}
        try:
            yield record_to_article(record, line=number, path=label, stem=stem, published=published,
                                    fields=fields, unit="row")
        except LineProblem as problem:
            report(ReadError(label, str(problem), rows.line_num))
