"""The HTML pages, token sign-in, the add-articles flow and the `serve`/`token` commands, over a real SQLite
file holding hand-written records of invented news articles (tests/browser/data/web_articles.jsonl), one of
them hostile. Adding articles runs the real extraction pipeline. The browser itself is in tests/browser/."""
from __future__ import annotations

import csv
import io
import json
import re
import socket
from pathlib import Path
from urllib.parse import quote

import pytest

pytest.importorskip("fastapi")
from click.testing import CliRunner  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from giftwatch.records import Article  # noqa: E402
from giftwatch.store import open_store  # noqa: E402
from giftwatch.web import create_app  # noqa: E402
from giftwatch.web.__main__ import main as web_commands  # noqa: E402

ARTICLES = Path(__file__).parent / "browser" / "data" / "web_articles.jsonl"
HOSTILE = "hostile-choir-gift"
LANGFORD = "langford-okonjo-cardiac"
HTML = {"accept": "text/html"}


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "web.db"
    with open_store(path) as store:
        store.add_articles(Article.from_dict(json.loads(line)) for line in ARTICLES.read_text("utf-8").splitlines())
    return path


@pytest.fixture()
def token(db) -> str:
    result = CliRunner().invoke(web_commands, ["token", "create", "--db", str(db), "--name", "tests"])
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


@pytest.fixture()
def client(db) -> TestClient:
    return TestClient(create_app(str(db)), base_url="http://127.0.0.1:8000", headers=HTML)


