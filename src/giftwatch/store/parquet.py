"""Parquet export with explicit column types, so amounts stay numbers and lists stay lists in any reader
(pandas, DuckDB, Spark)."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from giftwatch.errors import StoreError


def _schema(table: str) -> Any:
    import pyarrow as pa

    strings = pa.list_(pa.string())
    if table == "gifts":
        report = pa.struct([("gift_id", pa.int64()), ("article_id", pa.string()), ("evidence", pa.string()),
                            ("amount_text", pa.string()), ("kind", pa.string()), ("source", pa.string()),
                            ("url", pa.string()), ("title", pa.string()), ("published", pa.string())])
        return pa.schema([
            ("gift_id", pa.int64()), ("date", pa.string()), ("reported", pa.string()), ("year", pa.string()),
            ("donors", strings), ("donor_keys", strings), ("through", strings), ("through_keys", strings),
            ("recipient", pa.string()), ("recipient_key", pa.string()), ("amount", pa.float64()),
            ("amount_max", pa.float64()), ("currency", pa.string()), ("amount_text", pa.string()),
            ("kind", pa.string()), ("purpose", pa.string()), ("cause", pa.string()), ("in_name_of", strings),
            ("tribute_type", pa.string()), ("pledge_gift_id", pa.int64()), ("payment_gift_ids", pa.list_(pa.int64())),
            ("source_count", pa.int64()), ("article_ids", strings), ("sources", strings), ("urls", strings),
            ("evidence", pa.string()), ("reports", pa.list_(report)), ("quote_ids", pa.list_(pa.int64()))])
    if table == "quotes":
        return pa.schema([
            ("quote_id", pa.int64()), ("article_id", pa.string()), ("text", pa.string()), ("speakers", strings),
            ("speaker_keys", strings), ("speaker_role", pa.string()), ("cue", pa.string()),
            ("gift_ids", pa.list_(pa.int64())), ("published", pa.string()), ("source", pa.string()),
            ("url", pa.string())])
    return pa.schema([
        ("key", pa.string()), ("name", pa.string()), ("kind", pa.string()), ("aliases", strings),
        ("articles", pa.int64()), ("gifts_given", pa.int64()), ("gifts_received", pa.int64()), ("quotes", pa.int64())])


def write_parquet(rows: list[dict[str, Any]], table: str, path: str | Path, create: Callable[..., Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(table)
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    for name in ("amount", "amount_max"):
        if name in columns:
            columns[name] = [float(v) if v is not None else None for v in columns[name]]
    try:
        data = pa.Table.from_pydict(columns, schema=schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise StoreError(f"Could not build the Parquet table: {exc}. Report this with the database that caused it.")
    with create(path, "wb") as handle:
        pq.write_table(data, handle)
