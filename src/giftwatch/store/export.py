"""Exports of the deduplicated record: CSV, JSON Lines, Parquet, and a CSV shaped for nonprofit CRM gift imports.
The columns are documented in docs/export.md."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from giftwatch.entities import names as N
from giftwatch.errors import StoreError
from giftwatch.store.catalog import entities, gift_groups

FORMATS = ("csv", "jsonl", "parquet", "crm-csv")
TABLES = ("gifts", "quotes", "entities")
SEPARATOR = "; "
GIFT_FIELDS = ("gift_id", "date", "reported", "year", "donors", "donor_keys", "through", "through_keys", "recipient",
               "recipient_key", "amount", "amount_max", "currency", "amount_text", "kind", "purpose", "cause",
               "in_name_of", "tribute_type", "pledge_gift_id", "payment_gift_ids", "source_count", "article_ids",
               "sources", "urls", "evidence")
QUOTE_FIELDS = ("quote_id", "article_id", "text", "speakers", "speaker_keys", "speaker_role", "cue", "gift_ids",
                "published", "source", "url")
ENTITY_FIELDS = ("key", "name", "kind", "aliases", "articles", "gifts_given", "gifts_received", "quotes")
CRM_COLUMNS = ("Gift ID", "Donor Type", "Donor Name", "Donor First Name", "Donor Last Name", "Donor Organization",
               "Additional Donors", "Given Through", "Recipient Organization", "Amount", "Currency", "Gift Date",
               "Date Precision", "Gift Type", "Purpose", "Cause", "Tribute Type", "Honoree Name", "Source URL",
               "Source Publication", "Source Article IDs", "Number of Sources", "Linked Pledge ID", "Notes")
CRM_GIFT_TYPES = {"donation": "Donation", "pledge": "Pledge", "bequest": "Bequest", "grant": "Grant",
                  "matching": "Matching Gift", "in-kind": "In-Kind Gift"}
CRM_TRIBUTES = {"honor": "Honor", "memorial": "Memorial"}


def gift_rows(store: Any) -> list[dict[str, Any]]:
    """One flat row per deduplicated gift (lists kept as lists; CSV joins them)."""
    rows = []
    for g in gift_groups(store):
        sources = g["sources"]
        rows.append({**{k: g[k] for k in GIFT_FIELDS if k in g}, "source_count": len(sources),
                     "article_ids": [s["article_id"] for s in sources],
                     "sources": [s["source"] for s in sources if s["source"]],
                     "urls": [s["url"] for s in sources if s["url"]],
                     "evidence": sources[0]["evidence"] if sources else None,
                     "reports": sources, "quote_ids": g["quote_ids"]})
    return rows


def quote_rows(store: Any) -> list[dict[str, Any]]:
    store.refresh()
    quotes = store.quotes()
    keys: dict[int, list[str]] = {}
    for r in store._rows("SELECT qe.quote_id, e.key FROM quote_entities qe JOIN entities e ON e.id = qe.entity_id"
                         " ORDER BY qe.quote_id, e.key"):
        keys.setdefault(r["quote_id"], []).append(r["key"])
    gifts: dict[int, list[int]] = {}
    for r in store._rows("SELECT DISTINCT qg.quote_id, s.group_id FROM quote_gifts qg JOIN gift_sources s"
                         " ON s.gift_id = qg.gift_id ORDER BY qg.quote_id, s.group_id"):
        gifts.setdefault(r["quote_id"], []).append(r["group_id"])
    urls = {r["id"]: r["url"] for r in store._rows("SELECT id, url FROM articles")}
    return [{**{k: q.get(k) for k in QUOTE_FIELDS if k in q}, "speaker_keys": keys.get(q["quote_id"], []),
             "gift_ids": gifts.get(q["quote_id"], []), "url": urls.get(q["article_id"])} for q in quotes]


def crm_rows(store: Any) -> list[dict[str, Any]]:
    """CRM gift-import rows: one per deduplicated gift, the first named donor as the constituent."""
    store.refresh()
    people = {r["key"] for r in store._rows("SELECT key FROM entities WHERE kind IN ('person', 'couple member')")}
    out = []
    for g in gift_rows(store):
        named = [n for n in g["donors"] if n != "anonymous"]
        first_key = g["donor_keys"][0] if g["donor_keys"] else None
        donor = named[0] if named else "Anonymous"
        is_person = first_key in people
        parts = N.person_parts(donor) if is_person else None
        written = donor.split()
        date, precision = _full_date(g["date"], g["reported"])
        notes = g["evidence"] or ""
        if g["amount_max"] not in (None, g["amount"]):
            notes = f"Reported as a range up to {g['amount_max']:,} {g['currency'] or ''}. {notes}".strip()
        out.append({
            "Gift ID": f"GW-G{g['gift_id']}",
            "Donor Type": "Anonymous" if not named else "Individual" if is_person else "Organization",
            "Donor Name": donor,
            "Donor First Name": " ".join(written[:-1]) if parts else "",
            "Donor Last Name": written[-1] if parts else "",
            "Donor Organization": donor if named and not is_person else "",
            "Additional Donors": SEPARATOR.join(named[1:]),
            "Given Through": SEPARATOR.join(g["through"]),
            "Recipient Organization": g["recipient"] or "",
            "Amount": f"{g['amount']:.2f}" if g["amount"] is not None else "",
            "Currency": g["currency"] or "",
            "Gift Date": date, "Date Precision": precision,
            "Gift Type": CRM_GIFT_TYPES.get(g["kind"], g["kind"].title()),
            "Purpose": g["purpose"] or "", "Cause": g["cause"],
            "Tribute Type": CRM_TRIBUTES.get(g["tribute_type"] or "", ""),
            "Honoree Name": SEPARATOR.join(g["in_name_of"]),
            "Source URL": g["urls"][0] if g["urls"] else (g["sources"][0] if g["sources"] else ""),
            "Source Publication": SEPARATOR.join(dict.fromkeys(g["sources"])),
            "Source Article IDs": SEPARATOR.join(g["article_ids"]),
            "Number of Sources": g["source_count"],
            "Linked Pledge ID": f"GW-G{g['pledge_gift_id']}" if g["pledge_gift_id"] else "",
            "Notes": " ".join(notes.split())[:1000],
        })
    return out


def _full_date(date: str | None, reported: str | None) -> tuple[str, str]:
    """A whole date for importers that need one: "2018-02" → ("2018-02-01", "month"); no date → the first
    report's publication date ("reported"); nothing → ("", "")."""
    if date:
        precision = {4: "year", 7: "month"}.get(len(date), "day")
        return (date + "-01-01")[:10] if len(date) == 4 else (date + "-01")[:10], precision
    if reported:
        return reported[:10], "reported"
    return "", ""


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return SEPARATOR.join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


