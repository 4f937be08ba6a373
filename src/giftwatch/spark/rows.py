"""Articles as Parquet rows, in both directions.

The Spark job writes one row per article (its fields, its gifts and quotes as lists of
structs), and `giftwatch load` turns those rows back into the very Article records a plain
ingest would store. The columns follow the Article, Gift and Quote dataclasses, so a field
added there is carried without touching this module. Reading needs only pyarrow, not Spark.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

from giftwatch.errors import GiftwatchError
from giftwatch.records import Article, Gift, Quote

ARTICLES = "articles"
GIFTS = "gifts"
QUOTES = "quotes"
MANIFEST = "_giftwatch.json"
EXTRA_COLUMNS = ("parsed", "error")   # did the job parse the article; why extraction failed on it
_ARTICLE_SCALARS = ("id", "source", "published", "title", "url", "text")


def _spark_type(annotation: str):
    """The Spark SQL type of a dataclass field, from its (string) annotation."""
    from pyspark.sql import types as T

    kinds = {"str": T.StringType(), "float": T.DoubleType(), "int": T.LongType(), "bool": T.BooleanType()}
    base = annotation.replace(" ", "").removesuffix("|None")
    if base == "list[str]":
        return T.ArrayType(T.StringType())
    if base in kinds:
        return kinds[base]
    raise GiftwatchError(f"cannot write field type {annotation!r} to Parquet: teach giftwatch.spark.rows about it")


def _struct(record_type):
    from pyspark.sql import types as T

    return T.StructType([T.StructField(f.name, _spark_type(str(f.type))) for f in fields(record_type)])


def article_schema():
    """The Spark schema of an article row."""
    from pyspark.sql import types as T

    columns = [T.StructField(name, T.StringType(), nullable=name not in ("id", "text")) for name in _ARTICLE_SCALARS]
    columns += [T.StructField(GIFTS, T.ArrayType(_struct(Gift))), T.StructField(QUOTES, T.ArrayType(_struct(Quote))),
                T.StructField("parsed", T.BooleanType()), T.StructField("error", T.StringType())]
    return T.StructType(columns)


def _record_tuple(record: Gift | Quote) -> tuple:
    values = []
    for f in fields(record):
        value = getattr(record, f.name)
        if str(f.type).replace(" ", "").removesuffix("|None") == "float" and isinstance(value, int):
            value = float(value)   # Spark's DoubleType takes no ints
        values.append(value)
    return tuple(values)


def article_row(article: Article, *, parsed: bool, error: str | None = None) -> tuple:
    """One article as a row of `article_schema()`."""
    return (*(getattr(article, name) for name in _ARTICLE_SCALARS),
            [_record_tuple(g) for g in article.gifts], [_record_tuple(q) for q in article.quotes], parsed, error)


def article_from_row(row: dict[str, Any]) -> Article:
    """An Article (with gifts and quotes) from a row read back from Parquet."""
    data = {name: row.get(name) for name in _ARTICLE_SCALARS}
    data[GIFTS] = row.get(GIFTS) or []
    data[QUOTES] = row.get(QUOTES) or []
    return Article.from_dict(data)


def check_output(folder: str | Path) -> Path:
    """The articles table of a finished job, or GiftwatchError saying what to do."""
    table = Path(folder) / ARTICLES
    if not Path(folder).is_dir():
        raise GiftwatchError(f"{folder} is not a folder: give the --output folder of a `giftwatch spark` run")
    if not table.is_dir():
        raise GiftwatchError(f"{folder} has no {ARTICLES}/ table: give the --output folder of a `giftwatch spark` "
                             "run")
    if not (table / "_SUCCESS").exists():
        raise GiftwatchError(f"{table} has no _SUCCESS marker: the Spark job did not finish; run it again into a new "
                             "--output folder")
    return table


def read_rows(folder: str | Path, batch_rows: int = 256) -> Iterator[dict[str, Any]]:
    """The article rows of a job's output, a batch of rows at a time (memory stays flat)."""
    import pyarrow.parquet as pq

    table = check_output(folder)
    for part in sorted(table.glob("*.parquet")):
        for batch in pq.ParquetFile(part).iter_batches(batch_size=batch_rows):
            yield from batch.to_pylist()
