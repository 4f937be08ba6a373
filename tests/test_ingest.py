"""Ingest at scale: the pre-pass decides what is parsed, stored articles are skipped, and an ingest that is
killed or interrupted, run again, ends exactly where a clean run ends."""
from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from giftwatch.cli import main
from giftwatch.pipeline import extract_articles, ingest_articles
from giftwatch.readers import iter_articles
from giftwatch.store import open_store
from tests.conftest import DATA
from tests.test_warc import write_warc

CORPUS = DATA / "corpus"
GIFT_STORIES = CORPUS / "gift_stories.jsonl"
LOCAL_NEWS = CORPUS / "local_news.jsonl"
GIFTWATCH = [sys.executable, "-m", "giftwatch.cli"]


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def stored(db: Path) -> dict[str, dict]:
    """Every stored article's FORMAT.md record, by id."""
    with open_store(db) as store:
        ids = [row[0] for row in sqlite3.connect(db).execute("SELECT id FROM articles")]
        return {article_id: store.get_article(article_id).to_dict() for article_id in ids}


def test_only_articles_that_may_hold_a_gift_are_parsed(tmp_path):
    db = tmp_path / "gw.db"
    result = run("ingest", str(GIFT_STORIES), str(LOCAL_NEWS), "--db", str(db), "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "8 articles read: 8 added" in result.output
    assert "Pre-pass: 4 parsed, 4 stored without parsing" in result.output
    records = stored(db)
    gifts = {i for i, r in records.items() if r["gifts"]}
    assert gifts == {"ledger-0412-pruett-library", "courier-0503-marsh-hospice", "tribune-0611-okonkwo-scholarships",
                     "gazette-0720-ferris-food-bank"}
    assert all(records[i]["quotes"] for i in gifts)   # parsed articles get all their quotes
    assert records["tribune-0610-council-roads"]["quotes"] == []   # not parsed: stored without quotes


def test_all_quotes_parses_every_article_with_a_quotation(tmp_path):
    db = tmp_path / "gw.db"
    assert run("ingest", str(GIFT_STORIES), str(LOCAL_NEWS), "--db", str(db), "--workers", "1").exit_code == 0
    again = run("ingest", str(GIFT_STORIES), str(LOCAL_NEWS), "--db", str(db), "--workers", "1", "--all-quotes")
    assert again.exit_code == 0, again.output
    # the two local stories with quotations are parsed now; the rest were already complete
    assert "8 articles read: 0 added, 2 updated, 6 unchanged" in again.output
    records = stored(db)
    council = records["tribune-0610-council-roads"]
    assert [(q["text"], q["speakers"]) for q in council["quotes"]] == [("These streets have waited long enough,",
                                                                         ["Rafael Duarte"])]
    assert council["gifts"] == []
    assert records["courier-0502-bakery-expansion"]["quotes"] == []   # no quotation, nothing to parse for


def test_ingest_stores_what_extraction_finds(tmp_path):
    """With the pre-pass, a gift article is stored exactly as the full pipeline extracts it."""
    articles = list(iter_articles([DATA / "sample_gold.jsonl"]))
    with open_store(tmp_path / "gw.db") as store:
        counts = ingest_articles(articles, store, workers=1)
        assert counts.parsed == len(articles) and counts.not_parsed == 0
        kept = {a.id: store.get_article(a.id).to_dict() for a in articles}
    assert kept == {a.id: a.to_dict() for a in extract_articles(articles)}


def test_csv_dump_and_warc_crawl_through_the_command_line(tmp_path):
    rows = [json.loads(line) for line in GIFT_STORIES.read_text(encoding="utf-8").splitlines()]
    dump = tmp_path / "archive.csv"
    with open(dump, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["uuid", "body", "day"])
        writer.writerows([r["id"], r["text"], r["published"]] for r in rows[:2])
    crawl = write_warc(tmp_path / "crawl.warc.gz")
    db = str(tmp_path / "gw.db")
    result = run("ingest", str(dump), str(crawl), "--db", db, "--workers", "1",
                 "--field", "id=uuid", "--field", "text=body", "--field", "published=day")
    assert result.exit_code == 0, result.output
    assert "4 articles read: 4 added" in result.output
    assert "4 crawl records passed over (2 HTTP status other than 200, 1 not English, 1 not HTML pages)." \
        in result.output
    recipients = {json.loads(line)["recipient"] for line in run("gifts", "--db", db, "--json").output.splitlines()}
    assert {"Alder Creek Public Library", "Wrenfield Museum of Weaving"} <= recipients
    bad = run("ingest", str(dump), "--db", db, "--field", "body")
    assert bad.exit_code == 1 and "Error: --field 'body' is not FIELD=NAME" in bad.output


# ---- resuming after a kill or Ctrl-C ------------------------------------------------------------------

def corpus_lines(count: int) -> list[str]:
    """A wire feed: every eighth item a gift story, the rest local news, each with its own id and source."""
    gifts = GIFT_STORIES.read_text(encoding="utf-8").splitlines()
    news = LOCAL_NEWS.read_text(encoding="utf-8").splitlines()
    lines = []
    for n in range(count):
        record = json.loads(gifts[n // 8 % 4] if n % 8 == 7 else news[n % 4])
        record.update(id=f"wire-{n:04d}", source=f"Wire feed item {n}", text=record["text"] + f"\n\n(Item {n}.)")
        lines.append(json.dumps(record) + "\n")
    return lines


def article_count(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:   # not created yet
        return 0


def start_ingest(db: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([*GIFTWATCH, "ingest", "-", "--db", str(db), "--no-progress", *extra],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the ingest made no progress"
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def test_killed_and_interrupted_ingests_resume_without_duplicates_or_loss(tmp_path):
    lines = corpus_lines(1024)
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(lines), encoding="utf-8")
    clean_db, db = tmp_path / "clean.db", tmp_path / "resumed.db"
    clean = subprocess.run([*GIFTWATCH, "ingest", str(feed), "--db", str(clean_db), "--workers", "2"],
                           capture_output=True, text=True)
    assert clean.returncode == 0, clean.stderr
    assert "1024 articles read: 1024 added" in clean.stdout

    # 1. killed outright (SIGKILL) part-way, with two worker processes parsing
    first = start_ingest(db, "--workers", "2")
    first.stdin.write("".join(lines[:512]))
    first.stdin.flush()
    wait_for(lambda: article_count(db) >= 200)
    workers = children(first.pid)
    first.kill()
    first.wait()
    first.stdin.close()
    after_kill = article_count(db)
    assert 200 <= after_kill < 1024
    wait_for(lambda: not any(Path(f"/proc/{pid}").exists() for pid in workers), seconds=10)

    # 2. interrupted (Ctrl-C) part-way through the rest
    second = start_ingest(db, "--workers", "1")
    second.stdin.write("".join(lines))
    second.stdin.flush()
    wait_for(lambda: article_count(db) >= after_kill + 200)
    second.send_signal(signal.SIGINT)
    _, errors = second.communicate(timeout=60)
    assert second.returncode == 130 and "Interrupted" in errors and "Traceback" not in errors
    assert after_kill + 200 <= article_count(db) < 1024

    # 3. run to the end: what was stored is skipped, the rest goes in
    third = subprocess.run([*GIFTWATCH, "ingest", "-", "--db", str(db), "--workers", "2"], input="".join(lines),
                           capture_output=True, text=True)
    assert third.returncode == 0, third.stderr
    assert "already stored with the same text" in third.stdout
    assert stored(db) == stored(clean_db)
    with open_store(db) as resumed, open_store(clean_db) as reference:
        assert resumed.counts() == reference.counts()
