"""The REST API (/api) against the real app and a real SQLite file.

The database holds four invented news-style articles with their records written out by hand, as extraction
would store them (tests/browser/data/web_articles.jsonl): the API is tested on what it serves, independent of
how well extraction reads the text. One article is hostile (HTML and script in its title, source, text, a
recipient and a speaker). Adding articles runs the real extraction pipeline.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from giftwatch.records import Article, Gift  # noqa: E402
from giftwatch.store import open_store  # noqa: E402
from giftwatch.web import create_app  # noqa: E402
from giftwatch.web.queries import WebQueries  # noqa: E402
from giftwatch.web.tables import create_token  # noqa: E402

ARTICLES = Path(__file__).parent / "browser" / "data" / "web_articles.jsonl"
LANGFORD = "langford-okonjo-cardiac"


def _build(path: Path) -> str:
    with open_store(path) as store:
        store.add_articles(Article.from_dict(json.loads(line)) for line in ARTICLES.read_text("utf-8").splitlines())
    with WebQueries(str(path)) as q:
        return create_token(q.conn, "tests")[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """A database made once for the module, with a token; tests that write copy it first."""
    path = tmp_path_factory.mktemp("api") / "base.db"
    return path, _build(path)


@pytest.fixture()
def db(built, tmp_path) -> tuple[Path, str]:
    """A private copy of the database, so writing tests do not affect each other."""
    source, token = built
    copy = tmp_path / "api.db"
    with open_store(source) as store:  # checkpoint the WAL so the copy is complete
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    copy.write_bytes(source.read_bytes())
    return copy, token


@pytest.fixture()
def client(db) -> TestClient:
    return TestClient(create_app(str(db[0])), base_url="http://127.0.0.1:8000")


@pytest.fixture()
def auth(db) -> dict[str, str]:
    return {"Authorization": f"Bearer {db[1]}"}


def _error(response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    return body["error"]["message"]


def test_openapi_describes_every_endpoint_and_the_one_error_shape(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/stats", "/api/search", "/api/gifts", "/api/gifts.csv", "/api/quotes", "/api/donors",
                 "/api/donors/{name}", "/api/recipients", "/api/recipients/{name}", "/api/articles",
                 "/api/articles/{article_id}", "/api/articles/{article_id}/gifts/{position}",
                 "/api/articles/{article_id}/quotes/{position}", "/api/extract", "/api/corrections",
                 "/api/corrections/{edit_id}", "/api/merges", "/api/merges/{name}"):
        assert path in paths, path
    assert {"get", "patch"} <= set(paths["/api/articles/{article_id}/gifts/{position}"])
    error_ref = "#/components/schemas/ErrorResponse"
    for operations in paths.values():
        for operation in operations.values():
            assert operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"] == error_ref
            assert operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"] == error_ref
    assert "/docs" not in paths and client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_stats_and_gift_list_with_filters_sorting_and_pages(client):
    assert client.get("/api/stats").json() == {"articles": 4, "gifts": 4, "quotes": 6, "corrections": 0}
    everything = client.get("/api/gifts").json()
    assert everything["total"] == 4
    assert [g["recipient"] for g in everything["items"]][0] == "Harbor Youth Choir <i>Inc</i>"  # newest first
    pemberton = client.get("/api/gifts", params={"donor": "pemberton"}).json()
    assert sorted(g["amount"] for g in pemberton["items"]) == [75000, 400000]
    assert client.get("/api/gifts", params={"kind": "grant"}).json()["items"][0]["recipient"] == \
        "Riverside Literacy Project"
    window = client.get("/api/gifts", params={"min_amount": 60000, "max_amount": 500000}).json()
    assert {g["amount"] for g in window["items"]} == {75000, 400000}
    assert [g["recipient"] for g in client.get("/api/gifts", params={"since": "2024"}).json()["items"]] == \
        ["Harbor Youth Choir <i>Inc</i>", "Langford Memorial Hospital"]
    assert client.get("/api/gifts", params={"cause": "health"}).json()["items"][0]["cause"] == "Health"
    by_amount = client.get("/api/gifts", params={"sort": "amount", "order": "asc", "per_page": 2, "page": 2}).json()
    assert [g["amount"] for g in by_amount["items"]] == [400000, 2500000]
    assert (by_amount["total"], by_amount["pages"]) == (4, 2)


def test_bad_filters_get_the_error_shape_with_advice(client):
    assert "ISO date" in _error(client.get("/api/gifts", params={"since": "last year"}), 422, "invalid_input")
    assert "swap" in _error(client.get("/api/gifts", params={"min_amount": 9, "max_amount": 1}), 422,
                            "invalid_input")
    _error(client.get("/api/gifts", params={"kind": "loan"}), 422, "invalid_input")
    _error(client.get("/api/gifts", params={"per_page": 100000}), 422, "invalid_input")
    _error(client.get("/api/nothing-here"), 404, "not_found")
    _error(client.delete("/api/stats"), 405, "method_not_allowed")


def test_search_finds_names_quotes_and_article_text(client):
    found = client.get("/api/search", params={"q": "pemberton"}).json()
    assert {d["name"] for d in found["donors"]["items"]} == {"Pemberton Family Foundation", "Pemberton Foundation"}
    assert [q["speakers"] for q in found["quotes"]["items"]] == [["Corinne Pemberton"]]
    hit = {a["id"]: a for a in found["articles"]["items"]}["eastgate-pantry-gift"]
    start, end = hit["matches"][0]
    assert hit["snippet"][start:end].lower() == "pemberton"
    by_words = client.get("/api/search", params={"q": "recovery really takes"}).json()
    assert by_words["quotes"]["total"] == 1 and by_words["articles"]["items"][0]["id"] == LANGFORD
    _error(client.get("/api/search", params={"q": "a"}), 422, "invalid_input")


def test_donor_and_recipient_profiles(client):
    donor = client.get("/api/donors/Adaeze Okonjo").json()
    assert donor["totals"] == {"USD": 2500000} and donor["gift_count"] == 1
    assert donor["by_year"] == [{"label": "2024", "gifts": 1, "totals": {"USD": 2500000}}]
    assert donor["by_cause"][0]["label"] == "Health"
    assert donor["counterparties"][0]["name"] == "Langford Memorial Hospital"
    assert len(donor["quotes"]) == 2 and donor["gifts"][0]["source"].startswith("Langford Ledger")
    recipient = client.get("/api/recipients/riverside literacy project").json()
    assert recipient["name"] == "Riverside Literacy Project" and recipient["counterparties"][0]["name"] == \
        "Pemberton Family Foundation"
    names = [d["name"] for d in client.get("/api/donors").json()["items"]]
    assert names[0] == "Adaeze Okonjo"  # biggest USD total first
    assert "Okonjo" in _error(client.get("/api/donors/Nobody Okonjo"), 404, "not_found")


def test_article_detail_says_where_each_record_was_found(client):
    detail = client.get(f"/api/articles/{LANGFORD}").json()
    text = detail["article"]["text"]
    gift = detail["gifts"][0]
    assert [text[s:e] for s, e in gift["highlights"]] == [gift["evidence"]]
    for quote in detail["quotes"]:
        assert [text[s:e] for s, e in quote["highlights"]] == [quote["text"]]
    one = client.get(f"/api/articles/{LANGFORD}/quotes/2").json()
    assert one["text"] == "the largest in our ninety-year history." and one["position"] == 2
    _error(client.get(f"/api/articles/{LANGFORD}/gifts/7"), 404, "not_found")
    _error(client.get("/api/articles/no-such-article"), 404, "not_found")


def test_csv_export_is_the_filtered_table_and_defuses_formulas(client, auth):
    response = client.get("/api/gifts.csv", params={"donor": "pemberton", "sort": "amount"})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.splitlines()
    assert lines[0].startswith("date,donors,donor_aliases,recipient")
    assert len(lines) == 3 and "400000" in lines[1] and "75000" in lines[2]
    client.patch(f"/api/articles/{LANGFORD}/gifts/0", json={"purpose": '=HYPERLINK("http://evil.example")'},
                 headers=auth)
    exported = list(csv.DictReader(io.StringIO(client.get("/api/gifts.csv", params={"donor": "okonjo"}).text)))
    assert exported[0]["purpose"] == "'=HYPERLINK(\"http://evil.example\")" and exported[0]["corrected"] == "purpose"
    assert exported[0]["amount"] == "2500000" and exported[0]["donors"] == "Adaeze Okonjo; Martin Feld"


def test_writing_needs_a_valid_token(client, auth):
    change = {"amount": 2750000}
    assert "giftwatch token create" in _error(client.patch(f"/api/articles/{LANGFORD}/gifts/0", json=change),
                                              401, "unauthorized")
    _error(client.patch(f"/api/articles/{LANGFORD}/gifts/0", json=change,
                        headers={"Authorization": "Bearer gw_not-a-real-token"}), 401, "unauthorized")
    _error(client.post("/api/merges", json={"name": "A", "into": "B"}), 401, "unauthorized")
    _error(client.post("/api/extract", json={"articles": [{"text": "x"}]}), 401, "unauthorized")
    _error(client.delete("/api/corrections/1"), 401, "unauthorized")
    assert client.patch(f"/api/articles/{LANGFORD}/gifts/0", json=change, headers=auth).json()["amount"] == 2750000


def test_a_correction_survives_re_extraction_and_can_be_undone(client, auth, db):
    corrected = client.patch(f"/api/articles/{LANGFORD}/gifts/0", json={"amount": 2750000, "kind": "pledge"},
                             headers=auth).json()
    assert (corrected["amount"], corrected["kind"]) == (2750000, "pledge")
    assert corrected["edited"]["amount"]["extracted"] == 2500000
    quote = client.patch(f"/api/articles/{LANGFORD}/quotes/2", json={"speakers": ["Gideon R. Marsh"]},
                         headers=auth).json()
    assert quote["speakers"] == ["Gideon R. Marsh"]
    # Re-extraction finds one more gift, listed first: the stored rows are replaced, the correction follows
    # its gift (found by its evidence) to its new position.
    with open_store(db[0]) as store:
        article = store.get_article(LANGFORD)
        extra = Gift(donors=["Gideon Marsh"], recipient="Langford Memorial Hospital", amount=10,
                     currency="USD", evidence="Hospital president Gideon Marsh called the gift")
        assert store.add_article(replace(article, gifts=[extra, *article.gifts])) == "updated"
    moved = client.get(f"/api/articles/{LANGFORD}/gifts/1").json()
    assert (moved["amount"], moved["kind"]) == (2750000, "pledge")
    assert client.get(f"/api/articles/{LANGFORD}/gifts/0").json()["edited"] == {}
    assert client.get("/api/donors/Adaeze Okonjo").json()["totals"] == {"USD": 2750000}
    assert client.get("/api/gifts", params={"kind": "pledge"}).json()["total"] == 1
    assert client.get(f"/api/articles/{LANGFORD}/quotes/2").json()["speakers"] == ["Gideon R. Marsh"]
    edits = client.get("/api/corrections").json()["edits"]
    assert {(e["field"], e["applied"]) for e in edits} == {("amount", True), ("kind", True), ("speakers", True)}
    amount_edit = next(e["id"] for e in edits if e["field"] == "amount")
    assert client.delete(f"/api/corrections/{amount_edit}", headers=auth).status_code == 204
    assert client.get(f"/api/articles/{LANGFORD}/gifts/1").json()["amount"] == 2500000
    _error(client.delete(f"/api/corrections/{amount_edit}", headers=auth), 404, "not_found")


def test_bad_corrections_are_refused_with_advice(client, auth):
    url = f"/api/articles/{LANGFORD}/gifts/0"
    _error(client.patch(url, json={"amount": -5}, headers=auth), 422, "invalid_input")
    _error(client.patch(url, json={"evidence": "made up"}, headers=auth), 422, "invalid_input")
    assert "ISO" in _error(client.patch(url, json={"date": "Tuesday"}, headers=auth), 422, "invalid_input")
    assert "ISO 4217" in _error(client.patch(url, json={"currency": "dollars"}, headers=auth), 422,
                                "invalid_input")
    _error(client.patch(url, content=b"{not json", headers={**auth, "content-type": "application/json"}),
           422, "invalid_input")


def test_merging_two_names_joins_their_giving(client, auth):
    merged = client.post("/api/merges", json={"name": "Pemberton Foundation", "into": "Pemberton Family Foundation"},
                         headers=auth)
    assert merged.status_code == 201
    profile = client.get("/api/donors/Pemberton Family Foundation").json()
    assert profile["totals"] == {"USD": 475000} and profile["gift_count"] == 2
    assert client.get("/api/donors/Pemberton Foundation").json()["name"] == "Pemberton Family Foundation"
    names = [d["name"] for d in client.get("/api/donors", params={"q": "pemberton"}).json()["items"]]
    assert names == ["Pemberton Family Foundation"]
    assert client.get("/api/gifts", params={"donor": "family"}).json()["total"] == 2
    _error(client.post("/api/merges", json={"name": "Pemberton Family Foundation", "into": "Pemberton Foundation"},
                       headers=auth), 422, "invalid_input")  # would make a cycle
    assert client.delete("/api/merges/Pemberton Foundation", headers=auth).status_code == 204
    assert client.get("/api/gifts", params={"donor": "family"}).json()["total"] == 1


def test_extract_previews_without_storing_and_articles_stores(client, auth):
    text = ("The Wrenfield Garden Club donated $12,000 to the Wrenfield Public Library on Saturday to restore "
            "its reading garden.")
    preview = client.post("/api/extract", json={"articles": [{"text": text, "published": "2025-05-10",
                                                              "title": "Garden club gift"}]}, headers=auth)
    assert preview.status_code == 200
    record = preview.json()["articles"][0]
    assert record["gifts"][0]["amount"] == 12000 and preview.json()["stored"] is None
    assert client.get("/api/stats").json()["articles"] == 4
    stored = client.post("/api/articles", json={"articles": [{"text": text, "published": "2025-05-10",
                                                             "title": "Garden club gift"}]}, headers=auth)
    assert stored.status_code == 201 and stored.json()["stored"] == {"added": 1, "unchanged": 0, "updated": 0}
    assert client.get(f"/api/articles/{record['id']}").json()["gifts"][0]["recipient"] == "Wrenfield Public Library"
    again = client.post("/api/articles", json={"articles": [{"text": text, "published": "2025-05-10",
                                                            "title": "Garden club gift"}]}, headers=auth)
    assert again.json()["stored"]["unchanged"] == 1
    _error(client.post("/api/articles", json={"articles": []}, headers=auth), 422, "invalid_input")
    _error(client.post("/api/articles", json={"articles": [{"text": "x", "published": "someday"}]},
                       headers=auth), 422, "invalid_input")


def test_request_bodies_over_the_limit_are_refused(db, auth):
    small = TestClient(create_app(str(db[0]), max_body_bytes=2048), base_url="http://127.0.0.1:8000")
    big = {"articles": [{"text": "The Rook Trust gave $5,000 to the Avon Hospice. " * 200}]}
    assert "giftwatch ingest" in _error(small.post("/api/extract", json=big, headers=auth), 413,
                                        "payload_too_large")

    def chunks():  # no Content-Length: the limit is counted while the body streams in
        for _ in range(10):
            yield json.dumps(big).encode()[:1000]

    _error(small.post("/api/extract", content=chunks(), headers={**auth, "content-type": "application/json"}),
           413, "payload_too_large")


def test_requests_to_other_host_names_are_refused(client):
    """Bound to localhost, the server ignores requests for other names (DNS rebinding)."""
    _error(client.get("/api/stats", headers={"host": "attacker.example"}), 400, "bad_host")
    assert client.get("/api/stats", headers={"host": "localhost:8000"}).status_code == 200


def test_reading_can_require_a_token(db, auth):
    shared = TestClient(create_app(str(db[0]), read_requires_token=True, allowed_hosts=None))
    _error(shared.get("/api/gifts"), 401, "unauthorized")
    assert shared.get("/api/gifts", headers=auth).json()["total"] == 4


def test_hostile_text_comes_back_as_data(client):
    detail = client.get("/api/articles/hostile-choir-gift").json()
    assert detail["article"]["title"] == "<img src=x onerror=alert(1)> Choir <b>gift</b>"
    assert "<script>window.__pwned = 1</script>" in detail["article"]["text"]
    response = client.get("/api/articles/hostile-choir-gift")
    assert response.headers["content-type"] == "application/json"
    assert "script-src 'self'" in response.headers["content-security-policy"]
