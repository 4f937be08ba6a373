"""Killing a real `giftwatch ingest` (SIGKILL: no clean-up, no signal handler) at random moments, again and
again, never leaves a damaged database, a half-stored article or a duplicate; run again, it finishes the job and
the database equals one made by a single clean ingest, record for record."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_hardening_support import integrity, news_corpus, records_per_article, write_jsonl

from giftwatch.pipeline import ingest_articles
from giftwatch.readers import iter_articles
from giftwatch.store import open_store

GIFTWATCH = Path(sys.executable).with_name("giftwatch")
KILLS = 5
MAX_RUNS = 8   # runs that finish before their kill do not count; this bounds the test
ARTICLES = 600


def _ingest_command(corpus: Path, db: Path) -> list[str]:
    return [str(GIFTWATCH), "ingest", str(corpus), "--db", str(db), "--workers", "1", "--no-progress"]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_ingest_killed_at_random_moments_loses_and_duplicates_nothing(tmp_path):
    corpus = write_jsonl(tmp_path / "wire.jsonl", news_corpus(ARTICLES))
    with open_store(tmp_path / "clean.db") as store:
        ingest_articles(iter_articles([corpus]), store, workers=1)
    clean = records_per_article(tmp_path / "clean.db")
    assert len(clean) == ARTICLES and all(gifts and quotes for gifts, quotes in clean.values())

    db = tmp_path / "killed.db"
    chance = random.Random()
    delays: list[float] = []   # of the kills that landed, for the failure messages
    progress: list[int] = []   # articles stored after each run
    for _ in range(MAX_RUNS):
        if len(delays) == KILLS:
            break
        delay = round(chance.uniform(0.3, 4.5), 2)   # from start-up and schema creation to mid-batch writes
        process = subprocess.Popen(_ingest_command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            process.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            delays.append(delay)
        process.wait(timeout=60)
        errors = process.stderr.read().decode("utf-8", "replace")
        process.stderr.close()
        assert process.returncode in (0, -signal.SIGKILL), errors
        if not db.exists():
            continue   # killed before it created the file
        assert integrity(db) == "ok", f"damaged after kills at {delays}s"
        stored = records_per_article(db)
        half_stored = {a: stored[a] for a in stored if stored[a] != clean[a]}
        assert not half_stored, f"articles stored in part after kills at {delays}s: {half_stored}"
        progress.append(len(stored))

    assert len(delays) == KILLS, f"only {len(delays)} kills landed while ingest ran (at {delays}s)"
    finished = subprocess.run(_ingest_command(corpus, db), capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert integrity(db) == "ok"
    assert records_per_article(db) == clean, f"after kills at {delays}s the result differs from a clean ingest"
    with open_store(db) as store, open_store(tmp_path / "clean.db") as reference:
        assert store.counts() == reference.counts()
    print(f"SIGKILL at {delays} s; articles stored after each run: {progress}; then resumed to {len(clean)}")
