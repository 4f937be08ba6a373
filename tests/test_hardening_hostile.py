"""Hostile content: SQL fragments, LIKE wildcards, markup and NUL characters in names, titles, texts and search
queries are stored and matched as plain text by every query function, on SQLite and on PostgreSQL (when
$GIFTWATCH_TEST_PG names a server); the web layer answers hostile queries, paths and upload names without
running, leaking or crashing anything, and refuses writes without a valid token and bodies over the limit."""
from __future__ import annotations

import json
import sqlite3
import tempfile
from pathlib import Path

import pytest
from test_store_support import db_url, pg_schema_url  # noqa: F401  (fixtures)

from giftwatch.errors import StoreError
from giftwatch.records import Article, Gift, Quote
from giftwatch.store import open_store

HOSTILE = [
    "Robert'); DROP TABLE gifts;--",
    "x' OR '1'='1",
    "100% Trust_Fund",
    'Back\\slash "Quoted" Fund',
    "<script>alert(1)</script> Foundation",
    "'; DELETE FROM articles WHERE ''='",
    "Null\x00Byte Trust",
]
PROBES = HOSTILE + ["%", "_", "' OR 1=1 --", "\\", '"', "*", "NEAR(", "-", "OR", "../../etc/passwd"]


def hostile_articles() -> list[Article]:
    """Invented articles whose every field a user controls carries one of the HOSTILE strings."""
    articles = []
    for n, name in enumerate(HOSTILE):
        text = (f"The {name} has donated $1{n},000 to the Harbor {name} Shelter, the shelter said on Monday.\n\n"
                f"“We give because {name} matters,” said Ada {name}.")
        evidence = text.split("\n\n")[0]
        articles.append(Article(
            id=f"hostile-{n}" if n else name, source=f"{name} Gazette", published="2024-06-0" + str(n + 1),
            title=f"{name} gives ${n + 1},000", text=text, url=f"https://example.org/{n}?q={name}",
            gifts=[Gift(donors=[name], donor_aliases=[f"{name} Family"], recipient=f"Harbor {name} Shelter",
                        recipient_aliases=[name], amount=10_000 + 1_000 * n, currency="USD",
                        amount_text=f"$1{n},000", kind="donation", date="2024-06", purpose=f"for {name}",
                        evidence=evidence, evidence_start=0, evidence_end=len(evidence))],
            quotes=[Quote(text=f"We give because {name} matters,", speakers=[f"Ada {name}"], cue="said",
                          start=text.index("We give"), end=text.index(" matters,") + len(" matters,"))]))
    return articles


def _contains(names: list[str], probe: str) -> bool:
    return any(probe.casefold() in name.casefold() for name in names)


