"""CLI commands over the entity-level store API: donor, recipient, search, export, entities, merge, split.

Registered in cli.py with `main.add_command(...)`. Each command turns giftwatch's errors into one `Error: ...`
line and exit code 1 itself, so it behaves the same registered or run alone.
"""
from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from typing import Any

import click

from giftwatch.errors import GiftwatchError
from giftwatch.store.export import FORMATS, TABLES

DB_HELP = "Database: a SQLite file or a postgresql:// URL (default: $GIFTWATCH_DB or ./giftwatch.db)."


def _friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except GiftwatchError as exc:
            raise click.ClickException(str(exc)) from exc
    return run


def _db_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--db", envvar="GIFTWATCH_DB", help=DB_HELP)(command)


def _open(db: str | None):
    from giftwatch.store import open_store

    return open_store(db)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _profile_command(role: str) -> click.Command:
    @click.command(role, help=(
        f"Profile of a {role}: giving {'history' if role == 'donor' else 'received'} per year and per cause, "
        f"totals over deduplicated gifts, {'recipients' if role == 'donor' else 'donors'}, statements, and the "
        "articles behind every figure. NAME is a name, an alias or an entity key."))
    @click.argument("name")
    @_db_option
    @click.option("--json", "as_json", is_flag=True, help="Print the profile as JSON.")
    @_friendly_errors
    def show(name: str, db: str | None, as_json: bool) -> None:
        from giftwatch.store.profiles import render_profile

        with _open(db) as store:
            data = store.donor_profile(name) if role == "donor" else store.recipient_profile(name)
        _echo_json(data) if as_json else click.echo(render_profile(data))
    return show


donor = _profile_command("donor")
recipient = _profile_command("recipient")


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@_db_option
@click.option("--kind", type=click.Choice(["quote", "evidence"]), help="Only quotes, or only gift evidence.")
@click.option("--limit", type=int, default=20, show_default=True, help="Show at most this many results.")
@click.option("--json", "as_json", is_flag=True, help="Write JSON Lines.")
@_friendly_errors
def search(query: tuple[str, ...], db: str | None, kind: str | None, limit: int, as_json: bool) -> None:
    """Full-text search over quotes and gift evidence. Words are stemmed; "a phrase" in quotes, -word to
    exclude, OR for either."""
    with _open(db) as store:
        results = store.search(" ".join(query), kind=kind, limit=limit)
    if as_json:
        for row in results:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if not results:
        click.echo("Nothing matches.", err=True)
    for row in results:
        who = ", ".join(row.get("speakers") or row.get("donors") or []) or "unnamed"
        where = ", ".join(x for x in (row["source"], row["published"]) if x)
        label = "quote" if row["kind"] == "quote" else f"gift G{row['gift_group']}" if row.get("gift_group") \
            else "gift"
        click.echo(f"[{label}] {' '.join(row['snippet'].split())}")
        click.echo(f"    — {who}{' → ' + row['recipient'] if row.get('recipient') else ''}; "
                   f"{row['article_id']}{' (' + where + ')' if where else ''}")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True, help="File format (docs/export.md).")
@click.option("-o", "--output", required=True, help="File to write; - for standard output (not for parquet).")
@click.option("--table", type=click.Choice(TABLES), default="gifts", show_default=True,
              help="What to export: deduplicated gifts, quotes or entities.")
@_db_option
@_friendly_errors
def export(fmt: str, output: str, table: str, db: str | None) -> None:
    """Export deduplicated gifts (with all their sources), quotes or entities."""
    with _open(db) as store:
        rows = store.export(fmt, output, table=table)
    if output != "-":
        click.echo(f"Wrote {rows} {table if rows != 1 else table.rstrip('s')} to {output} ({fmt}).", err=True)


@click.command("entities")
@click.argument("name", required=False)
@_db_option
@click.option("--kind", help="Only this kind (person, couple member, foundation, company, university, ...).")
@click.option("--limit", type=int, default=None, help="Show at most this many.")
@click.option("--show", is_flag=True, help="Print NAME's full record: aliases, articles, relations (JSON).")
@click.option("--json", "as_json", is_flag=True, help="Write JSON Lines.")
@click.option("--decisions", is_flag=True, help="List the manual merge and split decisions instead.")
@_friendly_errors
def entities(name: str | None, db: str | None, kind: str | None, limit: int | None, show: bool, as_json: bool,
             decisions: bool) -> None:
    """List people and organisations (NAME: those whose name or alias contains it)."""
    from giftwatch.output import render_table

    with _open(db) as store:
        if decisions:
            rows = store.decisions()
            columns: tuple[str, ...] = ("id", "action", "description", "made_at")
        elif show:
            if not name:
                raise GiftwatchError("--show needs a NAME or entity key.")
            _echo_json(store.entity(name).to_dict())
            return
        else:
            rows = store.entities(name=name, kind=kind, limit=limit)
            columns = ("key", "name", "kind", "articles", "gifts_given", "gifts_received", "quotes", "aliases")
    if as_json:
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
    elif rows:
        click.echo(render_table(rows, columns, widths={"aliases": 40, "description": 70}), nl=False)
    else:
        click.echo("No entities match.", err=True)


@click.command("merge")
@click.argument("first")
@click.argument("second")
@_db_option
@_friendly_errors
def merge(first: str, second: str, db: str | None) -> None:
    """Make FIRST and SECOND (names or entity keys) one entity. The decision is stored and applied again after
    every ingest; a later split undoes it."""
    with _open(db) as store:
        merged = store.merge_entities(first, second)
    click.echo(f"Merged: {merged.name} ({merged.kind}; key {merged.key}), in {len(merged.articles)} article"
               f"{'s' if len(merged.articles) != 1 else ''}; also written {', '.join(merged.aliases) or '-'}.")


@click.command("split")
@click.argument("entity")
@click.option("--article", "articles", multiple=True, help="Move out the mentions in this article (repeatable).")
@click.option("--name", "names", multiple=True, help="Move out the mentions written so (repeatable).")
@_db_option
@_friendly_errors
def split(entity: str, articles: tuple[str, ...], names: tuple[str, ...], db: str | None) -> None:
    """Split ENTITY: its mentions in --article or written as --name become an entity of their own, kept apart
    after every ingest; a later merge undoes it."""
    with _open(db) as store:
        kept, moved = store.split_entity(entity, articles=list(articles), names=list(names))
    for label, part in (("Kept", kept), ("Split off", moved)):
        click.echo(f"{label}: {part.name} (key {part.key}), articles {', '.join(part.articles)}.")


COMMANDS = (donor, recipient, search, export, entities, merge, split)


def register(group: click.Group) -> None:
    """Add every command here to the `giftwatch` group."""
    for command in COMMANDS:
        group.add_command(command)


if __name__ == "__main__":  # pragma: no cover - for trying the commands before they are registered
    cli = click.Group(commands={c.name: c for c in COMMANDS})
    sys.exit(cli())
