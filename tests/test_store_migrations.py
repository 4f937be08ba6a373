"""Schema versions: a database made by the first giftwatch (schema version 1, written here exactly as that version
wrote it) is migrated in place, keeping its rows and ids, on both backends."""
from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from importlib import resources

import pytest
from test_store_support import db_url, pg_schema_url  # noqa: F401  (fixtures)

from giftwatch.records import Article, Gift, Quote
from giftwatch.store import SCHEMA_VERSION, open_store
from giftwatch.store.dialect import split_script

OLD_ARTICLE = Article(
    id="herald-2023-0412", source="Lakeside Herald", url="https://example.org/herald/delgado-pledge",
    published="2023-05-20", title="Couple pledge $2.5 million to children's hospital",
    text=("Maria and Tom Delgado have pledged $2.5 million to St. Brigid's Children's Hospital, the hospital said on "
          "Monday. “This hospital saved our daughter's life,” Maria Delgado said."),
    gifts=[Gift(donors=["Maria Delgado", "Tom Delgado"], recipient="St. Brigid's Children's Hospital",
                recipient_aliases=["St. Brigid's"], amount=2_500_000, currency="USD", amount_text="$2.5 million",
                kind="pledge", date="2023-05-15", evidence="Maria and Tom Delgado have pledged $2.5 million")],
    quotes=[Quote(text="This hospital saved our daughter's life,", speakers=["Maria Delgado"], cue="said")])


def write_as_version_1(execute, mark: str) -> None:
    """The rows giftwatch 0.1 (schema version 1) wrote for OLD_ARTICLE, ids chosen as it would have."""
    def sql(text: str) -> str:
        return text.replace("?", mark)

    record = json.dumps(OLD_ARTICLE.to_dict(), sort_keys=True, ensure_ascii=False)
    a = OLD_ARTICLE
    execute(sql("INSERT INTO articles (id, source, url, published, title, text, text_sha256, record_sha256,"
                " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            (a.id, a.source, a.url, a.published, a.title, a.text, hashlib.sha256(a.text.encode()).hexdigest(),
             hashlib.sha256(record.encode()).hexdigest(), "2023-05-20T10:00:00+00:00"))
    g = a.gifts[0]
    execute(sql("INSERT INTO gifts (id, article_id, position, recipient, recipient_aliases, donor_aliases, amount,"
                " currency, amount_text, kind, date, in_name_of, evidence) VALUES (7, ?, 0, ?, ?, '[]', ?, ?, ?, ?, ?,"
                " '[]', ?)"),
            (a.id, g.recipient, json.dumps(g.recipient_aliases), g.amount, g.currency, g.amount_text, g.kind, g.date,
             g.evidence))
    for n, name in enumerate(g.donors):
        execute(sql("INSERT INTO gift_donors (gift_id, position, name) VALUES (7, ?, ?)"), (n, name))
    q = a.quotes[0]
    execute(sql("INSERT INTO quotes (id, article_id, position, text, cue) VALUES (3, ?, 0, ?, ?)"),
            (a.id, q.text, q.cue))
    execute(sql("INSERT INTO quote_speakers (quote_id, position, name) VALUES (3, 0, ?)"), (q.speakers[0],))


def make_version_1(db_url: str) -> None:
    if db_url.startswith("postgresql://"):
        import psycopg

        script = resources.files("giftwatch.store").joinpath("schema_postgresql.sql").read_text()
        with psycopg.connect(db_url, autocommit=True) as conn:
            for statement in split_script(script):
                conn.execute(statement)
            write_as_version_1(conn.execute, "%s")
    else:
        conn = sqlite3.connect(db_url)
        conn.executescript(resources.files("giftwatch.store").joinpath("schema.sql").read_text())
        write_as_version_1(conn.execute, "?")
        conn.commit()
        conn.close()


def test_a_version_1_database_is_migrated_not_rebuilt(db_url: str) -> None:
    make_version_1(db_url)
    with open_store(db_url) as store:
        assert store._rows("SELECT MAX(version) AS v FROM schema_version")[0]["v"] == SCHEMA_VERSION == 2
        assert store.counts() == {"articles": 1, "gifts": 1, "quotes": 1}
        assert store.get_article(OLD_ARTICLE.id).to_dict() == OLD_ARTICLE.to_dict()
        assert [g["gift_id"] for g in store.gifts()] == [7]  # ids kept
        assert store.add_article(OLD_ARTICLE) == "unchanged"  # old rows are read as this version writes them
        profile = store.donor_profile("Maria Delgado")
        assert profile["totals"] == {"USD": 2_500_000}
        assert [s["gift_id"] for s in profile["gifts"][0]["sources"]] == [7]
        assert store.search("daughter")[0]["id"] == 3


def test_opening_a_current_database_again_changes_nothing(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_article(OLD_ARTICLE)
        store.refresh()
    with open_store(db_url) as store:
        assert store._rows("SELECT version FROM schema_version") == [{"version": SCHEMA_VERSION}]
        assert store.refresh() is False
        assert store.counts() == {"articles": 1, "gifts": 1, "quotes": 1}


def test_two_processes_opening_a_new_database_at_once_both_succeed(db_url: str) -> None:
    failures: list[BaseException] = []

    def open_and_count() -> None:
        try:
            with open_store(db_url) as store:
                store.counts()
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=open_and_count) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with open_store(db_url) as store:
        assert store._rows("SELECT COUNT(*) AS n FROM schema_version")[0]["n"] == 1


@pytest.mark.parametrize("version", [1, 2])
def test_each_schema_version_has_a_script_for_both_backends(version: int) -> None:
    from giftwatch.store.migrations import script

    for backend in ("sqlite", "postgresql"):
        statements = script(backend, version)
        assert statements and any("schema_version" in s for s in statements)
