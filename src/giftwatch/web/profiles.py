"""Donor and recipient summaries built from gift rows (after corrections and merges are laid over them).

Totals add each gift's stated (lower) amount per currency, like the store's donors(); a gift with no stated
amount counts as a gift but adds nothing. Names are grouped case-insensitively, showing the commonest spelling.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from giftwatch.web.causes import cause_of
from giftwatch.web.filters import gift_day

Names = Callable[[dict[str, Any]], list[str]]


def donor_names(gift: dict[str, Any]) -> list[str]:
    return list(gift.get("donors") or [])


def recipient_names(gift: dict[str, Any]) -> list[str]:
    return [gift["recipient"]] if gift.get("recipient") else []


def _add(totals: dict[str, float], gift: dict[str, Any]) -> None:
    if gift.get("amount") is not None:
        currency = gift.get("currency") or "unknown"
        totals[currency] = totals.get(currency, 0) + gift["amount"]


def _plain(totals: dict[str, float]) -> dict[str, float | int]:
    return {c: int(v) if float(v).is_integer() else v for c, v in totals.items()}


def summarize(gifts: Iterable[dict[str, Any]], names: Names, others: Names) -> list[dict[str, Any]]:
    """One row per name: gifts, totals per currency, total_usd, counterparties, first/last date. Biggest USD
    total first, then most gifts, then by name."""
    groups: dict[str, dict[str, Any]] = {}
    for gift in gifts:
        for name in dict.fromkeys(names(gift)):
            group = groups.setdefault(name.casefold(), {"spellings": Counter(), "gifts": 0, "totals": {},
                                                        "others": {}, "dates": []})
            group["spellings"][name] += 1
            group["gifts"] += 1
            _add(group["totals"], gift)
            for other in others(gift):
                group["others"].setdefault(other.casefold(), other)
            if gift_day(gift):
                group["dates"].append(gift_day(gift))
    rows = []
    for group in groups.values():
        totals = _plain(group["totals"])
        rows.append({
            "name": max(group["spellings"], key=lambda n: (group["spellings"][n], n not in (n.lower(), n.upper()))),
            "gifts": group["gifts"], "totals": totals, "total_usd": totals.get("USD"),
            "counterparties": list(group["others"].values()),
            "first_date": min(group["dates"], default=None), "last_date": max(group["dates"], default=None),
        })
    rows.sort(key=lambda r: (r["total_usd"] is None, -(r["total_usd"] or 0), -r["gifts"], r["name"].casefold()))
    return rows


def _breakdown(gifts: list[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for gift in gifts:
        group = groups.setdefault(key(gift), {"label": key(gift), "gifts": 0, "totals": {}})
        group["gifts"] += 1
        _add(group["totals"], gift)
    return [{**g, "totals": _plain(g["totals"])} for g in groups.values()]


def chart_currency(gifts: list[dict[str, Any]]) -> str | None:
    """The currency the charts are drawn in: USD when any gift is in USD, else the most used one."""
    used = Counter(g.get("currency") for g in gifts if g.get("amount") is not None and g.get("currency"))
    if not used:
        return None
    return "USD" if "USD" in used else used.most_common(1)[0][0]


def profile(name: str, role: str, gifts: list[dict[str, Any]], quotes: list[dict[str, Any]]) -> dict[str, Any]:
    """Everything a donor (role "donor") or recipient ("recipient") page shows about one name."""
    names, others = (donor_names, recipient_names) if role == "donor" else (recipient_names, donor_names)
    summary = next(iter(summarize(gifts, lambda g: [name], others)), None)
    by_year = sorted(_breakdown(gifts, lambda g: (gift_day(g) or "undated")[:4]),
                     key=lambda row: (row["label"] == "undated", row["label"]))
    by_cause = sorted(_breakdown(gifts, cause_of), key=lambda row: (-row["gifts"], row["label"]))
    counterparties = summarize(gifts, others, names)
    spellings = Counter(n for g in gifts for n in names(g) if n.casefold() == name.casefold())
    shown = spellings.most_common(1)[0][0] if spellings else name
    return {
        "name": shown, "role": role, "gifts": gifts, "quotes": quotes,
        "gift_count": len(gifts),
        "totals": summary["totals"] if summary else {},
        "total_usd": summary["total_usd"] if summary else None,
        "first_date": summary["first_date"] if summary else None,
        "last_date": summary["last_date"] if summary else None,
        "by_year": by_year, "by_cause": by_cause,
        "counterparties": [{"name": c["name"], "gifts": c["gifts"], "totals": c["totals"]} for c in counterparties],
        "chart_currency": chart_currency(gifts),
    }
