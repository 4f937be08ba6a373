"""The `giftwatch` command: a thin layer over the library.

Library errors (GiftwatchError) become one `Error: ...` line and exit code 1.
"""
from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from giftwatch import __version__
from giftwatch.errors import GiftwatchError, ReadError
from giftwatch.records import Article

DB_HELP = "Database: a SQLite file or a postgresql:// URL (default: $GIFTWATCH_DB or ./giftwatch.db)."


class GiftwatchGroup(click.Group):
    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except GiftwatchError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(1)


@click.group(cls=GiftwatchGroup)
@click.version_option(__version__, prog_name="giftwatch")
def main() -> None:
    """Turn news into a record of who gave what to whom, and what they said about it."""


def _read(paths: tuple[str, ...], published: str | None, problems: list[ReadError]) -> Iterator[Article]:
    from giftwatch.readers import iter_articles

    def report(error: ReadError) -> None:
        problems.append(error)
        click.echo(f"skipped {error}", err=True)

    return iter_articles(paths, published=published, on_error=report)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for plain text without one.")
@click.option("--model", envvar="GIFTWATCH_MODEL", help="spaCy pipeline to use (an installed package name).")
def extract(paths: tuple[str, ...], published: str | None, model: str | None) -> None:
    """Print one FORMAT.md JSON record per article in PATHS (files, folders, JSONL, or - for stdin)."""
    from giftwatch.pipeline import extract_articles

    problems: list[ReadError] = []
    for article in extract_articles(_read(paths, published, problems), model=model):
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False))
    if problems:
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)
@click.option("--published", metavar="DATE", help="Publication date (YYYY-MM-DD) for plain text without one.")
@click.option("--model", envvar="GIFTWATCH_MODEL", help="spaCy pipeline to use (an installed package name).")
@click.option("--workers", type=click.IntRange(min=1), envvar="GIFTWATCH_WORKERS",
              help="Processes that parse articles (default: one per core).")
@click.option("--all-quotes", is_flag=True, help="Extract quotes from every article that has one, not only from "
              "those the pre-pass finds may hold a gift (slower).")
@click.option("--no-prefilter", is_flag=True, help="Parse and fully extract every article (slowest).")
@click.option("--field", "fields", multiple=True, metavar="FIELD=NAME", help="The JSON Lines key or CSV column "
              "that holds an article field: --field text=body --field id=uuid (fields: id, text, title, published, "
              "url, source).")
@click.option("--reextract", is_flag=True, help="Parse again the articles already stored with the same text "
              "(after upgrading giftwatch); by default they are skipped.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal).")
def ingest(paths: tuple[str, ...], db: str | None, published: str | None, model: str | None, workers: int | None,
           all_quotes: bool, no_prefilter: bool, fields: tuple[str, ...], reextract: bool,
           progress: bool | None) -> None:
    """Extract gifts and quotes from PATHS and store them in the database.

    PATHS are files or folders (text, HTML, JSON Lines, CSV, WARC crawls, .urls lists of saved pages)
    or - for stdin. A cheap pre-pass picks the articles that may hold a gift: only those are parsed,
    and all their quotes are extracted. Stopped by Ctrl-C or killed, the same command goes on where
    it stopped: articles already stored are not parsed again.
    """
    from giftwatch.pipeline import ingest_articles
    from giftwatch.readers import FieldMap, SkipCounts, iter_articles
    from giftwatch.scale_commands import INTERRUPTED, report_ingest, stop_gracefully
    from giftwatch.store import open_store

    problems: list[ReadError] = []
    skips = SkipCounts()
    field_map = FieldMap.parse(fields)

    def report(error: ReadError) -> None:
        problems.append(error)
        click.echo(f"skipped {error}", err=True)

    show = sys.stderr.isatty() if progress is None else progress
    try:
        with open_store(db) as store, stop_gracefully():
            articles = iter_articles(paths, published=published, on_error=report, fields=field_map, skips=skips)
            with click.progressbar(articles, label="Ingesting", file=sys.stderr, show_pos=True,
                                   hidden=not show) as bar:
                counts = ingest_articles(bar, store, model=model, workers=workers, all_quotes=all_quotes,
                                         prefilter=not no_prefilter, reextract=reextract)
            totals = store.counts()
    except KeyboardInterrupt:
        click.echo(INTERRUPTED, err=True)
        sys.exit(130)
    for failure in counts.failed:
        click.echo(f"skipped {failure}", err=True)
    report_ingest(counts, problems, skips, totals, store.path)


