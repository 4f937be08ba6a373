"""The SQLite store: one database file in WAL mode, with foreign keys on, so readers never block the writer."""
from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import resources
from typing import Any

from giftwatch.errors import StoreError
from giftwatch.records import Article, Gift, Quote

SCHEMA_VERSION = 1
# add_articles commits after this many articles or seconds, whichever comes first, so a long ingest neither
# loses much on a crash nor holds the write lock for long while the caller extracts the next article.
BATCH_ARTICLES = 200
BATCH_SECONDS = 2.0

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# A gift is filed under its own date, else its article's published date (first 10 chars: a timestamp becomes a day).
_GIFT_DATE = "substr(COALESCE(g.date, a.published), 1, 10)"
_PUBLISHED = "substr(a.published, 1, 10)"
# Partial ISO dates ("2018", "2018-02") cover a span. As strings, a partial date sorts before every day inside it,
# and the same date followed by "~" (after "9" and "-") sorts after every day inside it. So a span overlaps
# [since, until] exactly when  date || '~' >= since  and  date <= until || '~'.
_SINCE = "{expr} || '~' >= :since"
_UNTIL = "{expr} <= :until || '~'"
_GIFT_COLUMNS = (
    "recipient", "recipient_aliases", "donor_aliases", "amount", "amount_max", "currency", "amount_text", "kind",
    "date", "purpose", "in_name_of", "evidence", "evidence_start", "evidence_end")
_JSON_COLUMNS = ("recipient_aliases", "donor_aliases", "in_name_of")


def connect(path: str) -> sqlite3.Connection:
    """Open (creating if new) a giftwatch database, refusing files that are not one or are too new for us."""
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"Cannot open database {path}: {exc}. Check the path and its permissions.") from exc
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # the first read of the file: fails here if it is not SQLite
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        _prepare_schema(conn, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if "not a database" in str(exc):
            raise StoreError(
                f"{path} is not a SQLite database ({exc}). Point the store at a new file name or an existing "
                "giftwatch database (the --db option or $GIFTWATCH_DB).") from exc
        if "malformed" in str(exc):
            raise StoreError(f"{path} is a damaged SQLite database ({exc}). Restore it from a backup, or store "
                             "the articles again in a new file.") from exc
        raise StoreError(f"Cannot open database {path}: {exc}. {_advice(exc)}".rstrip()) from exc
    except BaseException:
        conn.close()
        raise
    conn.row_factory = sqlite3.Row
    conn.create_function("casefold", 1, _casefold, deterministic=True)
    return conn


def _prepare_schema(conn: sqlite3.Connection, path: str) -> None:
    """Create the schema in a new file; check the version of an existing one."""
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "schema_version" not in tables:
        if tables - {"sqlite_sequence"}:
            raise StoreError(
                f"{path} is a SQLite database but not a giftwatch one (it has tables {', '.join(sorted(tables))}). "
                "Choose another file for the giftwatch store.")
        schema = resources.files("giftwatch.store").joinpath("schema.sql").read_text(encoding="utf-8")
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{schema}\nCOMMIT;")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    version = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0]
    if version is None or version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} has giftwatch schema version {version}, but this giftwatch understands version "
            f"{SCHEMA_VERSION} only. Upgrade giftwatch to read it, or use another database file.")


def _casefold(value: Any) -> Any:
    """SQL function: Unicode case folding (SQLite's own lower() and LIKE fold ASCII only)."""
    return value.casefold() if isinstance(value, str) else value


