"""giftwatch as a PySpark job: extraction over a corpus too large for one machine.

    spark-submit src/giftwatch/spark/job.py INPUT... --output DIR [--all-quotes] [--partitions N]

(or `giftwatch spark INPUT... --output DIR`, which runs the same job in Spark local mode). Each
input file (WARC, JSON Lines, CSV, HTML, text; folders are expanded on the driver) is read by one
task; the articles are spread over `--partitions` partitions, and each partition loads spaCy once
and runs the same pre-pass and extraction as `giftwatch ingest`. The output folder holds Parquet
tables: `articles/` (one row per article, its gifts and quotes nested: what `giftwatch load`
reads), and flat `gifts/` and `quotes/` tables for querying with Spark SQL, DuckDB or pandas.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

# Run as a file by spark-submit, this module is not imported as part of the package.
if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from giftwatch.errors import GiftwatchError, ReadError   # noqa: E402
from giftwatch.spark.rows import ARTICLES, GIFTS, MANIFEST, QUOTES   # noqa: E402

SLICE = 32   # articles parsed together in a partition


def input_files(inputs: Iterable[str]) -> list[str]:
    """Every article file named or found under the folders named, as absolute paths the executors
    can open (the inputs must be on a file system every executor sees)."""
    from giftwatch.readers import article_files

    problems: list[ReadError] = []
    files: list[str] = []
    for given in inputs:
        if os.path.isdir(given):
            files.extend(os.path.abspath(label) for _, label in article_files(given, problems.append))
        elif os.path.exists(given):
            files.append(os.path.abspath(given))
        else:
            raise GiftwatchError(f"{given}: no such file or folder: check the path (inputs must be readable at the "
                                 "same path by every Spark executor)")
    if problems:
        raise GiftwatchError(str(problems[0]))
    if not files:
        raise GiftwatchError("no article files among the inputs (looked for .warc.gz, .jsonl, .csv and the other "
                             "reader extensions): check the paths")
    return files


class _Listing:
    """Accumulator of messages (read problems), gathered from every task to the driver."""

    def zero(self, value: list) -> list:
        return []

    def addInPlace(self, first: list, second: list) -> list:   # noqa: N802 - Spark's name
        first.extend(second)
        return first


class _Tally:
    """Accumulator of counts by reason (crawl records passed over)."""

    def zero(self, value: dict) -> dict:
        return {}

    def addInPlace(self, first: dict, second: dict) -> dict:   # noqa: N802 - Spark's name
        for key, count in second.items():
            first[key] = first.get(key, 0) + count
        return first


def _read_file(path: str, options: dict, problems, passed_over) -> Iterator[tuple]:
    """The article fields of each article in one file; read problems and passed-over crawl records
    go to the accumulators."""
    from giftwatch.readers import SkipCounts, iter_articles

    found: list[ReadError] = []
    skips = SkipCounts()
    for article in iter_articles([path], published=options["published"], on_error=found.append,
                                 fields=options["fields"], skips=skips):
        yield article.id, article.text, article.source, article.published, article.title, article.url
    if found:
        problems.add([str(problem) for problem in found])
    if skips.total:
        passed_over.add(dict(skips.reasons))


def _extract_partition(items: Iterator[tuple], options: dict) -> Iterator[tuple]:
    """Article rows for one partition: the ingest pre-pass, then spaCy (loaded once) on what needs it."""
    from dataclasses import replace

    from giftwatch.nlp import load_pipeline
    from giftwatch.pipeline import ExtractionFailure, extract_batch, one_math_thread
    from giftwatch.prefilter import PARSE, STORE, route
    from giftwatch.records import Article
    from giftwatch.spark.rows import article_row

    nlp = None
    batch: list[tuple[Article, str]] = []

    def parse(articles: list[tuple[Article, str]]) -> Iterator[tuple]:
        nonlocal nlp
        if nlp is None:
            one_math_thread()   # Spark runs a Python worker per core already
            nlp = load_pipeline(options["model"])
        for (article, way), result in zip(articles, extract_batch(nlp, [a for a, _ in articles])):
            if isinstance(result, ExtractionFailure):
                yield article_row(article, parsed=True, error=result.error)
            else:   # parsed for its quotes only: the pre-pass found no gift vocabulary
                yield article_row(result if way == PARSE else replace(result, gifts=[]), parsed=True)

    for article_id, text, source, published, title, url in items:
        article = Article(article_id, text, source=source, published=published, title=title, url=url)
        way = route(article.text, all_quotes=options["all_quotes"])
        if way == STORE:
            yield article_row(article, parsed=False)
            continue
        batch.append((article, way))
        if len(batch) >= SLICE:
            yield from parse(batch)
            batch = []
    if batch:
        yield from parse(batch)


def run_job(spark, inputs: Iterable[str], output: str, *, all_quotes: bool = False, fields=None,
            published: str | None = None, partitions: int | None = None, model: str | None = None) -> dict:
    """Run extraction over `inputs` and write the Parquet tables under `output`; returns the counts
    also written to `output/_giftwatch.json`."""
    from pyspark.sql import functions as F

    from giftwatch.readers import FieldMap
    from giftwatch.readers.text import normalize_published
    from giftwatch.spark.rows import article_schema

    out = Path(output)
    if out.exists() and any(out.iterdir()):
        raise GiftwatchError(f"{output} already exists and is not empty: choose a new --output folder (or delete "
                             "the old one)")
    options = {"published": normalize_published(published), "fields": FieldMap.parse(fields), "model": model,
               "all_quotes": all_quotes}
    files = input_files(inputs)
    context = spark.sparkContext
    problems = context.accumulator([], _Listing())
    passed_over = context.accumulator({}, _Tally())
    slices = partitions or max(context.defaultParallelism * 4, 1)
    articles = (context.parallelize(files, len(files))
                .flatMap(lambda path: _read_file(path, options, problems, passed_over))
                .repartition(slices)   # one big file still spreads over every executor
                .mapPartitions(lambda items: _extract_partition(items, options)))
    spark.createDataFrame(articles, article_schema()).write.parquet(str(out / ARTICLES))
    stored = spark.read.parquet(str(out / ARTICLES))
    for table, key in ((GIFTS, "gift"), (QUOTES, "quote")):
        (stored.select(F.col("id").alias("article_id"), "published", "source", "url",
                       F.posexplode(table).alias("position", key))
         .select("article_id", "position", f"{key}.*", "published", "source", "url")
         .write.parquet(str(out / table)))
    totals = stored.agg(F.count("*").alias("articles"),
                        F.sum(F.col("parsed").cast("long")).alias("parsed"),
                        F.sum(F.size(GIFTS)).alias("gifts"), F.sum(F.size(QUOTES)).alias("quotes"),
                        F.sum(F.col("error").isNotNull().cast("long")).alias("failed")).first().asDict()
    summary = {**{k: int(v or 0) for k, v in totals.items()}, "files": len(files),
               "problems": sorted(problems.value), "passed_over": dict(passed_over.value), "all_quotes": all_quotes}
    (out / MANIFEST).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return summary


def local_session(master: str = "local[*]", app_name: str = "giftwatch"):
    """A SparkSession for running on this machine, with Python workers from this interpreter."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    return (SparkSession.builder.master(master).appName(app_name)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.log.level", "ERROR")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.driver.extraJavaOptions", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
            .getOrCreate())


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="job.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="WARC, JSON Lines, CSV files or folders")
    parser.add_argument("--output", required=True, help="new folder for the Parquet tables")
    parser.add_argument("--all-quotes", action="store_true", help="parse every article with a quotation too")
    parser.add_argument("--field", action="append", default=[], metavar="FIELD=NAME",
                        help="JSON Lines key or CSV column of an article field (text=body, id=uuid, ...)")
    parser.add_argument("--published", help="publication date for records without one (YYYY-MM-DD)")
    parser.add_argument("--partitions", type=int, help="partitions to extract in (default: 4 x the cores)")
    parser.add_argument("--model", help="spaCy pipeline package installed on the executors")
    return parser


def main(argv: list[str] | None = None) -> int:
    """spark-submit entry point: the session comes from spark-submit's --master and --conf."""
    from pyspark.sql import SparkSession

    args = argument_parser().parse_args(argv)
    spark = SparkSession.builder.appName("giftwatch").getOrCreate()
    try:
        summary = run_job(spark, args.inputs, args.output, all_quotes=args.all_quotes, fields=args.field,
                          published=args.published, partitions=args.partitions, model=args.model)
    except GiftwatchError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
