"""Bar charts as plain geometry, drawn by the templates as inline SVG (no script, no external library).

Bars are horizontal with the label above each bar, so long labels (causes, years) stay readable on a phone.
The bar's length is the total in the chart's currency; years or causes with gifts but no stated amount in that
currency get a stub bar and say so in their caption.
"""
from __future__ import annotations

from typing import Any

from giftwatch.output import format_amount

WIDTH = 480
ROW = 46          # height of one label + bar
BAR = 18
LABEL_GAP = 17   # baseline of the label above its bar
STUB = 3         # width of a bar for "gifts, amount not stated"


def bar_chart(rows: list[dict[str, Any]], currency: str | None) -> dict[str, Any]:
    """Geometry for rows of {"label", "gifts", "totals"}; each bar carries its label and caption as text."""
    values = [(row["totals"] or {}).get(currency, 0) if currency else 0 for row in rows]
    biggest = max(values, default=0)
    bars = []
    for n, (row, value) in enumerate(zip(rows, values)):
        top = n * ROW
        length = STUB if not value else max(STUB, round(value / biggest * (WIDTH - 4)))
        gifts = f"{row['gifts']} gift{'s' if row['gifts'] != 1 else ''}"
        others = [format_amount(v, None, c) for c, v in (row["totals"] or {}).items() if c != currency]
        amount = format_amount(value, None, currency) if value else "amount not stated"
        caption = ", ".join([amount, *others]) + f" · {gifts}"
        bars.append({"label": row["label"], "caption": caption, "label_y": top + LABEL_GAP,
                     "bar_y": top + LABEL_GAP + 6, "bar_width": length, "bar_height": BAR})
    return {"width": WIDTH, "height": max(ROW * len(rows), ROW), "bars": bars, "currency": currency}
