"""The store on both backends (SQLite, and PostgreSQL when $GIFTWATCH_TEST_PG names a server): what is written,
what re-ingesting does, and what each query returns. SQLite-only behaviours (WAL, files) are marked as such."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_store_support import db_url, pg_schema_url  # noqa: F401  (fixtures)

from giftwatch.errors import StoreError
from giftwatch.records import Article, Gift, Quote
from giftwatch.store import SCHEMA_VERSION, open_store

HOSPITAL_TEXT = (
    "Maria and Tom Delgado have pledged $2.5 million to St. Brigid's Children's Hospital, the hospital said "
    "on Monday. The gift, made in memory of their daughter Rosa, will fund a new neonatal unit.\n\n"
    "“This hospital saved our daughter's life more than once,” Maria Delgado said. "
    "Chief executive Dr. Alan Okafor said: “We will put every dollar to work for the families we serve.”")
FOOD_BANK_TEXT = (
    "The Harlow Family Foundation has awarded a £2 million grant to Northside Food Bank to open two new "
    "warehouses. “Nobody in this city should go to bed hungry,” said Eleanor Harlow, who chairs the foundation.")
MUSEUM_TEXT = (
    "Collector Maria Delgado gave $100,000 to the Riverside Museum of Art on Tuesday to restore its east wing. "
    "The museum also confirmed a bequest from an anonymous donor, whose estate left it an undisclosed sum.")


def hospital_article(text: str = HOSPITAL_TEXT) -> Article:
    return Article(
        id="herald-2023-0412", source="Lakeside Herald", url="https://example.org/herald/delgado-pledge",
        published="2023-05-20", title="Couple pledge $2.5 million to children's hospital", text=text,
        gifts=[Gift(donors=["Maria Delgado", "Tom Delgado"], recipient="St. Brigid's Children's Hospital",
                    recipient_aliases=["St. Brigid's"], amount=2_500_000, currency="USD",
                    amount_text="$2.5 million", kind="pledge", date="2023-05-15", purpose="a new neonatal unit",
                    in_name_of=["Rosa Delgado"],
                    evidence="Maria and Tom Delgado have pledged $2.5 million to St. Brigid's Children's Hospital",
                    evidence_start=0, evidence_end=83)],
        quotes=[Quote(text="This hospital saved our daughter's life more than once,", speakers=["Maria Delgado"],
                      speaker_role="donor", cue="said", start=196, end=251),
                Quote(text="We will put every dollar to work for the families we serve.",
                      speakers=["Alan Okafor"], speaker_role="chief executive", cue="said")])


def food_bank_article() -> Article:
    return Article(
        id="gazette-2022-1103", source="City Gazette", published="2022-11-03",
        title="Foundation grant to open food bank warehouses", text=FOOD_BANK_TEXT,
        gifts=[Gift(donors=["Harlow Family Foundation"], donor_aliases=["Eleanor Harlow"],
                    recipient="Northside Food Bank", recipient_aliases=["NFB"], amount=2_000_000, currency="GBP",
                    amount_text="£2 million", kind="grant", date=None, purpose="to open two new warehouses",
                    evidence="The Harlow Family Foundation has awarded a £2 million grant to Northside Food Bank")],
        quotes=[Quote(text="Nobody in this city should go to bed hungry,", speakers=["Eleanor Harlow"],
                      speaker_role="chairs the foundation", cue="said")])


def museum_article() -> Article:
    return Article(
        id="post-2021-0914", source="Riverside Post", published="2021-09-15", title=None, text=MUSEUM_TEXT,
        gifts=[Gift(donors=["maria delgado"], recipient="Riverside Museum of Art", amount=100_000.0,
                    currency="USD", amount_text="$100,000", kind="donation", date="2021-09-14",
                    purpose="to restore its east wing",
                    evidence="Collector Maria Delgado gave $100,000 to the Riverside Museum of Art on Tuesday"),
               Gift(donors=["anonymous"], recipient="Riverside Museum of Art", kind="bequest",
                    evidence="The museum also confirmed a bequest from an anonymous donor")])


ARTICLES = (hospital_article, food_bank_article, museum_article)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A SQLite file (for the SQLite-only tests)."""
    return tmp_path / "giftwatch.db"


@pytest.fixture
def store(db_url: str):
    with open_store(db_url) as opened:
        opened.add_articles(make() for make in ARTICLES)
        yield opened


def test_adding_articles_counts_them(db_url: str) -> None:
    with open_store(db_url) as store:
        assert store.add_article(hospital_article()) == "added"
        assert store.add_articles([food_bank_article(), museum_article()]) == {
            "added": 2, "unchanged": 0, "updated": 0}
        assert store.counts() == {"articles": 3, "gifts": 4, "quotes": 3}


def test_re_adding_the_same_article_writes_nothing(store) -> None:
    stored_at = store._rows("SELECT id, ingested_at FROM articles ORDER BY id")
    assert store.add_article(hospital_article()) == "unchanged"
    assert store.add_articles(make() for make in ARTICLES) == {"added": 0, "unchanged": 3, "updated": 0}
    assert store._rows("SELECT id, ingested_at FROM articles ORDER BY id") == stored_at
    assert store.counts() == {"articles": 3, "gifts": 4, "quotes": 3}