def _advice(exc: sqlite3.Error) -> str:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return "Another process is writing to the database; try again when it has finished."
    if "readonly" in message or "read-only" in message:
        return "The database file or its directory is read-only; check their permissions."
    if "disk" in message or "full" in message:
        return "Check that the disk has free space and is working."
    return ""


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _number(value: Any) -> Any:
    """Whole floats as ints, the way records.Gift.to_dict writes amounts."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        raise StoreError(f"{name} must be an ISO date such as 2018, 2018-02 or 2018-02-14, not {value!r}.")


def _limit(limit: int | None) -> int:
    if limit is None:
        return -1  # SQLite: no limit
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise StoreError(f"limit must be a whole number of rows, 0 or more, not {limit!r}.")
    return limit


def _check_article(article: Article) -> None:
    """Refuse records that could not be stored faithfully, before anything of the article is written."""
    if not isinstance(article.id, str) or not article.id:
        raise StoreError(f"Every article needs a non-empty string id, not {article.id!r}.")

    def fail(what: str) -> None:
        raise StoreError(f"Article {article.id!r}: {what}. Fix the record and store it again.")

    if not isinstance(article.text, str):
        fail("text must be a string")
    for label, items in (("gift", article.gifts), ("quote", article.quotes)):
        if not isinstance(items, list):
            fail(f"{label}s must be a list")
    for n, gift in enumerate(article.gifts, 1):
        for key in ("amount", "amount_max"):
            value = getattr(gift, key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                fail(f"gift {n}: {key} must be a number or null, not {value!r}")
        for key in ("donors", "donor_aliases", "recipient_aliases", "in_name_of"):
            names = getattr(gift, key)
            if names is not None and not (isinstance(names, list) and all(isinstance(x, str) for x in names)):
                fail(f"gift {n}: {key} must be a list of names")
    for n, quote in enumerate(article.quotes, 1):
        if not isinstance(quote.text, str):
            fail(f"quote {n}: text must be a string")
        if quote.speakers is not None and not (
                isinstance(quote.speakers, list) and all(isinstance(x, str) for x in quote.speakers)):
            fail(f"quote {n}: speakers must be a list of names")


class SqliteStore:
    """Articles with their gifts and quotes in one SQLite file. Use as a context manager, or call close()."""

    def __init__(self, path: str):
        self.path = path
        self._connection: sqlite3.Connection | None = connect(path)

    def __enter__(self) -> "SqliteStore":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteStore({self.path!r})"

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise StoreError(f"The store {self.path} is closed; open it again with open_store().")
        return self._connection

    @contextmanager
    def _sql_errors(self, action: str) -> Iterator[None]:
        """Turn SQLite's errors into StoreError saying what we were doing and what to try."""
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"Could not {action} in {self.path}: {exc}. {_advice(exc)}".rstrip()) from exc

    # ---- writing -------------------------------------------------------------------------------------------

    def add_article(self, article: Article) -> str:
        """Store one article in its own transaction: "added", "unchanged" or "updated"."""
        counts = self.add_articles([article])
        return next(outcome for outcome, n in counts.items() if n)

    def add_articles(self, articles: Iterable[Article]) -> dict[str, int]:
        """Store many articles, committing in batches. Each article is stored whole or not at all: if one fails
        (or the iterable raises), the articles before it stay stored and the error propagates."""
        counts = {"added": 0, "unchanged": 0, "updated": 0}
        conn = self._conn
        with self._sql_errors("store articles"):
            conn.execute("BEGIN IMMEDIATE")
            pending, started = 0, time.monotonic()
            try:
                for article in articles:
                    counts[self._add_one(article)] += 1
                    pending += 1
                    if pending >= BATCH_ARTICLES or time.monotonic() - started >= BATCH_SECONDS:
                        conn.execute("COMMIT")
                        conn.execute("BEGIN IMMEDIATE")
                        pending, started = 0, time.monotonic()
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        return counts

    def stored_text_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """{id: sha256 of the stored text} for those of `article_ids` already stored: lets an ingest skip
        the parse of articles it has seen (resuming an interrupted run costs no re-extraction)."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._conn.execute(f"SELECT id, text_sha256 FROM articles WHERE id IN ({marks})", chunk):
                found[row[0]] = row[1]
        return found

    def _add_one(self, article: Article) -> str:
        """Write one article inside a savepoint, so a failure leaves none of its rows behind."""
        _check_article(article)
        conn = self._conn
        conn.execute("SAVEPOINT article")
        try:
            outcome = self._write(article)
        except BaseException:
            conn.execute("ROLLBACK TO article")
            conn.execute("RELEASE article")
            raise
        conn.execute("RELEASE article")
        return outcome

    def _write(self, article: Article) -> str:
        conn = self._conn
        record_sha256 = _sha256(json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False))
        stored = conn.execute("SELECT record_sha256 FROM articles WHERE id = ?", (article.id,)).fetchone()
        if stored is not None and stored[0] == record_sha256:
            return "unchanged"
        if stored is not None:
            conn.execute("DELETE FROM articles WHERE id = ?", (article.id,))  # cascades to gifts and quotes
        conn.execute(
            "INSERT INTO articles (id, source, url, published, title, text, text_sha256, record_sha256, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.source, article.url, article.published, article.title, article.text,
             _sha256(article.text), record_sha256, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        gift_sql = (f"INSERT INTO gifts (article_id, position, {', '.join(_GIFT_COLUMNS)})"
                    f" VALUES (?, ?, {', '.join('?' * len(_GIFT_COLUMNS))})")
        for position, gift in enumerate(article.gifts):
            values = [json.dumps(getattr(gift, c), ensure_ascii=False) if c in _JSON_COLUMNS else getattr(gift, c)
                      for c in _GIFT_COLUMNS]
            gift_id = conn.execute(gift_sql, (article.id, position, *values)).lastrowid
            conn.executemany("INSERT INTO gift_donors (gift_id, position, name) VALUES (?, ?, ?)",
                             [(gift_id, n, name) for n, name in enumerate(gift.donors or [])])
        for position, quote in enumerate(article.quotes):
            quote_id = conn.execute(
                'INSERT INTO quotes (article_id, position, text, speaker_role, cue, "start", "end")'
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (article.id, position, quote.text, quote.speaker_role, quote.cue, quote.start, quote.end)).lastrowid
            conn.executemany("INSERT INTO quote_speakers (quote_id, position, name) VALUES (?, ?, ?)",
                             [(quote_id, n, name) for n, name in enumerate(quote.speakers or [])])
        return "added" if stored is None else "updated"

    # ---- reading -------------------------------------------------------------------------------------------

    def _rows(self, sql: str, params: dict[str, Any]) -> list[sqlite3.Row]:
        with self._sql_errors("read"):
            return self._conn.execute(sql, params).fetchall()

    def counts(self) -> dict[str, int]:
        """How many articles, gifts and quotes are stored."""
        return {table: self._rows(f"SELECT COUNT(*) FROM {table}", {})[0][0]
                for table in ("articles", "gifts", "quotes")}

    def gifts(self, *, donor: str | None = None, recipient: str | None = None, since: str | None = None,
              until: str | None = None, min_amount: float | None = None, kind: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
        """Gifts matching every filter given, newest first, then largest first."""
        where, params = self._gift_filters(donor=donor, recipient=recipient, since=since, until=until,
                                           min_amount=min_amount, kind=kind)
        params["limit"] = _limit(limit)
        rows = self._rows(f"""
            SELECT g.id AS gift_id, g.article_id,
                   (SELECT json_group_array(name) FROM
                        (SELECT name FROM gift_donors WHERE gift_id = g.id ORDER BY position)) AS donors,
                   g.donor_aliases, g.recipient, g.recipient_aliases, g.amount, g.amount_max, g.currency,
                   g.amount_text, g.kind, g.date, g.purpose, g.in_name_of, g.evidence,
                   a.published, a.title, a.source
            FROM gifts g JOIN articles a ON a.id = g.article_id
            WHERE {' AND '.join(where)}
            ORDER BY {_GIFT_DATE} IS NULL, {_GIFT_DATE} DESC, g.amount IS NULL, g.amount DESC,
                     g.article_id, g.position
            LIMIT :limit""", params)
        gifts = []
        for row in rows:
            gift = dict(row)
            for key in ("donors", *_JSON_COLUMNS):
                gift[key] = json.loads(gift[key])
            gift["amount"], gift["amount_max"] = _number(gift["amount"]), _number(gift["amount_max"])
            gifts.append(gift)
        return gifts

    def _gift_filters(self, *, donor: str | None, recipient: str | None, since: str | None, until: str | None,
                      min_amount: float | None, kind: str | None,
                      donor_column: str | None = None) -> tuple[list[str], dict[str, Any]]:
        """SQL conditions on gifts g joined to articles a. `donor_column` matches one donor row instead of any."""
        _check_date("since", since)
        _check_date("until", until)
        where, params = ["1"], {}
        if donor:
            named = (f"instr(casefold({donor_column}), :donor)" if donor_column else
                     "EXISTS (SELECT 1 FROM gift_donors d WHERE d.gift_id = g.id AND instr(casefold(d.name), :donor))")
            where.append(f"({named} OR EXISTS (SELECT 1 FROM json_each(g.donor_aliases) j"
                         " WHERE instr(casefold(j.value), :donor)))")
            params["donor"] = donor.casefold()
        if recipient:
            where.append("(instr(casefold(g.recipient), :recipient) OR EXISTS (SELECT 1 FROM"
                         " json_each(g.recipient_aliases) j WHERE instr(casefold(j.value), :recipient)))")
            params["recipient"] = recipient.casefold()
        if since:
            where.append(_SINCE.format(expr=_GIFT_DATE))
            params["since"] = since
        if until:
            where.append(_UNTIL.format(expr=_GIFT_DATE))
            params["until"] = until
        if min_amount is not None:
            where.append("g.amount >= :min_amount")
            params["min_amount"] = min_amount
        if kind:
            where.append("g.kind = :kind COLLATE NOCASE")
            params["kind"] = kind
        return where, params

    def quotes(self, *, speaker: str | None = None, since: str | None = None, until: str | None = None,
               text: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes matching every filter given (dates are the article's published date), newest first."""
        _check_date("since", since)
        _check_date("until", until)
        where, params = ["1"], {"limit": _limit(limit)}
        if speaker:
            where.append("EXISTS (SELECT 1 FROM quote_speakers s WHERE s.quote_id = q.id"
                         " AND instr(casefold(s.name), :speaker))")
            params["speaker"] = speaker.casefold()
        if text:
            where.append("instr(casefold(q.text), :text)")
            params["text"] = text.casefold()
        if since:
            where.append(_SINCE.format(expr=_PUBLISHED))
            params["since"] = since
        if until:
            where.append(_UNTIL.format(expr=_PUBLISHED))
            params["until"] = until
        rows = self._rows(f"""
            SELECT q.id AS quote_id, q.article_id, q.text,
                   (SELECT json_group_array(name) FROM
                        (SELECT name FROM quote_speakers WHERE quote_id = q.id ORDER BY position)) AS speakers,
                   q.speaker_role, q.cue, q."start" AS "start", q."end" AS "end", a.published, a.title, a.source
            FROM quotes q JOIN articles a ON a.id = q.article_id
            WHERE {' AND '.join(where)}
            ORDER BY {_PUBLISHED} IS NULL, {_PUBLISHED} DESC, q.article_id, q.position
            LIMIT :limit""", params)
        return [{**dict(row), "speakers": json.loads(row["speakers"])} for row in rows]

    def donors(self, *, donor: str | None = None, since: str | None = None, until: str | None = None,
               min_amount: float | None = None, kind: str | None = None,
               limit: int | None = None) -> list[dict[str, Any]]:
        """One row per donor name (grouped case-insensitively) over the gifts matching the filters, biggest USD
        giver first. `donor` matches the donor's name or an alias the gift was given through; totals add up each
        gift's stated (lower) amount per currency; donors with no USD total come last."""
        where, params = self._gift_filters(donor=donor, recipient=None, since=since, until=until,
                                           min_amount=min_amount, kind=kind, donor_column="gd.name")
        rows = self._rows(f"""
            SELECT gd.name, g.id AS gift_id, g.recipient, g.amount, g.currency, {_GIFT_DATE} AS date
            FROM gift_donors gd JOIN gifts g ON g.id = gd.gift_id JOIN articles a ON a.id = g.article_id
            WHERE {' AND '.join(where)}
            ORDER BY {_GIFT_DATE} IS NULL, {_GIFT_DATE}, g.id""", params)
        groups: dict[str, dict[str, Any]] = {}
        for row in rows:
            group = groups.setdefault(row["name"].casefold(), {
                "spellings": Counter(), "gift_ids": set(), "totals": {}, "recipients": {}, "dates": []})
            group["spellings"][row["name"]] += 1
            if row["gift_id"] in group["gift_ids"]:
                continue  # the same donor named twice on one gift counts once
            group["gift_ids"].add(row["gift_id"])
            if row["amount"] is not None:
                currency = row["currency"] or "unknown"
                group["totals"][currency] = group["totals"].get(currency, 0) + row["amount"]
            if row["recipient"]:
                group["recipients"].setdefault(row["recipient"].casefold(), row["recipient"])
            if row["date"]:
                group["dates"].append(row["date"])
        donors = []
        for group in groups.values():
            totals = {currency: _number(total) for currency, total in group["totals"].items()}
            donors.append({
                # the commonest spelling, preferring "Maria Delgado" over "maria delgado" or "MARIA DELGADO"
                "donor": max(group["spellings"], key=lambda name: (
                    group["spellings"][name], name not in (name.lower(), name.upper()))),
                "gifts": len(group["gift_ids"]),
                "totals": totals,
                "total_usd": totals.get("USD"),
                "recipients": list(group["recipients"].values()),
                "first_date": min(group["dates"], default=None),
                "last_date": max(group["dates"], default=None),
            })
        donors.sort(key=lambda d: (d["total_usd"] is None, -(d["total_usd"] or 0), -d["gifts"], d["donor"].casefold()))
        return donors if limit is None else donors[:_limit(limit)]

    def get_article(self, article_id: str) -> Article | None:
        """The stored article as a FORMAT.md record, or None if no article has this id."""
        row = self._rows("SELECT id, source, url, published, title, text FROM articles WHERE id = :id",
                         {"id": article_id})
        if not row:
            return None
        article = Article(**dict(row[0]))
        params = {"id": article_id}
        donors: dict[int, list[str]] = {}
        for d in self._rows("SELECT gift_id, name FROM gift_donors WHERE gift_id IN"
                            " (SELECT id FROM gifts WHERE article_id = :id) ORDER BY gift_id, position", params):
            donors.setdefault(d["gift_id"], []).append(d["name"])
        for g in self._rows(f"SELECT id, {', '.join(_GIFT_COLUMNS)} FROM gifts WHERE article_id = :id"
                            " ORDER BY position", params):
            fields = {c: json.loads(g[c]) if c in _JSON_COLUMNS else g[c] for c in _GIFT_COLUMNS}
            article.gifts.append(Gift(donors=donors.get(g["id"], []), **fields))
        speakers: dict[int, list[str]] = {}
        for s in self._rows("SELECT quote_id, name FROM quote_speakers WHERE quote_id IN"
                            " (SELECT id FROM quotes WHERE article_id = :id) ORDER BY quote_id, position", params):
            speakers.setdefault(s["quote_id"], []).append(s["name"])
        for q in self._rows('SELECT id, text, speaker_role, cue, "start", "end" FROM quotes WHERE article_id = :id'
                            " ORDER BY position", params):
            article.quotes.append(Quote(text=q["text"], speakers=speakers.get(q["id"], []),
                                        speaker_role=q["speaker_role"], cue=q["cue"], start=q["start"], end=q["end"]))
        return article
