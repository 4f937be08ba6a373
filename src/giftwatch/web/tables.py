"""The web layer's own tables, kept in the store's SQLite file beside its tables and created on first use.

They hold what only the web layer writes: access tokens (hashed), user corrections, name merges, and
extractions waiting for the user to confirm them. The store's tables are never altered: corrections are laid
over its rows on read, so ingesting an article again cannot lose them. Everything here is SQL on one
connection; giftwatch.web.queries is the surface the pages and the API call.
"""
from __future__ import annotations

import hashlib
import json
import secrets
import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Any

from giftwatch.errors import StoreError

SCHEMA = """
CREATE TABLE IF NOT EXISTS web_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    token_sha256  TEXT NOT NULL UNIQUE,   -- only the hash is kept: the token is shown once, when created
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE TABLE IF NOT EXISTS user_edits (
    id          INTEGER PRIMARY KEY,
    target      TEXT NOT NULL CHECK (target IN ('gift', 'quote')),
    article_id  TEXT NOT NULL,
    position    INTEGER NOT NULL,       -- the record's place in its article's list when it was corrected
    anchor      TEXT NOT NULL,          -- its evidence (gift) or text (quote): finds it after re-extraction
    field       TEXT NOT NULL,
    value       TEXT NOT NULL,          -- JSON
    extracted   TEXT NOT NULL,          -- JSON: what extraction said when the user corrected it
    created_at  TEXT NOT NULL,
    token_id    INTEGER
);
CREATE INDEX IF NOT EXISTS user_edits_article ON user_edits (target, article_id);
CREATE TABLE IF NOT EXISTS user_merges (
    name_key    TEXT PRIMARY KEY,       -- casefolded name merged away
    name        TEXT NOT NULL,
    into_name   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    token_id    INTEGER
);
CREATE TABLE IF NOT EXISTS web_pending (
    id          TEXT PRIMARY KEY,       -- unguessable: only whoever ran the extraction can confirm it
    created_at  TEXT NOT NULL,
    payload     TEXT NOT NULL           -- JSON: {"articles": [FORMAT.md records], "problems": [...]}
);
"""
PENDING_HOURS = 24
TOKEN_PREFIX = "gw_"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def connect(path: str) -> sqlite3.Connection:
    """A second connection to the store's file, with the web tables created if missing."""
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.create_function("casefold", 1, lambda v: v.casefold() if isinstance(v, str) else v,
                             deterministic=True)
        have = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"web_tokens", "user_edits", "user_merges", "web_pending"} <= have:
            conn.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA}\nCOMMIT;")
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot prepare the web tables in {path}: {exc}. Check that the file is a giftwatch "
                         "database and is writable.") from exc
    return conn


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(conn: sqlite3.Connection, name: str) -> tuple[int, str]:
    """A new random token; only its hash is stored, so it is returned once and cannot be shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row_id = conn.execute("INSERT INTO web_tokens (name, token_sha256, created_at) VALUES (?, ?, ?)",
                          (name, _hash(token), now())).lastrowid
    return int(row_id), token


def check_token(conn: sqlite3.Connection, token: str | None) -> int | None:
    """The id of the valid (unrevoked) token, else None. Notes when it was last used, at most once a minute."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = conn.execute("SELECT id, last_used_at FROM web_tokens WHERE token_sha256 = ? AND revoked_at IS NULL",
                       (_hash(token),)).fetchone()
    if row is None:
        return None
    stamp = now()
    if row["last_used_at"] is None or row["last_used_at"][:16] != stamp[:16]:
        try:
            conn.execute("UPDATE web_tokens SET last_used_at = ? WHERE id = ?", (stamp, row["id"]))
        except sqlite3.OperationalError:
            pass  # the database is busy: the last-used time is a courtesy, not worth failing a request over
    return int(row["id"])


def list_tokens(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return [dict(row) for row in conn.execute(
        "SELECT id, name, created_at, last_used_at, revoked_at FROM web_tokens ORDER BY id")]


def revoke_token(conn: sqlite3.Connection, token_id: int) -> bool:
    cursor = conn.execute("UPDATE web_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                          (now(), token_id))
    return cursor.rowcount > 0


def save_pending(conn: sqlite3.Connection, payload: dict[str, Any]) -> str:
    """Keep an extraction until the user confirms it; extractions older than a day are dropped."""
    pending_id = secrets.token_urlsafe(16)
    cutoff = (datetime.now(timezone.utc) - timedelta(hours=PENDING_HOURS)).isoformat(timespec="seconds")
    conn.execute("DELETE FROM web_pending WHERE created_at < ?", (cutoff,))
    conn.execute("INSERT INTO web_pending (id, created_at, payload) VALUES (?, ?, ?)",
                 (pending_id, now(), json.dumps(payload, ensure_ascii=False)))
    return pending_id


def load_pending(conn: sqlite3.Connection, pending_id: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT payload FROM web_pending WHERE id = ?", (pending_id,)).fetchone()
    return json.loads(row["payload"]) if row else None


def drop_pending(conn: sqlite3.Connection, pending_id: str) -> None:
    conn.execute("DELETE FROM web_pending WHERE id = ?", (pending_id,))
