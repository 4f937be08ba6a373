"""Shared helpers for the hardening tests (no tests of its own): a corpus of invented news-style gift stories,
and read-only looks into a SQLite database that do not go through giftwatch (so they see what is really there).
"""
from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

FIRST_NAMES = ["Maria", "Tomas", "Aisha", "Henrik", "Leona", "Devika", "Ruth", "Kofi", "Ines", "Walter", "Priya",
               "Olwen", "Marcus", "Yara", "Benedikt", "Sunniva"]
FAMILY_NAMES = ["Achterberg", "Balogun", "Castellano", "Drummond", "Eskildsen", "Fairweather", "Grunewald",
                "Halloran", "Iwasaki", "Jablonski", "Kettleborough", "Lindqvist"]
RECIPIENTS = ["Riverside Children's Hospital", "Northgate Food Bank", "the Kestrel Valley Museum of Art",
              "Lakeshore Community College", "the Harbor Light Shelter", "Pinecrest Animal Rescue",
              "the Marlow Street Library", "Eastbrook Hospice"]
PURPOSES = ["a new neonatal unit", "scholarships for first-generation students", "a winter meals program",
            "repairs to its east wing", "a mobile clinic", "after-school tutoring"]
AMOUNTS = [5_000, 25_000, 100_000, 250_000, 1_500_000, 3_000_000]


def news_corpus(count: int, seed: int = 8) -> list[dict]:
    """`count` short wire stories, each announcing one gift with two quotes; ids wire-000, wire-001, ..."""
    rnd = random.Random(seed)
    records = []
    for n in range(count):
        first, family = rnd.choice(FIRST_NAMES), rnd.choice(FAMILY_NAMES)
        recipient, purpose, amount = rnd.choice(RECIPIENTS), rnd.choice(PURPOSES), rnd.choice(AMOUNTS)
        text = (f"The {family} Family Foundation has donated ${amount:,} to {recipient} for {purpose}, the charity "
                f"said on Tuesday.\n\n"
                f"“We wanted to give back to the place that gave our family so much,” said {first} {family}, who "
                f"chairs the foundation. “This is only the beginning.”\n\n"
                f"Volunteers at {recipient} said the money would arrive next month.")
        records.append({"id": f"wire-{n:03d}", "title": f"{family} foundation gives ${amount:,}",
                        "text": text, "published": "2025-03-04"})
    return records


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def read_only(db: Path) -> sqlite3.Connection:
    """A read-only connection that does not create or migrate anything."""
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)


def integrity(db: Path) -> str:
    with read_only(db) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def records_per_article(db: Path) -> dict[str, tuple[int, int]]:
    """{article id: (gifts, quotes)} as stored; an empty dict for a database without tables yet."""
    with read_only(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "articles" not in tables:
            return {}
        rows = conn.execute("""
            SELECT a.id, (SELECT COUNT(*) FROM gifts g WHERE g.article_id = a.id),
                   (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) FROM articles a""").fetchall()
    return {article_id: (gifts, quotes) for article_id, gifts, quotes in rows}