@contextmanager
def _open_text(path: str | Path) -> Iterator[TextIO]:
    if str(path) == "-":
        yield sys.stdout
        return
    with _create(path, "w", encoding="utf-8", newline="") as handle:
        yield handle


def _create(path: str | Path, mode: str, **kwargs: Any) -> Any:
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise StoreError(f"Cannot write {target}: the directory {target.parent} does not exist. Create it first.")
    if target.is_dir():
        raise StoreError(f"{target} is a directory; give the export a file name, such as {target / 'gifts.csv'}.")
    try:
        return open(target, mode, **kwargs)
    except OSError as exc:
        raise StoreError(f"Cannot write {target}: {exc.strerror}. Check the path and its permissions.") from exc


def export(store: Any, fmt: str, path: str | Path, *, table: str = "gifts") -> int:
    """Write `table` (gifts, quotes or entities) in `fmt` to `path` ("-" is standard output, except for Parquet).
    Returns the number of rows written."""
    if fmt not in FORMATS:
        raise StoreError(f"Unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if table not in TABLES:
        raise StoreError(f"Unknown table {table!r}; choose one of {', '.join(TABLES)}.")
    if fmt == "crm-csv" and table != "gifts":
        raise StoreError("The CRM export is one row per gift; use --table gifts (the default) with crm-csv.")
    makers: dict[str, tuple[Callable[[Any], list[dict[str, Any]]], tuple[str, ...]]] = {
        "gifts": (gift_rows, GIFT_FIELDS), "quotes": (quote_rows, QUOTE_FIELDS),
        "entities": (lambda s: entities(s), ENTITY_FIELDS)}
    if fmt == "crm-csv":
        rows, columns = crm_rows(store), CRM_COLUMNS
    else:
        make, columns = makers[table]
        rows = make(store)
    if fmt == "jsonl":
        with _open_text(path) as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "parquet":
        if str(path) == "-":
            raise StoreError("Parquet is a binary format; give a file name with -o, such as gifts.parquet.")
        from giftwatch.store.parquet import write_parquet

        write_parquet(rows, table, path, _create)
    else:
        with _open_text(path) as out:
            writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
            writer.writeheader()
            for row in rows:
                writer.writerow({c: _cell(row.get(c)) for c in columns})
    return len(rows)
