"""Rendering store rows for people (a fixed-width table) and for other programs (CSV, JSON Lines).

Rows are the dicts returned by the store's gifts(), quotes() and donors() queries. The table formats money for
reading ("$1,500,000", "£2,000,000", "$1,000,000–2,000,000"); CSV keeps plain numbers so spreadsheets can sum them.
"""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

GIFT_COLUMNS = ("date", "donors", "recipient", "amount", "currency", "kind", "purpose", "published", "article_id")
QUOTE_COLUMNS = ("published", "speakers", "speaker_role", "text", "article_id")
DONOR_COLUMNS = ("donor", "gifts", "total_usd", "totals", "recipients", "first_date", "last_date")

LIST_SEPARATOR = "; "
ELLIPSIS = "…"
DEFAULT_WIDTH = 30
# Widest a column may grow in the table before its text is cut; chosen so the presets fit a wide terminal.
COLUMN_WIDTHS = {
    "text": 60, "evidence": 60, "title": 40, "purpose": 30, "donors": 30, "donor": 30, "recipient": 30,
    "recipients": 40, "source": 30, "article_id": 24, "amount": 24, "totals": 30, "speaker_role": 20,
}
RIGHT_ALIGNED = {"amount", "amount_max", "total_usd", "gifts", "start", "end", "evidence_start", "evidence_end"}
CURRENCY_SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥", "INR": "₹"}


def format_number(value: float | int) -> str:
    """Thousands separators; cents only when the amount has them."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def format_amount(amount: float | None, amount_max: float | None = None, currency: str | None = None) -> str:
    """Money for reading: "$1,500,000", "£2,000,000", "CHF 500,000", a range as "$1,000,000–2,000,000"."""
    if amount is None:
        return ""
    symbol = CURRENCY_SYMBOLS.get(currency or "", f"{currency} " if currency else "")
    text = f"{symbol}{format_number(amount)}"
    if amount_max is not None and amount_max != amount:
        text += f"–{format_number(amount_max)}"
    return text


def _cell_value(row: Mapping[str, Any], column: str) -> Any:
    """The row's value for a column; the money columns are formatted with their currency."""
    value = row.get(column)
    if column == "amount":
        return format_amount(value, row.get("amount_max"), row.get("currency"))
    if column == "amount_max":
        return format_amount(value, None, row.get("currency"))
    if column == "total_usd":
        return format_amount(value, None, "USD")
    if column == "totals" and isinstance(value, Mapping):
        return LIST_SEPARATOR.join(format_amount(total, None, currency) for currency, total in value.items())
    return value


def _plain(value: Any) -> str:
    """One value as text: None empty, lists joined, whole floats without ".0"."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATOR.join(_plain(item) for item in value)
    if isinstance(value, Mapping):
        return LIST_SEPARATOR.join(f"{key} {_plain(item)}" for key, item in value.items())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())  # newlines and runs of spaces would break the table's lines
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def render_table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str],
                 widths: Mapping[str, int] | None = None) -> str:
    """A fixed-width table with a header row; long text cut with "…". `widths` overrides COLUMN_WIDTHS."""
    limits = {**COLUMN_WIDTHS, **(widths or {})}
    cells = [[_cut(_plain(_cell_value(row, c)), max(limits.get(c, DEFAULT_WIDTH), 1)) for c in columns]
             for row in rows]
    sizes = [max([len(column), *(len(line[i]) for line in cells)]) for i, column in enumerate(columns)]

    def line(values: Sequence[str]) -> str:
        parts = [value.rjust(size) if column in RIGHT_ALIGNED else value.ljust(size)
                 for column, value, size in zip(columns, values, sizes)]
        return "  ".join(parts).rstrip()

    lines = [line(list(columns)), "  ".join("-" * size for size in sizes)]
    lines += [line(values) for values in cells]
    return "\n".join(lines) + "\n"


def write_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], stream: TextIO) -> None:
    """CSV with a header row; numbers stay plain, lists are joined with "; ", totals as "USD 1500000; GBP 2000"."""
    writer = csv.writer(stream)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_plain(row.get(column)) for column in columns])


def _json_ready(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    return value


def write_json(rows: Iterable[Mapping[str, Any]], stream: TextIO) -> None:
    """JSON Lines: every key of each row, one object per line."""
    for row in rows:
        stream.write(json.dumps(_json_ready(dict(row)), ensure_ascii=False) + "\n")