def _output_options(func):
    func = click.option("--csv", "fmt", flag_value="csv", help="Write CSV.")(func)
    func = click.option("--json", "fmt", flag_value="json", help="Write JSON Lines.")(func)
    func = click.option("--limit", type=int, default=None, help="Show at most this many rows.")(func)
    return click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)(func)


def _emit(rows: list[dict], columns, fmt: str | None, empty: str) -> None:
    from giftwatch.output import render_table, write_csv, write_json

    if fmt == "json":
        write_json(rows, sys.stdout)
    elif fmt == "csv":
        write_csv(rows, columns, sys.stdout)
    elif rows:
        click.echo(render_table(rows, columns))
    else:
        click.echo(empty, err=True)


def _store(db: str | None):
    from giftwatch.store import open_store

    return open_store(db)


@main.command()
@_output_options
@click.option("--donor", help="Donor name contains this (case-insensitive).")
@click.option("--recipient", help="Recipient name contains this.")
@click.option("--since", metavar="DATE", help="Gifts on or after this date (2018, 2018-02, 2018-02-14).")
@click.option("--until", metavar="DATE", help="Gifts on or before this date.")
@click.option("--min-amount", type=float, help="Only gifts of at least this amount.")
@click.option("--kind", type=click.Choice(["donation", "pledge", "bequest", "grant", "matching", "in-kind"]))
def gifts(db, limit, fmt, donor, recipient, since, until, min_amount, kind) -> None:
    """List stored gifts, newest first."""
    from giftwatch.output import GIFT_COLUMNS

    with _store(db) as store:
        rows = store.gifts(donor=donor, recipient=recipient, since=since, until=until, min_amount=min_amount,
                           kind=kind, limit=limit)
    _emit(rows, GIFT_COLUMNS, fmt, "No gifts match.")


@main.command()
@_output_options
@click.option("--speaker", help="Speaker name contains this (case-insensitive).")
@click.option("--text", help="Quote text contains this.")
@click.option("--since", metavar="DATE", help="Quotes from articles published on or after this date.")
@click.option("--until", metavar="DATE", help="Quotes from articles published on or before this date.")
def quotes(db, limit, fmt, speaker, text, since, until) -> None:
    """List stored quotes with their speakers."""
    from giftwatch.output import QUOTE_COLUMNS

    with _store(db) as store:
        rows = store.quotes(speaker=speaker, text=text, since=since, until=until, limit=limit)
    _emit(rows, QUOTE_COLUMNS, fmt, "No quotes match.")


@main.command()
@_output_options
@click.option("--donor", help="Donor name contains this (case-insensitive).")
@click.option("--since", metavar="DATE", help="Count gifts on or after this date.")
@click.option("--min-amount", type=float, help="Count only gifts of at least this amount.")
@click.option("--kind", type=click.Choice(["donation", "pledge", "bequest", "grant", "matching", "in-kind"]))
def donors(db, limit, fmt, donor, since, min_amount, kind) -> None:
    """List donors with their number of gifts and totals, largest first."""
    from giftwatch.output import DONOR_COLUMNS

    with _store(db) as store:
        rows = store.donors(donor=donor, since=since, min_amount=min_amount, kind=kind, limit=limit)
    _emit(rows, DONOR_COLUMNS, fmt, "No donors match.")


@main.command("eval")
@click.argument("gold", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--per-doc", is_flag=True, help="Also list each article's matches.")
@click.option("--model", envvar="GIFTWATCH_MODEL", help="spaCy pipeline to use (an installed package name).")
def evaluate_command(gold: tuple[str, ...], as_json: bool, per_doc: bool, model: str | None) -> None:
    """Score extraction against gold files or folders of .jsonl (the FORMAT.md rules)."""
    from giftwatch.eval import evaluate, format_report, load_gold
    from giftwatch.pipeline import extract_records

    result = evaluate(load_gold(gold), lambda records: extract_records(records, model=model))
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(format_report(result, per_doc=per_doc))


def _register_commands() -> None:
    """Commands that live beside their layer: profiles, search, export and entity edits (store);
    the Spark job and loading its output (scale); the web server and its tokens (web)."""
    from giftwatch.scale_commands import load_command, spark_command
    from giftwatch.store.commands import register
    from giftwatch.web.commands import serve, token

    register(main)
    main.add_command(spark_command)
    main.add_command(load_command)
    main.add_command(serve)
    main.add_command(token)


_register_commands()

if __name__ == "__main__":
    main()