def _table_names(store) -> set[str]:
    if store.dialect.name == "postgresql":
        rows = store._rows("SELECT table_name AS name FROM information_schema.tables "
                           "WHERE table_schema = current_schema()")
    else:
        rows = store._rows("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {r["name"] for r in rows}


def test_hostile_strings_are_matched_as_text_by_every_query(db_url):
    articles = hostile_articles()
    with open_store(db_url) as store:
        assert store.add_articles(articles)["added"] == len(HOSTILE)
        before, tables = store.counts(), _table_names(store)
        for probe in PROBES:
            gifts = [g for a in articles for g in a.gifts]
            expected_donor = sum(_contains(g.donors + g.donor_aliases, probe) for g in gifts)
            assert len(store.gifts(donor=probe)) == expected_donor, probe
            expected_recipient = sum(_contains([g.recipient] + g.recipient_aliases, probe) for g in gifts)
            assert len(store.gifts(recipient=probe)) == expected_recipient, probe
            assert store.gifts(kind=probe) == []
            quotes = [q for a in articles for q in a.quotes]
            assert len(store.quotes(speaker=probe)) == sum(_contains(q.speakers, probe) for q in quotes), probe
            assert len(store.quotes(text=probe)) == sum(_contains([q.text], probe) for q in quotes), probe
            assert {d["donor"].replace("\ufffd", "\x00") for d in store.donors(donor=probe)} == \
                {d for g in gifts for d in g.donors if probe.casefold() in d.casefold()}, probe
            stored = store.get_article(probe)
            assert (stored is not None) == (probe == HOSTILE[0]), probe
            assert store.stored_text_hashes([probe]).keys() <= {HOSTILE[0]}
            with pytest.raises(StoreError):
                store.gifts(since=probe)
            if "OR" in probe and "1" in probe:   # an injected OR would return every entity
                assert len(store.entities(name=probe)) < len(store.entities()), probe
            else:
                store.entities(name=probe)
            for call in (store.search, store.donor_profile, store.recipient_profile, store.entity):
                try:
                    call(probe)
                except StoreError as error:   # "no such donor", "give words to search for": said, not crashed
                    assert "Traceback" not in str(error) and "syntax error" not in str(error).lower()
            with pytest.raises(StoreError):
                store.merge_entities(probe, "Nobody Of That Name")
        assert store.get_article(HOSTILE[0]).title == f"{HOSTILE[0]} gives $1,000"
        assert store.counts() == before and _table_names(store) == tables
        if store.dialect.name == "sqlite":
            assert store._rows("PRAGMA integrity_check")[0]["integrity_check"] == "ok"


def test_nul_characters_do_not_stop_an_ingest_and_storing_again_changes_nothing(db_url):
    """JSON Lines can carry \\u0000; PostgreSQL text cannot hold it: the article still goes in (as U+FFFD)."""
    articles = hostile_articles()
    with open_store(db_url) as store:
        assert store.add_articles(articles) == {"added": len(articles), "unchanged": 0, "updated": 0}
        assert store.add_articles(hostile_articles()) == {"added": 0, "unchanged": len(articles), "updated": 0}
        nul = next(a for a in articles if "\x00" in a.title)
        stored = store.get_article(nul.id)
        assert stored.text.replace("\ufffd", "\x00") == nul.text and len(stored.text) == len(nul.text)
        assert len(store.gifts(donor="Null\x00Byte")) == 1


# ---- the web layer (SQLite) -------------------------------------------------------------------------------

fastapi = pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from giftwatch.web import create_app  # noqa: E402
from giftwatch.web.queries import WebQueries  # noqa: E402
from giftwatch.web.tables import create_token, revoke_token  # noqa: E402

READ_PATHS = ["/api/gifts?donor={q}", "/api/gifts?recipient={q}", "/api/quotes?speaker={q}&text={q}",
              "/api/donors?q={q}", "/api/recipients?q={q}", "/api/search?q={q}", "/api/donors/{q}",
              "/api/recipients/{q}", "/api/articles/{q}", "/search?q={q}", "/gifts?donor={q}", "/donors?q={q}",
              "/donors/{q}", "/recipients/{q}", "/quotes?speaker={q}", "/articles/{q}", "/gifts.csv?donor={q}",
              "/api/gifts.csv?donor={q}"]


@pytest.fixture()
def hostile_db(tmp_path) -> tuple[Path, str]:
    path = tmp_path / "hostile.db"
    with open_store(path) as store:
        store.add_articles(hostile_articles())
    with WebQueries(str(path)) as q:
        return path, create_token(q.conn, "tests")[1]


def test_hostile_queries_and_paths_through_every_page_and_endpoint(hostile_db):
    from urllib.parse import quote

    path, _ = hostile_db
    client = TestClient(create_app(str(path)), base_url="http://127.0.0.1:8000")
    before = sqlite3.connect(path).execute("SELECT COUNT(*) FROM gifts").fetchone()[0]
    for probe in PROBES:
        for template in READ_PATHS:
            url = template.format(q=quote(probe, safe=""))
            accept = "application/json" if url.startswith("/api") else "text/html"
            response = client.get(url, headers={"accept": accept})
            assert response.status_code in (200, 404, 422), (url, response.status_code, response.text[:300])
            if response.headers["content-type"].startswith("text/html"):   # JSON and CSV carry data as is
                assert "<script>alert(1)" not in response.text, url   # shown as text, never as markup
        donors = client.get("/api/gifts", params={"donor": probe, "per_page": 200}).json()
        assert donors["total"] == sum(_contains(g.donors + g.donor_aliases, probe)
                                      for a in hostile_articles() for g in a.gifts), probe
    for escape in ("/api/articles/..%2F..%2Fetc%2Fpasswd", "/static/..%2F..%2F..%2Fpyproject.toml",
                   "/static/../../pyproject.toml", "/articles/%2E%2E/%2E%2E/etc/passwd"):
        response = client.get(escape)
        assert response.status_code in (400, 404), escape
        assert "root:" not in response.text and "[project]" not in response.text, escape
    assert sqlite3.connect(path).execute("SELECT COUNT(*) FROM gifts").fetchone()[0] == before


def test_hostile_upload_names_stay_in_giftwatch_own_folder(hostile_db, tmp_path, monkeypatch):
    path, token = hostile_db
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(uploads))   # where the server puts uploads while reading them
    client = TestClient(create_app(str(path)), base_url="http://127.0.0.1:8000", headers={"accept": "text/html"})
    assert client.post("/login", data={"token": token, "next": "/add"}, follow_redirects=False).status_code == 303
    story = "The Marrow Street Bakery gave $8,000 to the Fenwick Youth Orchestra on Tuesday.".encode()
    for name in ("..", ".", "../../evil.txt", "/etc/passwd", "..\\..\\evil.txt", "ok.txt/..", "x" * 400 + ".txt",
                 "ctrl\x01\x1b[31m.txt", "<img src=x onerror=alert(1)>.txt", "ünïcødé-" * 40 + ".jsonl"):
        data = story if not name.endswith(".jsonl") else json.dumps({"text": story.decode()}).encode()
        response = client.post("/add", files=[("files", (name, data, "text/plain"))])
        assert response.status_code == 200, (name, response.text[:300])
        assert "Fenwick Youth Orchestra" in response.text, name
        assert "<img src=x" not in response.text
    assert not list(uploads.iterdir()), "an upload was left behind"
    assert not list(tmp_path.rglob("evil.txt")) and not list(Path("/").glob("evil.txt"))


