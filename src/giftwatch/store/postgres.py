"""The PostgreSQL store: the same schema and behaviour as SQLite, for a database a team shares.

Writers take one advisory lock per transaction, so two ingests never interleave (as SQLite's BEGIN IMMEDIATE
ensures); readers are never blocked. Passwords in URLs are never printed.
"""
from __future__ import annotations

import re
from typing import Any

from giftwatch.errors import StoreError
from giftwatch.records import Article
from giftwatch.store.base import SqlStore
from giftwatch.store.checks import without_nul
from giftwatch.store.dialect import POSTGRESQL
from giftwatch.store.migrations import SCHEMA_VERSION, check_version, foreign_tables, upgrade

WRITE_LOCK = 7_471_203_117  # pg_advisory_xact_lock key: "giftwatch writes"


def redact(url: str) -> str:
    """The URL without its password: postgresql://team:***@db.example.org/giftwatch."""
    return re.sub(r"^(postgres(?:ql)?://[^:/@]+):[^@]*@", r"\1:***@", url)


def _driver() -> Any:
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - psycopg is a pinned dependency
        raise StoreError("PostgreSQL needs the psycopg package; install giftwatch's requirements "
                         "(pip install -r requirements.lock) and try again.") from exc
    return psycopg


def advice(exc: Exception) -> str:
    message = str(exc).casefold()
    if "password authentication" in message or "authentication failed" in message or "no password" in message:
        return "Check the user name and password in the database URL."
    if "does not exist" in message and "database" in message:
        return "Create the database first (createdb NAME) or correct its name in the URL."
    if "connection refused" in message or "could not connect" in message or "timeout" in message:
        return "Check that the PostgreSQL server is running and that the URL's host and port are right."
    if "permission denied" in message:
        return "The database user lacks a privilege giftwatch needs (create tables, write); ask its owner."
    return ""


class PostgresStore(SqlStore):
    """Articles with their gifts and quotes in a PostgreSQL database, given by a postgresql:// URL."""

    dialect = POSTGRESQL

    def __init__(self, url: str):
        psycopg = _driver()
        from psycopg.rows import dict_row

        self.path = redact(url)
        self._driver_errors = (psycopg.Error,)
        try:
            conn = psycopg.connect(url, autocommit=True, row_factory=dict_row, connect_timeout=15)
        except psycopg.Error as exc:
            raise StoreError(f"Cannot connect to PostgreSQL at {self.path}: {str(exc).strip()}. "
                             f"{advice(exc)}".rstrip()) from exc
        self._connection = conn
        try:
            with self._sql_errors("prepare the schema"):
                self._prepare_schema()
        except BaseException:
            self.close()
            raise

    def _execute(self, sql: str, params: Any = ()) -> Any:
        """PostgreSQL text cannot hold NUL: a search or filter with one looks for U+FFFD, as stored."""
        return super()._execute(sql, without_nul(params))

    def _executemany(self, sql: str, rows: list) -> None:
        super()._executemany(sql, without_nul(rows))

    def _storable(self, article: Article) -> Article:
        """NUL characters (JSON Lines may carry them as \\u0000) become U+FFFD: one odd article must not stop an
        ingest. Its hashes are of the article as given, so ingesting it again changes nothing."""
        return without_nul(article)

    def _begin_write(self) -> None:
        self._execute("BEGIN")
        self._execute(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    def _in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def _advice(self, exc: Exception) -> str:
        return advice(exc)

    def _version(self) -> int | None:
        schema = self._conn.execute("SELECT current_schema() AS name").fetchone()["name"]
        if schema is None:
            raise StoreError(f"{self.path}: the search_path names no schema that exists; create the schema or "
                             "correct the search_path option in the URL.")
        tables = {r["table_name"] for r in self._conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        if "schema_version" not in tables:
            if tables:
                foreign_tables(tables, self.path)
            return None
        return check_version(self._conn.execute("SELECT MAX(version) AS v FROM schema_version").fetchone()["v"],
                             self.path)

    def _prepare_schema(self) -> None:
        if self._version() == SCHEMA_VERSION:
            return
        self._begin_write()
        try:
            version = self._version()
            if version != SCHEMA_VERSION:
                upgrade("postgresql", version, self._conn.execute)
            self._execute("COMMIT")
        except BaseException:
            if self._in_transaction():
                self._execute("ROLLBACK")
            raise
