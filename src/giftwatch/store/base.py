"""What every SQL store does, written once for SQLite and PostgreSQL: storing articles (idempotently, each
whole or not at all) and the gifts/quotes/donors queries. A backend supplies the connection, its Dialect and
how it opens transactions."""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from giftwatch.errors import StoreError
from giftwatch.records import Article, Gift, Quote
from giftwatch.store.checks import check_article, check_date, check_limit, number, sha256
from giftwatch.store.dialect import Dialect
from giftwatch.store.features import StoreFeatures

# add_articles writes after this many articles or seconds, whichever comes first, so a long ingest loses little
# on a crash. The write lock is taken only to write a batch, never while the caller extracts the next article:
# held across extraction it starved every other writer (web corrections, `giftwatch token create`, entity
# rebuilds), whose busy timeout cannot win the instant between one batch's COMMIT and the next BEGIN.
BATCH_ARTICLES = 200
BATCH_SECONDS = 2.0

# A gift is filed under its own date, else its article's published date (first 10 chars: a timestamp becomes a day).
GIFT_DATE = "substr(COALESCE(g.date, a.published), 1, 10)"
PUBLISHED = "substr(a.published, 1, 10)"
GIFT_COLUMNS = (
    "recipient", "recipient_aliases", "donor_aliases", "amount", "amount_max", "currency", "amount_text", "kind",
    "date", "purpose", "in_name_of", "evidence", "evidence_start", "evidence_end")
JSON_COLUMNS = ("recipient_aliases", "donor_aliases", "in_name_of")


