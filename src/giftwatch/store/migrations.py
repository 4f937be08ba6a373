"""The versioned schema. Version 1 is the first giftwatch schema (schema.sql for SQLite, schema_postgresql.sql
for PostgreSQL); each later version N is the script migration_N.<backend>.sql. A new database is created at
version 1 and migrated, so a new database and an upgraded old one go through the very same statements.

To change the schema: add migration_<N+1>.sqlite.sql and migration_<N+1>.postgresql.sql (ending with
`UPDATE schema_version SET version = N+1;`) and raise SCHEMA_VERSION. Never edit a released script.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import resources

from giftwatch.errors import StoreError
from giftwatch.store.dialect import split_script

SCHEMA_VERSION = 2
_FIRST = {"sqlite": "schema.sql", "postgresql": "schema_postgresql.sql"}


def script(backend: str, version: int) -> list[str]:
    """The statements that create version 1, or migrate version-1 to `version`."""
    name = _FIRST[backend] if version == 1 else f"migration_{version}.{backend}.sql"
    return split_script(resources.files("giftwatch.store").joinpath(name).read_text(encoding="utf-8"))


def check_version(version: int | None, label: str) -> int:
    if version is None or version > SCHEMA_VERSION or version < 1:
        raise StoreError(
            f"{label} has giftwatch schema version {version}, but this giftwatch understands versions 1 to "
            f"{SCHEMA_VERSION} only. Upgrade giftwatch to read it, or use another database.")
    return version


def foreign_tables(tables: set[str], label: str) -> None:
    raise StoreError(f"{label} is a database but not a giftwatch one (it has tables {', '.join(sorted(tables))}). "
                     "Choose another database for the giftwatch store.")


def upgrade(backend: str, version: int | None, run: Callable[[str], None]) -> None:
    """Bring a database at `version` (None: empty) to SCHEMA_VERSION by running each script's statements.
    The caller holds the write lock and commits."""
    if version is None:
        for statement in script(backend, 1):
            run(statement)
        version = 1
    for step in range(version + 1, SCHEMA_VERSION + 1):
        for statement in script(backend, step):
            run(statement)