def _signed_in(client: TestClient, token: str) -> TestClient:
    response = client.post("/login", data={"token": token, "next": "/gifts"}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/gifts"
    return client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_page_is_served_with_a_strict_policy_and_no_inline_code(client):
    for url in ("/", "/search?q=pemberton", "/gifts", "/donors", "/recipients", "/donors/Lena%20Marsh",
                "/recipients/Eastgate%20Food%20Pantry", "/quotes", "/articles", f"/articles/{HOSTILE}",
                "/corrections", "/add", "/login"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert response.headers["x-frame-options"] == "DENY"
        html = response.text
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts and all('src="/static/' in tag for tag in scripts), url
        tags = re.findall(r"<[a-zA-Z][^>]*>", html)
        assert not [t for t in tags if re.search(r"\s(on[a-z]+|style)=", t)], url  # no inline handlers or styles
        assert "<style" not in html, url
        assert 'href="#main"' in html and 'id="main"' in html  # skip link
        assert '<meta name="viewport"' in html
    for asset in ("/static/app.css", "/static/app.js", "/static/icon.svg"):
        assert client.get(asset).status_code == 200


def test_hostile_article_text_and_names_are_shown_as_text(client):
    html = client.get(f"/articles/{HOSTILE}").text
    assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt; Choir &lt;b&gt;gift&lt;/b&gt;" in html
    assert "<script>alert('source')" not in html
    assert "Harbor Youth Choir &lt;i&gt;Inc&lt;/i&gt;" in html
    assert "Music changed my life &lt;b&gt;forever&lt;/b&gt;" in html and "<b>forever" not in html
    assert "Lena Marsh &lt;script&gt;x()&lt;/script&gt;" in html
    search = client.get("/search", params={"q": "pwned"}).text
    assert "<mark class=\"hl hl-match\"" in search and "&lt;script&gt;window.__" in search
    assert "<script>window" not in search


def test_article_page_marks_gift_evidence_and_quotes_beside_the_records(client):
    html = client.get(f"/articles/{LANGFORD}").text
    marks = re.findall(r'<mark class="hl ([^"]+)" data-refs="([^"]+)"[^>]*>(.*?)</mark>', html, re.S)
    gifts = [text for kinds, refs, text in marks if "hl-gift" in kinds]
    quotes = [text for kinds, refs, text in marks if refs == "q0"]
    assert gifts and gifts[0].startswith("Retired surgeon Adaeze Okonjo")
    assert quotes == ["My patients taught me what recovery really takes,"]
    assert 'id="g0"' in html and 'href="#hl-g0"' in html and 'id="hl-g0"' in html
    assert "Langford Memorial Hospital" in _text(html) and "$2,500,000" in html


def test_search_page_lists_donors_recipients_quotes_and_articles(client):
    text = _text(client.get("/search", params={"q": "pemberton"}).text)
    assert "Pemberton Family Foundation" in text and "Pemberton Foundation" in text
    assert "Every child deserves someone" in text and "Foundation gives $75,000 to Eastgate pantry" in text
    short = client.get("/search", params={"q": "x"})
    assert short.status_code == 422 and "at least 2 characters" in short.text


def test_gifts_table_filters_sorts_pages_and_downloads(client):
    page = client.get("/gifts", params={"donor": "pemberton", "sort": "amount", "order": "asc"}).text
    rows = re.findall(r"<tr>\s*<td data-label=\"Date\"[^>]*>.*?</tr>", page, re.S)
    assert len(rows) == 2 and "$75,000" in rows[0] and "$400,000" in rows[1]
    assert 'aria-sort="ascending"' in page
    assert re.search(r'href="/gifts\.csv\?donor=pemberton&amp;sort=amount&amp;order=asc"', page)
    download = client.get("/gifts.csv", params={"donor": "pemberton", "sort": "amount", "order": "asc"})
    assert [r["amount"] for r in csv.DictReader(io.StringIO(download.text))] == ["75000", "400000"]
    paged = client.get("/gifts", params={"per_page": 1, "page": 2}).text
    assert "Page 2 of 4" in paged and 'rel="prev"' in paged and 'rel="next"' in paged
    wrong = client.get("/gifts", params={"since": "yesterday"})
    assert wrong.status_code == 422 and "ISO date" in wrong.text and 'value="yesterday"' in wrong.text
    assert "No gifts match" in client.get("/gifts", params={"min_amount": 10 ** 9}).text


def test_donor_page_totals_charts_counterparties_sources_and_quotes(client):
    html = client.get("/donors/" + quote("Adaeze Okonjo")).text
    assert re.search(r'id="total">\$2,500,000<', html)
    assert html.count('role="img"') == 2 and "2024 — $2,500,000 · 1 gift" in html and "Health — " in html
    assert '/recipients/Langford%20Memorial%20Hospital' in html
    assert "Langford Ledger (invented test article)" in html and "My patients taught me" in html
    assert client.get("/donors/Nobody%20Here").status_code == 404


def test_sign_in_sets_a_strict_cookie_and_bad_tokens_are_refused(client, token):
    wrong = client.post("/login", data={"token": "gw_wrong", "next": "/"})
    assert wrong.status_code == 401 and "not valid" in wrong.text
    response = client.post("/login", data={"token": token, "next": "https://evil.example/"},
                           follow_redirects=False)
    assert response.headers["location"] == "/"  # never redirected off-site
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "Correct this gift" in client.get(f"/articles/{LANGFORD}").text


def test_correcting_a_gift_and_a_speaker_from_the_page(client, token):
    anonymous = client.post(f"/articles/{LANGFORD}/gifts/0", data={"amount": "1"})
    assert anonymous.status_code == 401 and "giftwatch token create" in anonymous.text
    _signed_in(client, token)
    saved = client.post(f"/articles/{LANGFORD}/gifts/0", follow_redirects=False, data={
        "donors": "Adaeze Okonjo; Martin Feld", "recipient": "Langford Memorial Hospital", "amount": "2,750,000",
        "currency": "USD", "kind": "donation", "date": "2024-03-05", "purpose": "to build a cardiac rehabilitation wing"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=g0#g0")
    client.post(f"/articles/{LANGFORD}/quotes/2", data={"speakers": "Gideon R. Marsh", "speaker_role": ""})
    html = client.get(f"/articles/{LANGFORD}").text
    assert "$2,750,000" in html and "extraction said: 2500000" in html and "Gideon R. Marsh" in html
    edits = _text(client.get("/corrections").text)
    assert "amount" in edits and "speakers" in edits and "purpose" not in edits  # unchanged fields stay as they were
    assert "$2,750,000" in client.get("/gifts", params={"donor": "okonjo"}).text
    bad = client.post(f"/articles/{LANGFORD}/gifts/0", data={"amount": "lots"})
    assert bad.status_code == 422 and "must be a number" in bad.text


def test_forms_posted_from_another_site_are_refused(client, token):
    _signed_in(client, token)
    response = client.post(f"/articles/{LANGFORD}/gifts/0", data={"amount": "1"},
                           headers={"origin": "http://evil.example"})
    assert response.status_code == 403
    assert "$2,500,000" in client.get(f"/articles/{LANGFORD}").text


def test_merging_names_from_a_donor_page(client, token):
    _signed_in(client, token)
    response = client.post("/merge", data={"name": "Pemberton Foundation", "into": "Pemberton Family Foundation",
                                           "role": "donor"}, follow_redirects=False)
    assert response.headers["location"] == "/donors/Pemberton%20Family%20Foundation?merged=Pemberton%20Foundation"
    html = client.get(response.headers["location"]).text
    assert "$475,000" in html and "“Pemberton Foundation” is now shown as Pemberton Family Foundation" in html
    client.post("/merges/undo", data={"name": "Pemberton Foundation"})
    assert "$400,000" in client.get("/donors/Pemberton%20Family%20Foundation").text


def test_adding_pasted_text_shows_the_findings_before_storing(client, token, db):
    assert "needs a token" in client.get("/add").text
    _signed_in(client, token)
    text = ("Retired teacher Odile Branagh has donated $30,000 to the Kestrel Bay Lifeboat Station to buy a new "
            "rescue boat, the station said on Friday.\n\n“The sea has given me a good life,” Branagh said.")
    preview = client.post("/add", data={"title": "Teacher <em>funds</em> lifeboat", "published": "2025-02-14",
                                        "text": text})
    assert preview.status_code == 200
    page = _text(preview.text)
    assert "Kestrel Bay Lifeboat Station" in page and "$30,000" in preview.text and "Nothing is stored yet" in page
    assert "Teacher &lt;em&gt;funds&lt;/em&gt; lifeboat" in preview.text
    with open_store(db) as store:
        assert store.counts()["articles"] == 4
    confirm = re.search(r'action="(/add/[^"]+/confirm)"', preview.text).group(1)
    stored = client.post(confirm, follow_redirects=False)
    assert stored.status_code == 303 and stored.headers["location"].startswith("/articles/teacher-em-funds-em-lifeboat")
    assert "Odile Branagh" in client.get(stored.headers["location"]).text
    assert client.post(confirm).status_code == 404  # a confirmed extraction cannot be stored twice


def test_uploaded_files_are_read_and_bad_ones_reported(client, token):
    _signed_in(client, token)
    story = ("The Marrow Street Bakery gave $8,000 to the Fenwick Youth Orchestra on Tuesday to buy instruments."
             ).encode("utf-8")
    broken = b'{"id": "wire-1", "text": "The Hollis Trust gave $9,000 to Ashby Hospice."}\n{"id": broken\n'
    preview = client.post("/add", files=[("files", ("bakery.txt", story, "text/plain")),
                                         ("files", ("wire.jsonl", broken, "application/x-ndjson")),
                                         ("files", ("empty.txt", b"\xff\xfe\x00\x00\x01", "text/plain"))],
                          data={"published": "2025-06-03"})
    assert preview.status_code == 200, preview.text
    page = _text(preview.text)
    assert "Fenwick Youth Orchestra" in page and "upload: bakery.txt" in page and "Ashby Hospice" in page
    assert "wire.jsonl:2" in page and "empty.txt" in page and "/tmp/" not in page
    nothing = client.post("/add", data={"text": "  "})
    assert nothing.status_code == 422 and "Paste an article" in nothing.text


def test_token_commands_create_list_and_revoke(db, token, client):
    runner = CliRunner()
    assert token.startswith("gw_") and len(token) > 30
    listed = runner.invoke(web_commands, ["token", "list", "--db", str(db)])
    assert "tests" in listed.stdout and token not in listed.output
    with open_store(db) as store:  # only a hash is kept
        assert token not in json.dumps([list(r) for r in store._conn.execute("SELECT * FROM web_tokens")])
    revoked = runner.invoke(web_commands, ["token", "revoke", "1", "--db", str(db)])
    assert revoked.exit_code == 0
    assert client.post("/login", data={"token": token}).status_code == 401
    again = runner.invoke(web_commands, ["token", "revoke", "1", "--db", str(db)])
    assert again.exit_code == 1 and again.output.startswith("Error: No active token")


def test_serve_refuses_a_busy_port_with_advice(db):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(web_commands, ["serve", "--db", str(db), "--port", str(port)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: Cannot listen on 127.0.0.1:") and "--port" in result.output
    bad_db = CliRunner().invoke(web_commands, ["serve", "--db", str(db.parent / "missing" / "x.db")])
    assert bad_db.exit_code == 1 and "does not exist" in bad_db.output