def test_re_adding_the_same_article_does_not_touch_the_sqlite_file(db: Path) -> None:
    with open_store(db) as store:
        store.add_articles(make() for make in ARTICLES)
        store.refresh()
        watcher = sqlite3.connect(db)  # data_version changes when another connection commits a write
        before = watcher.execute("PRAGMA data_version").fetchone()[0]
        assert store.add_article(hospital_article()) == "unchanged"
        assert store.add_articles(make() for make in ARTICLES) == {"added": 0, "unchanged": 3, "updated": 0}
        store.entities()  # reading entities does not rebuild when nothing changed
        assert watcher.execute("PRAGMA data_version").fetchone()[0] == before
        watcher.close()


def test_changed_text_replaces_the_article_without_duplicates(store) -> None:
    changed = hospital_article(HOSPITAL_TEXT.replace("on Monday", "on Tuesday"))
    assert store.add_article(changed) == "updated"
    assert store.counts() == {"articles": 3, "gifts": 4, "quotes": 3}
    assert store.get_article(changed.id).text == changed.text
    assert len(store.gifts(recipient="St. Brigid")) == 1


def test_changed_records_with_same_text_are_an_update(store) -> None:
    article = hospital_article()
    article.gifts[0].amount = 3_000_000
    article.quotes.pop()
    assert store.add_article(article) == "updated"
    assert [g["amount"] for g in store.gifts(recipient="brigid")] == [3_000_000]
    assert store.counts() == {"articles": 3, "gifts": 4, "quotes": 2}


def test_a_bad_article_is_not_half_stored(store) -> None:
    bad = hospital_article(HOSPITAL_TEXT + " More to follow.")
    bad.gifts.append(Gift(donors=["Someone"], recipient="Somewhere", amount="lots"))  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="amount must be a number"):
        store.add_article(bad)
    assert store.get_article(bad.id).to_dict() == hospital_article().to_dict()
    assert store.counts() == {"articles": 3, "gifts": 4, "quotes": 3}


def test_articles_before_a_failing_input_stay_stored(db_url: str) -> None:
    def articles_then_failure():
        yield hospital_article()
        yield food_bank_article()
        raise ValueError("input line 3 is not JSON")

    with open_store(db_url) as store:
        with pytest.raises(ValueError, match="line 3"):
            store.add_articles(articles_then_failure())
        assert store.counts() == {"articles": 2, "gifts": 2, "quotes": 3}


def test_gifts_are_newest_first_with_full_rows(store) -> None:
    rows = store.gifts()
    assert [(r["article_id"], r["amount"]) for r in rows] == [
        ("herald-2023-0412", 2_500_000), ("gazette-2022-1103", 2_000_000),
        ("post-2021-0914", None), ("post-2021-0914", 100_000)]  # the undated bequest files under 2021-09-15
    pledge = rows[0]
    assert pledge["donors"] == ["Maria Delgado", "Tom Delgado"]
    assert pledge["recipient_aliases"] == ["St. Brigid's"]
    assert pledge["in_name_of"] == ["Rosa Delgado"]
    assert pledge["title"] == "Couple pledge $2.5 million to children's hospital"
    assert pledge["published"] == "2023-05-20" and pledge["source"] == "Lakeside Herald"
    assert set(pledge) >= {"gift_id", "donor_aliases", "amount_max", "currency", "amount_text", "kind", "date",
                           "purpose", "evidence"}


def test_donor_filter_is_a_case_insensitive_substring_of_donors_and_aliases(store) -> None:
    assert {r["article_id"] for r in store.gifts(donor="DELGADO")} == {"herald-2023-0412", "post-2021-0914"}
    assert [r["amount"] for r in store.gifts(donor="tom del")] == [2_500_000]
    # Eleanor Harlow is an alias of the foundation's grant, not a donor row
    assert [r["recipient"] for r in store.gifts(donor="eleanor")] == ["Northside Food Bank"]
    assert store.gifts(donor="Clooney") == []


def test_recipient_filter_matches_name_or_alias(store) -> None:
    assert [r["amount"] for r in store.gifts(recipient="nfb")] == [2_000_000]
    assert len(store.gifts(recipient="riverside museum")) == 2


def test_date_filters_use_gift_date_then_published(store) -> None:
    assert [r["article_id"] for r in store.gifts(since="2023")] == ["herald-2023-0412"]
    # the grant has no date of its own: its article was published 2022-11-03
    assert [r["article_id"] for r in store.gifts(since="2022-11-01", until="2022-11")] == ["gazette-2022-1103"]
    assert [r["kind"] for r in store.gifts(until="2021-12-31")] == ["bequest", "donation"]
    assert [r["kind"] for r in store.gifts(until="2021-09-14")] == ["donation"]
    assert store.gifts(since="2023-05-16") == []  # the pledge was made 2023-05-15, reported 2023-05-20
    with pytest.raises(StoreError, match="ISO date"):
        store.gifts(since="last week")


