"""Commands for corpora too large for one run: `giftwatch spark` and `giftwatch load`, and the summary
lines `giftwatch ingest` shares with them.

    giftwatch spark crawl/*.warc.gz news.jsonl --output out/      # extraction as a PySpark job
    giftwatch load out/ --db gifts.db                             # its Parquet output into the store
"""
from __future__ import annotations

import contextlib
import json
import signal
import sys
from collections.abc import Iterator

import click

from giftwatch.errors import GiftwatchError, ReadError

DB_HELP = "Database: a SQLite file (default: $GIFTWATCH_DB or ./giftwatch.db)."
FIELD_HELP = ("The JSON Lines key or CSV column that holds an article field, as FIELD=NAME: --field text=body "
              "--field id=uuid (fields: id, text, title, published, url, source; a.b reaches into nested JSON).")
ALL_QUOTES_HELP = ("Extract quotes from every article that has one. By default only the articles the pre-pass finds "
                   "may hold a gift are parsed (all their quotes are extracted); the rest are stored without "
                   "quotes. Slower.")
INTERRUPTED = ("Interrupted: every article stored so far is kept; run the same command again to go on where it "
               "stopped.")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def report_ingest(counts, problems: list[ReadError], skips, totals: dict[str, int], db_path: str) -> None:
    """The summary of an ingest (or load): what was read, stored, parsed, skipped; then the database totals."""
    files = len({p.path for p in problems})
    click.echo(f"{counts.read} articles read: {counts.added} added, {counts.updated} updated, "
               f"{counts.unchanged} unchanged; {counts.gifts} gifts and {counts.quotes} quotes found; "
               f"{_plural(files, 'file')} skipped"
               + (f" ({len(problems)} problems)" if len(problems) != files else "") + ".")
    if counts.parsed or counts.not_parsed:
        click.echo(f"Pre-pass: {counts.parsed} parsed, {counts.not_parsed} stored without parsing (no gift "
                   "vocabulary" + (" and no quotation" if getattr(counts, "all_quotes", False) else "") + ").")
    if counts.already_stored:
        click.echo(f"{_plural(counts.already_stored, 'article')} already stored with the same text: not parsed again "
                   "(--reextract parses them again).")
    if counts.failed:
        click.echo(f"{_plural(len(counts.failed), 'article')} failed in extraction and were not stored "
                   "(see the messages above).")
    if skips is not None and skips.total:
        click.echo(skips.summary() + ".")
    click.echo(f"Database {db_path}: {totals['articles']} articles, {totals['gifts']} gifts, "
               f"{totals['quotes']} quotes.")


@contextlib.contextmanager
def stop_gracefully() -> Iterator[None]:
    """Treat SIGTERM (kill, a scheduler's stop) like Ctrl-C, so the articles written so far are committed."""
    def interrupt(signum, frame):   # noqa: ARG001
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:   # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@click.command("spark")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", "-o", required=True, metavar="DIR", help="New folder for the Parquet tables.")
@click.option("--all-quotes", is_flag=True, help=ALL_QUOTES_HELP)
@click.option("--field", "fields", multiple=True, metavar="FIELD=NAME", help=FIELD_HELP)
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for records without one.")
@click.option("--partitions", type=click.IntRange(min=1), help="Partitions to extract in (default: 4 x the cores).")
@click.option("--master", default="local[*]", show_default=True,
              help="Spark master. For a cluster, use spark-submit with src/giftwatch/spark/job.py (docs/spark.md).")
@click.option("--model", envvar="GIFTWATCH_MODEL", help="spaCy pipeline to use (an installed package name).")
def spark_command(inputs, output, all_quotes, fields, published, partitions, master, model) -> None:
    """Extract gifts and quotes from INPUTS (WARC, JSON Lines, CSV, ...) as a PySpark job, writing Parquet
    tables (articles/, gifts/, quotes/) to DIR. `giftwatch load DIR` then stores them."""
    from giftwatch.readers import FieldMap
    from giftwatch.spark.job import input_files, local_session, run_job

    field_map = FieldMap.parse(fields)
    input_files(inputs)   # bad paths are reported before Java starts
    _check_java()
    session = local_session(master)
    try:
        summary = run_job(session, inputs, output, all_quotes=all_quotes, fields=field_map, published=published,
                          partitions=partitions, model=model)
    finally:
        session.stop()
    for problem in summary["problems"]:
        click.echo(f"skipped {problem}", err=True)
    click.echo(f"{summary['articles']} articles from {_plural(summary['files'], 'file')}: {summary['parsed']} parsed, "
               f"{summary['gifts']} gifts and {summary['quotes']} quotes found"
               + (f", {summary['failed']} failed in extraction" if summary["failed"] else "") + ".")
    if summary["passed_over"]:
        total = sum(summary["passed_over"].values())
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(summary["passed_over"].items(),
                                                                    key=lambda item: -item[1]))
        click.echo(f"{_plural(total, 'crawl record')} passed over ({reasons}).")
    click.echo(f"Parquet tables in {output}: articles/, gifts/, quotes/. Store them with: giftwatch load {output}")


def _check_java() -> None:
    import shutil
    import subprocess

    java = shutil.which("java")
    if java is None or subprocess.run([java, "-version"], capture_output=True).returncode != 0:
        raise GiftwatchError("Spark needs Java 17 or newer and none was found: install it (on Debian: "
                             "apt-get install default-jre-headless, or run .ci/install-java)")


@click.command("load")
@click.argument("folder")
@click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
def load_command(folder: str, db: str | None, progress: bool | None) -> None:
    """Store the output of `giftwatch spark` (FOLDER) in the database, as an ingest of the same articles would.

    Articles already stored are unchanged; loading again changes nothing."""
    from giftwatch.pipeline import ExtractionFailure, IngestCounts
    from giftwatch.spark.rows import MANIFEST, article_from_row, check_output, read_rows
    from giftwatch.store import open_store

    check_output(folder)
    counts = IngestCounts()

    def articles():
        for row in read_rows(folder):
            article = article_from_row(row)
            if row.get("error"):
                failure = ExtractionFailure(article.id, article.source, row["error"])
                counts.failed.append(failure)
                click.echo(f"skipped {failure}", err=True)
                continue
            if row.get("parsed"):
                counts.parsed += 1
            else:
                counts.not_parsed += 1
            counts.gifts += len(article.gifts)
            counts.quotes += len(article.quotes)
            yield article

    show = sys.stderr.isatty() if progress is None else progress
    try:
        with open_store(db) as store, stop_gracefully():
            with click.progressbar(articles(), label="Loading", file=sys.stderr, show_pos=True,
                                   hidden=not show) as bar:
                outcome = store.add_articles(bar)
            totals = store.counts()
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        sys.exit(130)
    counts.added, counts.updated, counts.unchanged = outcome["added"], outcome["updated"], outcome["unchanged"]
    manifest = _manifest(folder, MANIFEST)
    counts.all_quotes = manifest.get("all_quotes", False)
    report_ingest(counts, [], None, totals, store.path)


def _manifest(folder: str, name: str) -> dict:
    from pathlib import Path

    try:
        return json.loads((Path(folder) / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
