"""Shared fixtures for the store tests (no tests of its own): a database on each backend, and the outlet
fixture articles extracted once by the real pipeline.

PostgreSQL cases run against the server named by $GIFTWATCH_TEST_PG (CI starts one with .ci/start-postgres and
sources .ci/postgres.env); each test gets a schema of its own, dropped afterwards. Without the variable they skip.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from giftwatch.records import Article

OUTLETS = Path(__file__).resolve().parent / "data" / "outlets"
PG_ENV = "GIFTWATCH_TEST_PG"
PG_SKIP = (f"${PG_ENV} is not set, so there is no PostgreSQL server to test against "
           "(run .ci/start-postgres, then: set -a; . .ci/postgres.env; set +a)")


def pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def with_schema(url: str, schema: str) -> str:
    """The URL with search_path set to `schema`, so everything giftwatch creates lands there."""
    option = quote(f"-csearch_path={schema}", safe="")
    return f"{url}{'&' if '?' in url else '?'}options={option}"


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    """A postgresql:// URL whose tables live in a fresh schema, dropped after the test."""
    url = pg_admin_url()
    if not url:
        pytest.skip(PG_SKIP)
    import psycopg

    schema = f"gw_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield with_schema(url, schema)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database on each backend: a SQLite file, or a PostgreSQL schema."""
    if request.param == "sqlite":
        return str(tmp_path / "giftwatch.db")
    return request.getfixturevalue("pg_schema_url")


def _extract(name: str) -> list[Article]:
    from giftwatch.pipeline import extract_articles
    from giftwatch.readers import iter_articles

    return list(extract_articles(iter_articles([str(OUTLETS / name)])))


@pytest.fixture(scope="session")
def outlet_articles() -> dict[str, list[Article]]:
    """Each fixture file of tests/data/outlets, extracted by the real spaCy pipeline (once per session)."""
    return {path.stem: _extract(path.name) for path in sorted(OUTLETS.glob("*.jsonl"))}