def test_writes_need_a_live_token_and_bodies_over_the_limit_are_refused(hostile_db):
    path, token = hostile_db
    client = TestClient(create_app(str(path), max_body_bytes=4096), base_url="http://127.0.0.1:8000")
    writes = [("post", "/api/articles", {"json": {"articles": [{"text": "The Rook Trust gave $5,000 to Avon."}]}}),
              ("patch", "/api/articles/hostile-1/gifts/0", {"json": {"amount": 1}}),
              ("patch", "/api/articles/hostile-1/quotes/0", {"json": {"speakers": ["Someone Else"]}}),
              ("post", "/api/merges", {"json": {"name": "Ada x", "into": "Ada y"}}),
              ("delete", "/api/merges/Ada%20x", {}), ("delete", "/api/corrections/1", {})]
    with WebQueries(str(path)) as q:
        revoked_id, revoked = create_token(q.conn, "old")
        revoke_token(q.conn, revoked_id)
    for header in (None, "Bearer gw_guessed", f"Bearer {revoked}", "Basic dXNlcjpwYXNz", f"Bearer {token}x",
                   "Bearer " + "gw_" + "a" * 5000):
        for method, url, body in writes:
            headers = {"Authorization": header} if header else {}
            response = getattr(client, method)(url, headers=headers, **body)
            assert response.status_code == 401, (method, url, header[:20] if header else None, response.text[:200])
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(HOSTILE)
        assert conn.execute("SELECT COUNT(*) FROM user_edits").fetchone()[0] == 0
    auth = {"Authorization": f"Bearer {token}"}
    big = {"articles": [{"text": "The Rook Trust gave $5,000 to the Avon Hospice. " * 200}]}
    refused = client.post("/api/articles", json=big, headers=auth)
    assert refused.status_code == 413 and refused.json()["error"]["code"] == "payload_too_large"
    form = TestClient(create_app(str(path), max_body_bytes=4096), base_url="http://127.0.0.1:8000",
                      headers={"accept": "text/html"})
    form.post("/login", data={"token": token, "next": "/add"})
    upload = form.post("/add", files=[("files", ("big.txt", b"The Rook Trust gave $5,000. " * 1000, "text/plain"))])
    assert upload.status_code == 413 and "giftwatch ingest" in upload.text


def test_articles_over_the_length_limit_are_refused_by_name_and_the_rest_is_kept(hostile_db, monkeypatch):
    path, token = hostile_db
    monkeypatch.setenv("GIFTWATCH_MAX_ARTICLE_CHARS", "5000")
    story = "The Marrow Street Bakery gave $8,000 to the Fenwick Youth Orchestra on Tuesday."
    long_story = "The Kessler Trust gave $5,000 to the Avon Hospice. " * 200   # 10,199 characters
    api = TestClient(create_app(str(path)), base_url="http://127.0.0.1:8000")
    refused = api.post("/api/extract", json={"articles": [{"text": story}, {"text": long_story, "source": "wire 7"}]},
                       headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 422, refused.text
    message = refused.json()["error"]["message"]
    assert "Article 2 (wire 7)" in message and "GIFTWATCH_MAX_ARTICLE_CHARS" in message and "split" in message
    page = TestClient(create_app(str(path)), base_url="http://127.0.0.1:8000", headers={"accept": "text/html"})
    page.post("/login", data={"token": token, "next": "/add"})
    preview = page.post("/add", files=[("files", ("bakery.txt", story.encode(), "text/plain")),
                                       ("files", ("kessler.txt", long_story.encode(), "text/plain"))])
    assert preview.status_code == 200 and "Fenwick Youth Orchestra" in preview.text
    assert "kessler.txt" in preview.text and "over the limit of 5,000" in preview.text
