"""The gifts table as CSV, for a spreadsheet or a CRM import.

Cells holding text that a spreadsheet would run as a formula (starting with = + - @, or a tab or carriage
return) get a leading apostrophe: article text is untrusted, and "=HYPERLINK(...)" in a donor name must stay
text when a researcher opens the file. Numbers stay plain so they can be summed.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

GIFT_CSV_COLUMNS = ("date", "donors", "donor_aliases", "recipient", "recipient_aliases", "amount", "amount_max",
                    "currency", "amount_text", "kind", "cause", "purpose", "in_name_of", "published", "title",
                    "source", "article_id", "position", "evidence", "corrected")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    return value


def gifts_csv(gifts: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(GIFT_CSV_COLUMNS)
    for gift in gifts:
        row = {**gift, "corrected": sorted(gift.get("edited") or {})}
        writer.writerow([_cell(row.get(column)) for column in GIFT_CSV_COLUMNS])
    return out.getvalue()
