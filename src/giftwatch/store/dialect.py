"""The few places where SQLite and PostgreSQL SQL differ, so every query is written once.

Queries are written in SQLite's spelling with named `:param` (or positional `?`) placeholders, `casefold(x)`
and `instr(a, b) > 0`; the PostgreSQL dialect rewrites those to `%(param)s`, `lower(x)` and `strpos(a, b) > 0`.
String comparisons of ISO dates go through `compare()`, which pins PostgreSQL to byte order (collation "C") as
SQLite always is.
"""
from __future__ import annotations

import re
import sqlite3
from functools import lru_cache

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


class Dialect:
    name = "sqlite"
    collate_c = ""

    def sql(self, text: str) -> str:
        return text

    def json_values(self, column: str) -> str:
        """A FROM item listing the strings of a JSON array column as j.value."""
        return f"json_each({column}) AS j"

    def compare(self, expr: str) -> str:
        """`expr` compared byte by byte (ISO dates and the '~' end marker sort as in SQLite)."""
        return f"({expr}){self.collate_c}"

    def limit(self, limit: int | None) -> str:
        return "" if limit is None else f"LIMIT {int(limit)}"


class PostgresDialect(Dialect):
    name = "postgresql"
    collate_c = ' COLLATE "C"'

    def sql(self, text: str) -> str:
        return _postgres_sql(text)

    def json_values(self, column: str) -> str:
        return (f"json_array_elements_text(CASE WHEN left({column}, 1) = '[' THEN {column}::json "
                f"ELSE '[]'::json END) AS j(value)")


@lru_cache(maxsize=512)
def _postgres_sql(text: str) -> str:
    text = text.replace("%", "%%")
    text = _NAMED.sub(r"%(\1)s", text)
    text = text.replace("?", "%s")
    text = re.sub(r"\bcasefold\(", "lower(", text)
    return re.sub(r"\binstr\(", "strpos(", text)


SQLITE = Dialect()
POSTGRESQL = PostgresDialect()


def split_script(script: str) -> list[str]:
    """The statements of an SQL script (comments kept with their statement), for running one at a time."""
    statements, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip() and not all(l.strip().startswith("--") or not l.strip() for l in current.splitlines()):
                statements.append(current.strip())
            current = ""
    if current.strip() and not all(l.strip().startswith("--") or not l.strip() for l in current.splitlines()):
        statements.append(current.strip())
    return statements
