"""The SQLite store: one database file in WAL mode, with foreign keys on, so readers never block the writer."""
from __future__ import annotations

import sqlite3
from typing import Any

from giftwatch.errors import StoreError
from giftwatch.store.base import SqlStore
from giftwatch.store.dialect import SQLITE
from giftwatch.store.migrations import SCHEMA_VERSION, check_version, foreign_tables, upgrade

__all__ = ["SCHEMA_VERSION", "SqliteStore", "connect"]


def connect(path: str) -> sqlite3.Connection:
    """Open (creating if new, migrating if old) a giftwatch database, refusing files that are not one or are too
    new for us."""
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open database {path}: {exc}. Check the path and its permissions.") from exc
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # the first read of the file: fails here if it is not SQLite
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        _prepare_schema(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise StoreError(
                f"{path} is not a SQLite database ({exc}). Point the store at a new file name or an existing "
                "giftwatch database (the --db option or $GIFTWATCH_DB).") from exc
        if "malformed" in str(exc):
            raise StoreError(f"{path} is a damaged SQLite database ({exc}). Restore it from a backup, or store "
                             "the articles again in a new file.") from exc
        raise StoreError(f"Cannot open database {path}: {exc}. {advice(exc)}".rstrip()) from exc
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    conn.create_function("casefold", 1, _casefold, deterministic=True)
    return conn


def _version(conn: sqlite3.Connection, path: str) -> int | None:
    """The schema version of the file; None for a new, empty file."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        if tables - {"sqlite_sequence"}:
            foreign_tables(tables, path)
        return None
    return check_version(conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0], path)


def _prepare_schema(conn: sqlite3.Connection, path: str) -> None:
    """Create the schema in a new file, migrate an older one; each under the write lock, all or nothing."""
    if _version(conn, path) == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = _version(conn, path)  # another process may have done it meanwhile
        if version != SCHEMA_VERSION:
            upgrade("sqlite", version, conn.execute)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _casefold(value: Any) -> Any:
    """SQL function: Unicode case folding (SQLite's own lower() and LIKE fold ASCII only)."""
    return value.casefold() if isinstance(value, str) else value


def advice(exc: Exception) -> str:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return "Another process is writing to the database; try again when it has finished."
    if "readonly" in message or "read-only" in message:
        return "The database file or its directory is read-only; check their permissions."
    if "disk" in message or "full" in message:
        return "Check that the disk has free space and is working."
    return ""


class SqliteStore(SqlStore):
    """Articles with their gifts and quotes in one SQLite file. Use as a context manager, or call close()."""

    dialect = SQLITE
    _driver_errors = (sqlite3.Error,)

    def __init__(self, path: str):
        self.path = path
        self._connection: sqlite3.Connection | None = connect(path)

    def _begin_write(self) -> None:
        self._execute("BEGIN IMMEDIATE")

    def _in_transaction(self) -> bool:
        return self._conn.in_transaction

    def _advice(self, exc: Exception) -> str:
        return advice(exc)