class SqlStore(StoreFeatures):
    """Articles with their gifts and quotes. Use as a context manager, or call close()."""

    dialect: Dialect
    path: str
    _connection: Any = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.path!r})"

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    @property
    def _conn(self) -> Any:
        if self._connection is None:
            raise StoreError(f"The store {self.path} is closed; open it again with open_store().")
        return self._connection

    # ---- what a backend provides ---------------------------------------------------------------------------

    def _begin_write(self) -> None:
        raise NotImplementedError

    def _in_transaction(self) -> bool:
        raise NotImplementedError

    def _advice(self, exc: Exception) -> str:
        return ""

    _driver_errors: tuple[type[Exception], ...] = ()

    # ---- running SQL ---------------------------------------------------------------------------------------

    def _execute(self, sql: str, params: Any = ()) -> Any:
        return self._conn.execute(self.dialect.sql(sql), params)

    def _executemany(self, sql: str, rows: list) -> None:
        if rows:
            self._conn.cursor().executemany(self.dialect.sql(sql), rows)

    def _rows(self, sql: str, params: Any = ()) -> list[dict[str, Any]]:
        with self._sql_errors("read"):
            return [dict(row) for row in self._execute(sql, params).fetchall()]

    @contextmanager
    def _sql_errors(self, action: str) -> Iterator[None]:
        """Turn the driver's errors into StoreError saying what we were doing and what to try."""
        try:
            yield
        except self._driver_errors as exc:
            raise StoreError(f"Could not {action} in {self.path}: {exc}. {self._advice(exc)}".rstrip()) from exc

    @contextmanager
    def _write_transaction(self, action: str) -> Iterator[None]:
        """One transaction: committed if the block succeeds, rolled back if it raises."""
        with self._sql_errors(action):
            self._begin_write()
            try:
                yield
            except BaseException:
                if self._in_transaction():
                    self._execute("ROLLBACK")
                raise
            self._execute("COMMIT")

    # ---- writing -------------------------------------------------------------------------------------------

    def add_article(self, article: Article) -> str:
        """Store one article in its own transaction: "added", "unchanged" or "updated"."""
        counts = self.add_articles([article])
        return next(outcome for outcome, n in counts.items() if n)

    def add_articles(self, articles: Iterable[Article]) -> dict[str, int]:
        """Store many articles, in batches each written in one short transaction. Each article is stored whole or
        not at all: if one fails (or the iterable raises), the articles before it are stored and the error
        propagates."""
        counts = {"added": 0, "unchanged": 0, "updated": 0}
        batch: list[Article] = []
        started = time.monotonic()
        try:
            for article in articles:
                batch.append(article)
                if len(batch) >= BATCH_ARTICLES or time.monotonic() - started >= BATCH_SECONDS:
                    self._write_batch(batch, counts)
                    batch, started = [], time.monotonic()
        finally:
            if batch:
                self._write_batch(batch, counts)
        return counts

    def _write_batch(self, batch: list[Article], counts: dict[str, int]) -> None:
        """One transaction for the batch; if an article fails, the ones before it are committed."""
        with self._sql_errors("store articles"):
            self._begin_write()
            try:
                for article in batch:
                    counts[self._add_one(article)] += 1
            finally:
                if self._in_transaction():
                    self._execute("COMMIT")

    def stored_text_hashes(self, article_ids: Iterable[str]) -> dict[str, str]:
        """{id: sha256 of the stored text} for those of `article_ids` already stored: lets an ingest skip
        the parse of articles it has seen (resuming an interrupted run costs no re-extraction)."""
        ids = list(dict.fromkeys(article_ids))
        found: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._rows(f"SELECT id, text_sha256 FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = row["text_sha256"]
        return found

    def _add_one(self, article: Article) -> str:
        """Write one article inside a savepoint, so a failure leaves none of its rows behind."""
        check_article(article)
        self._execute("SAVEPOINT article")
        try:
            outcome = self._write(article)
        except BaseException:
            self._execute("ROLLBACK TO SAVEPOINT article")
            self._execute("RELEASE SAVEPOINT article")
            raise
        self._execute("RELEASE SAVEPOINT article")
        return outcome

    def _storable(self, article: Article) -> Article:
        """The article as this backend can hold it (PostgreSQL: without NUL characters)."""
        return article

    def _write(self, article: Article) -> str:
        record_sha256 = sha256(json.dumps(article.to_dict(), sort_keys=True, ensure_ascii=False))
        text_sha256 = sha256(article.text)   # of the record as given, so giving it again changes nothing
        stored = self._execute("SELECT record_sha256 FROM articles WHERE id = ?", (article.id,)).fetchone()
        if stored is not None and _first(stored) == record_sha256:
            return "unchanged"
        if stored is not None:
            self._execute("DELETE FROM articles WHERE id = ?", (article.id,))  # cascades to gifts and quotes
        article = self._storable(article)
        self._execute(
            "INSERT INTO articles (id, source, url, published, title, text, text_sha256, record_sha256, ingested_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.source, article.url, article.published, article.title, article.text,
             text_sha256, record_sha256, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        gift_sql = (f"INSERT INTO gifts (article_id, position, {', '.join(GIFT_COLUMNS)})"
                    f" VALUES (?, ?, {', '.join('?' * len(GIFT_COLUMNS))}) RETURNING id")
        for position, gift in enumerate(article.gifts):
            values = [json.dumps(getattr(gift, c), ensure_ascii=False) if c in JSON_COLUMNS else getattr(gift, c)
                      for c in GIFT_COLUMNS]
            gift_id = _first(self._execute(gift_sql, (article.id, position, *values)).fetchone())
            self._executemany("INSERT INTO gift_donors (gift_id, position, name) VALUES (?, ?, ?)",
                              [(gift_id, n, name) for n, name in enumerate(gift.donors or [])])
        for position, quote in enumerate(article.quotes):
            quote_id = _first(self._execute(
                'INSERT INTO quotes (article_id, position, text, speaker_role, cue, "start", "end")'
                " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (article.id, position, quote.text, quote.speaker_role, quote.cue, quote.start,
                 quote.end)).fetchone())
            self._executemany("INSERT INTO quote_speakers (quote_id, position, name) VALUES (?, ?, ?)",
                              [(quote_id, n, name) for n, name in enumerate(quote.speakers or [])])
        self._execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
        return "added" if stored is None else "updated"

    # ---- reading -------------------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """How many articles, gifts and quotes are stored."""
        return {table: self._rows(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]
                for table in ("articles", "gifts", "quotes")}

    def _names(self, table: str, key: str, ids: list[int]) -> dict[int, list[str]]:
        """{gift or quote id: its donor or speaker names in order}."""
        names: dict[int, list[str]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self._rows(f"SELECT {key} AS owner, name FROM {table} WHERE {key} IN"
                                  f" ({','.join('?' * len(chunk))}) ORDER BY {key}, position", chunk):
                names[row["owner"]].append(row["name"])
        return names

    def gifts(self, *, donor: str | None = None, recipient: str | None = None, since: str | None = None,
              until: str | None = None, min_amount: float | None = None, kind: str | None = None,
              limit: int | None = None) -> list[dict[str, Any]]:
        """Gifts matching every filter given, newest first, then largest first."""
        where, params = self._gift_filters(donor=donor, recipient=recipient, since=since, until=until,
                                           min_amount=min_amount, kind=kind)
        date = self.dialect.compare(GIFT_DATE)
        rows = self._rows(f"""
            SELECT g.id AS gift_id, g.article_id, g.donor_aliases, g.recipient, g.recipient_aliases, g.amount,
                   g.amount_max, g.currency, g.amount_text, g.kind, g.date, g.purpose, g.in_name_of, g.evidence,
                   a.published, a.title, a.source
            FROM gifts g JOIN articles a ON a.id = g.article_id
            WHERE {' AND '.join(where)}
            ORDER BY {GIFT_DATE} IS NULL, {date} DESC, g.amount IS NULL, g.amount DESC, g.article_id, g.position
            {self.dialect.limit(check_limit(limit))}""", params)
        donors = self._names("gift_donors", "gift_id", [r["gift_id"] for r in rows])
        gifts = []
        for row in rows:
            gift = {"gift_id": row["gift_id"], "article_id": row["article_id"], "donors": donors[row["gift_id"]],
                    **{k: v for k, v in row.items() if k not in ("gift_id", "article_id")}}
            for key in JSON_COLUMNS:
                gift[key] = json.loads(gift[key])
            gift["amount"], gift["amount_max"] = number(gift["amount"]), number(gift["amount_max"])
            gifts.append(gift)
        return gifts

    def _gift_filters(self, *, donor: str | None, recipient: str | None, since: str | None, until: str | None,
                      min_amount: float | None, kind: str | None,
                      donor_column: str | None = None) -> tuple[list[str], dict[str, Any]]:
        """SQL conditions on gifts g joined to articles a. `donor_column` matches one donor row instead of any."""
        check_date("since", since)
        check_date("until", until)
        where, params = ["1 = 1"], {}
        aliases = self.dialect.json_values
        if donor:
            named = (f"instr(casefold({donor_column}), :donor) > 0" if donor_column else
                     "EXISTS (SELECT 1 FROM gift_donors d WHERE d.gift_id = g.id"
                     " AND instr(casefold(d.name), :donor) > 0)")
            where.append(f"({named} OR EXISTS (SELECT 1 FROM {aliases('g.donor_aliases')}"
                         " WHERE instr(casefold(j.value), :donor) > 0))")
            params["donor"] = donor.casefold()
        if recipient:
            where.append(f"(instr(casefold(g.recipient), :recipient) > 0 OR EXISTS (SELECT 1 FROM"
                         f" {aliases('g.recipient_aliases')} WHERE instr(casefold(j.value), :recipient) > 0))")
            params["recipient"] = recipient.casefold()
        self._date_filters(GIFT_DATE, since, until, where, params)
        if min_amount is not None:
            where.append("g.amount >= :min_amount")
            params["min_amount"] = min_amount
        if kind:
            where.append("casefold(g.kind) = :kind")
            params["kind"] = kind.casefold()
        return where, params

    def _date_filters(self, expr: str, since: str | None, until: str | None, where: list[str],
                      params: dict[str, Any]) -> None:
        """Partial ISO dates ("2018", "2018-02") cover a span. As strings, a partial date sorts before every day
        inside it, and the same date followed by "~" (after "9" and "-") sorts after every day inside it. So a
        span overlaps [since, until] exactly when  date || '~' >= since  and  date <= until || '~'."""
        if since:
            spans_to = self.dialect.compare(f"{expr} || '~'")
            where.append(f"{spans_to} >= :since")
            params["since"] = since
        if until:
            where.append(f"{self.dialect.compare(expr)} <= :until_end")
            params["until_end"] = until + "~"

    def quotes(self, *, speaker: str | None = None, since: str | None = None, until: str | None = None,
               text: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Quotes matching every filter given (dates are the article's published date), newest first."""
        check_date("since", since)
        check_date("until", until)
        where, params = ["1 = 1"], {}
        if speaker:
            where.append("EXISTS (SELECT 1 FROM quote_speakers s WHERE s.quote_id = q.id"
                         " AND instr(casefold(s.name), :speaker) > 0)")
            params["speaker"] = speaker.casefold()
        if text:
            where.append("instr(casefold(q.text), :text) > 0")
            params["text"] = text.casefold()
        self._date_filters(PUBLISHED, since, until, where, params)
        rows = self._rows(f"""
            SELECT q.id AS quote_id, q.article_id, q.text, q.speaker_role, q.cue, q."start" AS "start",
                   q."end" AS "end", a.published, a.title, a.source
            FROM quotes q JOIN articles a ON a.id = q.article_id
            WHERE {' AND '.join(where)}
            ORDER BY {PUBLISHED} IS NULL, {self.dialect.compare(PUBLISHED)} DESC, q.article_id, q.position
            {self.dialect.limit(check_limit(limit))}""", params)
        speakers = self._names("quote_speakers", "quote_id", [r["quote_id"] for r in rows])
        return [{"quote_id": r["quote_id"], "article_id": r["article_id"], "text": r["text"],
                 "speakers": speakers[r["quote_id"]], **{k: r[k] for k in (
                     "speaker_role", "cue", "start", "end", "published", "title", "source")}} for r in rows]

    def donors(self, *, donor: str | None = None, since: str | None = None, until: str | None = None,
               min_amount: float | None = None, kind: str | None = None,
               limit: int | None = None) -> list[dict[str, Any]]:
        """One row per donor name (grouped case-insensitively) over the gifts matching the filters, biggest USD
        giver first. `donor` matches the donor's name or an alias the gift was given through; totals add up each
        gift's stated (lower) amount per currency; donors with no USD total come last. (Names, not entities:
        see profiles for totals over deduplicated gifts.)"""
        where, params = self._gift_filters(donor=donor, recipient=None, since=since, until=until,
                                           min_amount=min_amount, kind=kind, donor_column="gd.name")
        rows = self._rows(f"""
            SELECT gd.name, g.id AS gift_id, g.recipient, g.amount, g.currency, {GIFT_DATE} AS date
            FROM gift_donors gd JOIN gifts g ON g.id = gd.gift_id JOIN articles a ON a.id = g.article_id
            WHERE {' AND '.join(where)}
            ORDER BY {GIFT_DATE} IS NULL, {self.dialect.compare(GIFT_DATE)}, g.id""", params)
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
            totals = {currency: number(total) for currency, total in group["totals"].items()}
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
        return donors if limit is None else donors[:check_limit(limit)]

    def get_article(self, article_id: str) -> Article | None:
        """The stored article as a FORMAT.md record, or None if no article has this id."""
        articles = self._load_articles("a.id = :id", {"id": article_id})
        return articles[0] if articles else None

    def _load_articles(self, where: str = "1 = 1", params: dict[str, Any] | None = None) -> list[Article]:
        """Articles as FORMAT.md records, with their gifts and quotes, in five queries whatever their number."""
        params = params or {}
        articles = {r["id"]: Article(**r) for r in self._rows(
            f"SELECT a.id, a.source, a.url, a.published, a.title, a.text FROM articles a WHERE {where}"
            " ORDER BY a.id", params)}
        scope = f"article_id IN (SELECT a.id FROM articles a WHERE {where})"
        donors: dict[int, list[str]] = {}
        for d in self._rows(f"SELECT gift_id, name FROM gift_donors WHERE gift_id IN (SELECT id FROM gifts WHERE"
                            f" {scope}) ORDER BY gift_id, position", params):
            donors.setdefault(d["gift_id"], []).append(d["name"])
        for g in self._rows(f"SELECT id, article_id, {', '.join(GIFT_COLUMNS)} FROM gifts WHERE {scope}"
                            " ORDER BY article_id, position", params):
            fields = {c: json.loads(g[c]) if c in JSON_COLUMNS else g[c] for c in GIFT_COLUMNS}
            articles[g["article_id"]].gifts.append(Gift(donors=donors.get(g["id"], []), **fields))
        speakers: dict[int, list[str]] = {}
        for s in self._rows(f"SELECT quote_id, name FROM quote_speakers WHERE quote_id IN (SELECT id FROM quotes"
                            f" WHERE {scope}) ORDER BY quote_id, position", params):
            speakers.setdefault(s["quote_id"], []).append(s["name"])
        for q in self._rows(f'SELECT id, article_id, text, speaker_role, cue, "start", "end" FROM quotes'
                            f" WHERE {scope} ORDER BY article_id, position", params):
            articles[q["article_id"]].quotes.append(Quote(
                text=q["text"], speakers=speakers.get(q["id"], []), speaker_role=q["speaker_role"], cue=q["cue"],
                start=q["start"], end=q["end"]))
        return list(articles.values())


def _first(row: Any) -> Any:
    """The first column of a row, whether the driver gives tuples, sqlite3.Rows or dicts."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
