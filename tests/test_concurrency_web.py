"""Reading and writing while an ingest writes: the web server answers every request (bench/load_test.py, run
from a second process against a real `giftwatch serve` on 127.0.0.1), and other writers (a new token, the
entity rebuild a search triggers) get their turn instead of waiting out the busy timeout."""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from test_hardening_support import integrity, news_corpus, records_per_article, write_jsonl

from giftwatch.store import open_store
from giftwatch.web.queries import WebQueries
from giftwatch.web.tables import create_token

ROOT = Path(__file__).resolve().parents[1]
GIFTWATCH = Path(sys.executable).with_name("giftwatch")


def test_the_server_answers_every_read_while_an_ingest_writes(tmp_path):
    corpus = write_jsonl(tmp_path / "wire.jsonl", news_corpus(60))
    db = tmp_path / "served.db"
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "load_test.py"), "--db", str(db), "--ingest",
                          str(corpus), "--requests", "5000", "--seconds", "60", "--concurrency", "4", "--json"],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] >= 50, result   # it loaded the server until the ingest was done
    kinds = set(result["by_kind"])
    assert {"page home", "page gifts", "api gifts", "api stats", "api search"} <= kinds, kinds
    assert result["ingest"]["finished"] and result["ingest"]["exit_code"] == 0, result["ingest"]
    assert len(records_per_article(db)) == 60


def _wait_for_articles(db: Path, ingest: subprocess.Popen, timeout: float = 60.0) -> None:
    """Until the ingest has stored its first batch (so it is mid-run, between batches)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and ingest.poll() is None:
        if db.exists() and records_per_article(db):
            return
        time.sleep(0.1)
    raise AssertionError("the ingest stored nothing in time" if ingest.poll() is None else "the ingest ended early")


def test_other_writers_get_their_turn_during_an_ingest(tmp_path):
    """A new token and the entity rebuild a search starts both need the write lock the ingest takes per batch."""
    corpus = write_jsonl(tmp_path / "wire.jsonl", news_corpus(450, seed=11))
    db = tmp_path / "busy.db"
    ingest = subprocess.Popen([str(GIFTWATCH), "ingest", str(corpus), "--db", str(db), "--workers", "1",
                               "--no-progress"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_articles(db, ingest)
        started = time.monotonic()
        with WebQueries(str(db)) as queries:
            token = create_token(queries.conn, "during-ingest")[1]
        with open_store(db) as store:
            found = store.search("foundation")
        waited = time.monotonic() - started
        still_ingesting = ingest.poll() is None
    finally:
        ingest.terminate()   # SIGTERM: the ingest stops as on Ctrl-C, keeping what it stored
        output, errors = ingest.communicate(timeout=120)
    assert token.startswith("gw_") and found and all("oundation" in hit["text"] for hit in found)
    assert still_ingesting, f"the writers finished only after the ingest ended ({waited:.1f} s): they waited for its lock"
    assert waited < 20, f"two writers waited {waited:.1f} s for the ingest's lock"
    assert ingest.returncode in (0, 130) and "Traceback" not in errors, errors
    assert integrity(db) == "ok" and records_per_article(db)
