"""PostgreSQL-only behaviour: connecting (and saying what to do when it fails, without printing passwords),
refusing schemas that are not giftwatch's, and concurrent writers. The shared behaviour of both backends is
tested in test_store*.py, test_profiles.py and test_export.py."""
from __future__ import annotations

import threading
from urllib.parse import urlsplit, urlunsplit

import pytest
from test_store_support import PG_SKIP, pg_admin_url, pg_schema_url, with_schema  # noqa: F401  (fixture)

from giftwatch.errors import StoreError
from giftwatch.records import Article, Gift
from giftwatch.store import open_store

ARTICLE = Article(id="wire-1", text="The Ridley Trust gave $5,000 to the Lantern Shelter.", published="2025-01-02",
                  gifts=[Gift(donors=["Ridley Trust"], recipient="Lantern Shelter", amount=5000, currency="USD",
                              evidence="The Ridley Trust gave $5,000 to the Lantern Shelter.")])


def test_an_unreachable_server_is_reported_without_the_password() -> None:
    with pytest.raises(StoreError) as error:
        open_store("postgresql://team:s3cret-pw@127.0.0.1:1/giftwatch")
    message = str(error.value)
    assert message.startswith("Cannot connect to PostgreSQL at postgresql://team:***@127.0.0.1:1/giftwatch")
    assert "server is running" in message and "s3cret-pw" not in message


@pytest.fixture
def server_url() -> str:
    url = pg_admin_url()
    if not url:
        pytest.skip(PG_SKIP)
    return url


def test_a_wrong_password_says_to_check_it(server_url: str) -> None:
    parts = urlsplit(server_url)
    user = parts.username or "giftwatch"
    wrong = urlunsplit(parts._replace(netloc=f"{user}:not-the-password@{parts.hostname}:{parts.port or 5432}"))
    with pytest.raises(StoreError, match="Check the user name and password") as error:
        open_store(wrong)
    assert "not-the-password" not in str(error.value)


def test_store_path_hides_the_password(pg_schema_url: str) -> None:
    with open_store(pg_schema_url) as store:
        assert store.path.startswith(f"postgresql://{urlsplit(pg_schema_url).username}:***@")
        assert store.add_article(ARTICLE) == "added"


def test_the_database_url_can_come_from_the_environment(pg_schema_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIFTWATCH_DB", pg_schema_url)
    with open_store() as store:
        store.add_article(ARTICLE)
        assert type(store).__name__ == "PostgresStore" and store.counts()["gifts"] == 1


def test_a_schema_holding_other_tables_is_refused(pg_schema_url: str) -> None:
    import psycopg

    with psycopg.connect(pg_schema_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match="not a giftwatch one.*recipes"):
        open_store(pg_schema_url)


def test_a_missing_schema_in_the_search_path_is_explained(server_url: str) -> None:
    with pytest.raises(StoreError, match="search_path names no schema"):
        open_store(with_schema(server_url, "gw_no_such_schema"))


def test_concurrent_writers_of_one_article_store_it_once(pg_schema_url: str) -> None:
    open_store(pg_schema_url).close()
    outcomes: list[str] = []
    failures: list[BaseException] = []

    def ingest() -> None:
        try:
            with open_store(pg_schema_url) as store:
                outcomes.append(store.add_article(ARTICLE))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=ingest) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and sorted(outcomes) == ["added", "unchanged", "unchanged", "unchanged"]
    with open_store(pg_schema_url) as store:
        assert store.counts() == {"articles": 1, "gifts": 1, "quotes": 0}
