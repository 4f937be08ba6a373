"""The giftwatch store: extracted articles, their gifts and quotes, kept in a database and queried with plain
filter arguments so the CLI and a later web layer share the same queries.

    with open_store("giftwatch.db") as store:
        store.add_articles(articles)
        store.gifts(donor="clooney", since="2018", min_amount=100_000)
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from giftwatch.errors import StoreError
from giftwatch.records import Article
from giftwatch.store.sqlite import SCHEMA_VERSION, SqliteStore

DEFAULT_DB = "giftwatch.db"
DB_ENV = "GIFTWATCH_DB"


@runtime_checkable
class Store(Protocol):
    """What every store backend offers (SQLite now; PostgreSQL later). Close it, or use it in a `with` block.

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


def open_store(db: str | Path | None = None) -> Store:
    """Open the store at `db`: a file path (created with the schema if new). None means $GIFTWATCH_DB, else
    ./giftwatch.db. Raises StoreError, saying what to do, for paths that cannot hold a giftwatch database."""
    if db is None:
        db = os.environ.get(DB_ENV) or DEFAULT_DB
    text = str(db)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError("PostgreSQL is not supported yet; give the store a file path for a SQLite database "
                         "instead (for example giftwatch.db).")
    if text == ":memory:":
        return SqliteStore(text)
    path = Path(text).expanduser()
    if not path.parent.is_dir():
        raise StoreError(f"Cannot create database {path}: the directory {path.parent} does not exist. "
                         "Create it first or choose another database path.")
    if path.is_dir():
        raise StoreError(f"{path} is a directory; give the database a file name, such as {path / DEFAULT_DB}.")
    return SqliteStore(str(path))


__all__ = ["DB_ENV", "DEFAULT_DB", "SCHEMA_VERSION", "SqliteStore", "Store", "open_store"]