def test_min_amount_kind_and_limit(store) -> None:
    assert [r["currency"] for r in store.gifts(min_amount=1_000_000)] == ["USD", "GBP"]
    assert [r["donors"] for r in store.gifts(kind="Bequest")] == [["anonymous"]]
    assert [r["kind"] for r in store.gifts(limit=2)] == ["pledge", "grant"]


def test_quotes_filter_by_speaker_text_and_date(store) -> None:
    assert [q["text"] for q in store.quotes(speaker="okafor")] == [
        "We will put every dollar to work for the families we serve."]
    assert [q["speakers"] for q in store.quotes(text="HUNGRY")] == [["Eleanor Harlow"]]
    assert [q["article_id"] for q in store.quotes(since="2023-01-01")] == ["herald-2023-0412"] * 2
    first = store.quotes(limit=1)[0]
    assert first["speaker_role"] == "donor" and first["cue"] == "said"
    assert (first["start"], first["end"]) == (196, 251)
    assert first["title"] == "Couple pledge $2.5 million to children's hospital"


def test_donors_aggregate_per_name_case_insensitively(store) -> None:
    rows = store.donors()
    assert [r["donor"] for r in rows[:2]] == ["Maria Delgado", "Tom Delgado"]
    maria = rows[0]
    assert maria["gifts"] == 2
    assert maria["totals"] == {"USD": 2_600_000} and maria["total_usd"] == 2_600_000
    assert maria["recipients"] == ["Riverside Museum of Art", "St. Brigid's Children's Hospital"]
    assert (maria["first_date"], maria["last_date"]) == ("2021-09-14", "2023-05-15")
    harlow = next(r for r in rows if r["donor"] == "Harlow Family Foundation")
    assert harlow["totals"] == {"GBP": 2_000_000} and harlow["total_usd"] is None
    anonymous = next(r for r in rows if r["donor"] == "anonymous")
    assert anonymous["gifts"] == 1 and anonymous["totals"] == {}


def test_donors_filters(store) -> None:
    assert [r["donor"] for r in store.donors(donor="maria")] == ["Maria Delgado"]
    assert [r["donor"] for r in store.donors(since="2022")] == ["Maria Delgado", "Tom Delgado",
                                                                 "Harlow Family Foundation"]
    assert [r["donor"] for r in store.donors(kind="grant")] == ["Harlow Family Foundation"]
    assert [r["donor"] for r in store.donors(min_amount=500_000, limit=1)] == ["Maria Delgado"]
    assert store.donors(min_amount=500_000)[0]["total_usd"] == 2_500_000


def test_get_article_round_trips_the_record(store) -> None:
    for make in ARTICLES:
        assert store.get_article(make().id).to_dict() == make().to_dict()
    assert store.get_article("no-such-article") is None


def test_database_persists_across_opens(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_article(food_bank_article())
    with open_store(db_url) as store:
        assert store.counts() == {"articles": 1, "gifts": 1, "quotes": 1}
        assert store.add_article(food_bank_article()) == "unchanged"


def test_default_path_comes_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIFTWATCH_DB", str(tmp_path / "from-env.db"))
    with open_store() as store:
        store.add_article(museum_article())
    assert (tmp_path / "from-env.db").exists()
    monkeypatch.delenv("GIFTWATCH_DB")
    monkeypatch.chdir(tmp_path)
    with open_store() as store:
        assert store.counts()["articles"] == 0
    assert (tmp_path / "giftwatch.db").exists()


def test_non_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("these are my meeting notes, not a database\n" * 20)
    with pytest.raises(StoreError, match="not a SQLite database") as error:
        open_store(notes)
    assert "new file name" in str(error.value)
    assert notes.read_text() == "these are my meeting notes, not a database\n" * 20


def test_unopenable_locations_explain_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "missing-dir" / "giftwatch.db")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StoreError, match="not a giftwatch one"):
        open_store(other)


def test_newer_schema_version_is_refused(db_url: str) -> None:
    with open_store(db_url) as store:
        store._execute("UPDATE schema_version SET version = 99")
    with pytest.raises(StoreError, match=f"schema version 99.*versions 1 to {SCHEMA_VERSION}.*Upgrade giftwatch"):
        open_store(db_url)


def test_store_uses_wal_and_enforces_foreign_keys(db: Path) -> None:
    open_store(db).close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]
    conn.close()
    with open_store(db) as store:
        store.add_article(hospital_article())
        store.add_article(hospital_article(HOSPITAL_TEXT + " Updated."))
    conn = sqlite3.connect(db)
    orphans = conn.execute("SELECT COUNT(*) FROM gift_donors WHERE gift_id NOT IN (SELECT id FROM gifts)")
    assert orphans.fetchone()[0] == 0
    conn.close()


def test_closed_store_says_so(db_url: str) -> None:
    store = open_store(db_url)
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.counts()


def test_stored_text_hashes_name_only_stored_articles(db_url: str) -> None:
    with open_store(db_url) as store:
        store.add_article(Article(id="kept", text="The Ridley Trust gave $5,000 to the Lantern Shelter."))
        hashes = store.stored_text_hashes(["kept", "never-seen"])
    assert list(hashes) == ["kept"] and len(hashes["kept"]) == 64
