"""The giftwatch store: extracted articles, their gifts and quotes, kept in a database (SQLite, or PostgreSQL for a
shared team database) and queried with plain filter arguments so the CLI and the web layer share the same queries.
On top of the stored records: entities merged across articles, deduplicated gifts, profiles, search and exports.

    with open_store("giftwatch.db") as store:          # or open_store("postgresql://user:pw@host/db")
        store.add_articles(articles)
        store.gifts(donor="clooney", since="2018", min_amount=100_000)
        store.donor_profile("George Clooney")
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from giftwatch.entities import Entity
from giftwatch.errors import StoreError
from giftwatch.records import Article
from giftwatch.store.migrations import SCHEMA_VERSION
from giftwatch.store.sqlite import SqliteStore

DEFAULT_DB = "giftwatch.db"
DB_ENV = "GIFTWATCH_DB"


@runtime_checkable
class Store(Protocol):
    """What every store backend offers (SQLite and PostgreSQL). Close it, or use it in a `with` block.

    Filters combine with AND; an omitted filter does not restrict. `donor`, `recipient`, `speaker` and `text` are
    case-insensitive substrings (donors also match the aliases a gift was given through, recipients their
    aliases). `since`/`until` are ISO dates of any precision ("2018", "2018-02", "2018-02-14"), inclusive, and a
    partial date counts as its whole span; a gift's date falls back to its article's published date, and a
    quote's date is its article's published date. Rows with no date are left out when either is given.
    `min_amount` compares the gift's stated (lower) amount in its own currency.
    """

    path: str

    def __enter__(self) -> "Store": ...

    def __exit__(self, *exc_info: object) -> None: ...

    def close(self) -> None: ...

    def add_article(self, article: Article) -> str:
        """Store one article atomically: "added"; "unchanged" (same record already stored, nothing written);
        or "updated" (same id, different content: its old rows are replaced)."""

    def add_articles(self, articles: Iterable[Article]) -> dict[str, int]:
        """Store many articles, committing in batches; returns counts {"added", "unchanged", "updated"}."""

    def counts(self) -> dict[str, int]:
        """{"articles": n, "gifts": n, "quotes": n}."""

    def gifts(self, *, donor: str | None = None, recipient: str | None = None, since: str | None = None,
              until: str | None = None, min_amount: float | None = None, kind: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
        """Gifts, newest first then largest. Keys: gift_id, article_id, donors, donor_aliases, recipient,
        recipient_aliases, amount, amount_max, currency, amount_text, kind, date, purpose, in_name_of, evidence,
        published, title, source."""

    def quotes(self, *, speaker: str | None = None, since: str | None = None, until: str | None = None,
               text: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes, newest article first. Keys: quote_id, article_id, text, speakers, speaker_role, cue, start,
        end, published, title, source."""

    def donors(self, *, donor: str | None = None, since: str | None = None, until: str | None = None,
               min_amount: float | None = None, kind: str | None = None,
               limit: int | None = None) -> list[dict[str, Any]]:
        """One row per donor name, biggest USD total first. Keys: donor, gifts (count), totals ({currency: sum}),
        total_usd (None without USD gifts), recipients, first_date, last_date."""

    def get_article(self, article_id: str) -> Article | None:
        """The stored FORMAT.md record, or None."""

    def stored_text_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """{id: sha256 of the stored text} for the ids already stored."""

    # Entity level (deduplicated): see store/features.py for the full docstrings.
    def refresh(self, force: bool = False) -> bool: ...

    def entities(self, *, name: str | None = None, kind: str | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]: ...

    def entity(self, ref: str) -> Entity: ...

    def gift_groups(self, *, entity: str | None = None, role: str = "donor") -> list[dict[str, Any]]: ...

    def donor_profile(self, name: str) -> dict[str, Any]: ...

    def recipient_profile(self, name: str) -> dict[str, Any]: ...

    def search(self, query: str, *, kind: str | None = None, limit: int | None = 20) -> list[dict[str, Any]]: ...

    def export(self, fmt: str, path: str | Path, *, table: str = "gifts") -> int: ...

    def merge_entities(self, first: str, second: str) -> Entity: ...

    def split_entity(self, ref: str, *, articles: list[str] = (), names: list[str] = ()) -> tuple[Entity, Entity]: ...

    def decisions(self) -> list[dict[str, Any]]: ...


def open_store(db: str | Path | None = None) -> Store:
    """Open the store at `db`: a SQLite file path (created with the schema if new) or a postgresql:// URL. None
    means $GIFTWATCH_DB, else ./giftwatch.db. An older giftwatch database is migrated to the current schema.
    Raises StoreError, saying what to do, for places that cannot hold a giftwatch database."""
    if db is None:
        db = os.environ.get(DB_ENV) or DEFAULT_DB
    text = str(db)
    if text.startswith(("postgresql://", "postgres://")):
        from giftwatch.store.postgres import PostgresStore

        return PostgresStore(text)
    if text == ":memory:":
        return SqliteStore(text)
    path = Path(text).expanduser()
    if not path.parent.is_dir():
        raise StoreError(f"Cannot create database {path}: the directory {path.parent} does not exist. "
                         "Create it first or choose another database path.")
    if path.is_dir():
        raise StoreError(f"{path} is a directory; give the database a file name, such as {path / DEFAULT_DB}.")
    return SqliteStore(str(path))


__all__ = ["DB_ENV", "DEFAULT_DB", "SCHEMA_VERSION", "Entity", "SqliteStore", "Store", "open_store"]
