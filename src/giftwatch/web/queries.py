"""The one query surface of the web pages and the REST API: both call these methods and nothing else.

Reading goes through the store's own queries (giftwatch.store: gifts, quotes, get_article) wherever they
exist; what the store does not offer yet (search over article text, per-name profiles, corrections, tokens)
is here, over the same SQLite file. Every row is returned with the user's corrections and name merges laid
over it, so every page, filter, total and export shows the corrected record.

    with WebQueries("giftwatch.db") as queries:
        queries.gift_page(GiftFilters.parse(donor="brandt"), sort="amount", order="desc", page=1, per_page=25)
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from giftwatch.errors import StoreError
from giftwatch.records import Article
from giftwatch.store import open_store
from giftwatch.web import tables
from giftwatch.web.causes import cause_of
from giftwatch.web.corrections import (
    Merges, apply_edits, apply_merges, check_gift_changes, check_merge, check_quote_changes, locate)
from giftwatch.web.errors import InvalidInput, NotFound
from giftwatch.web.filters import GiftFilters, sort_gifts
from giftwatch.web.highlight import evidence_pieces, snippet
from giftwatch.web.profiles import donor_names, profile, recipient_names, summarize

SEARCH_LIMIT = 20
# What identifies a record across re-extraction, per kind: its table and anchor column.
_KINDS = {"gift": ("gifts", "evidence"), "quote": ("quotes", "text")}


def _page(items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    pages = max(1, -(-len(items) // per_page))
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "total": len(items), "page": page, "per_page": per_page,
            "pages": pages}


class WebQueries:
    """Open per request (SQLite connections belong to one thread); close it, or use it in a `with` block."""

    def __init__(self, db: str):
        if str(db).startswith(("postgresql://", "postgres://")):
            raise StoreError("The web application serves SQLite databases for now (its corrections and tokens live "
                             "beside the store's tables); export or ingest into a SQLite file and serve that.")
        self.store = open_store(db)
        try:
            self.conn = tables.connect(self.store.path)
        except BaseException:
            self.store.close()
            raise
        self._merges: Merges | None = None
        self._edits: dict[str, dict[int, list[dict[str, Any]]]] = {}
        self._articles: dict[str, Article | None] = {}
        self._all_gifts: list[dict[str, Any]] | None = None  # a page may ask for them several times

    def __enter__(self) -> "WebQueries":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()
        self.store.close()

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self.conn.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"Could not read {self.store.path}: {exc}. Try again; if it persists, check the "
                             "file with `giftwatch gifts --db ...`.") from exc

    # ---- corrections laid over rows ------------------------------------------------------------------------

    def merges(self) -> Merges:
        if self._merges is None:
            self._merges = Merges((r["name"], r["into_name"]) for r in self._rows("SELECT * FROM user_merges"))
        return self._merges

    def _edits_by_row(self, kind: str) -> dict[int, list[dict[str, Any]]]:
        """{row id: its edits} for the records corrections still find (see corrections.locate)."""
        if kind not in self._edits:
            table, anchor = _KINDS[kind]
            found: dict[int, list[dict[str, Any]]] = {}
            edits = [dict(r) for r in self._rows("SELECT * FROM user_edits WHERE target = ? ORDER BY id", (kind,))]
            for article_id in dict.fromkeys(e["article_id"] for e in edits):
                records = self._rows(f"SELECT id, position, {anchor} AS anchor FROM {table} WHERE article_id = ?"
                                     " ORDER BY position", (article_id,))
                by_position = {r["position"]: r["id"] for r in records}
                for edit in (e for e in edits if e["article_id"] == article_id):
                    position = locate(edit["position"], edit["anchor"],
                                      [(r["position"], r["anchor"]) for r in records])
                    if position is not None:
                        found.setdefault(by_position[position], []).append(
                            {**edit, "value": json.loads(edit["value"])})
            self._edits[kind] = found
        return self._edits[kind]

    def _positions(self, kind: str, ids: list[int]) -> dict[int, int]:
        table = _KINDS[kind][0]
        positions: dict[int, int] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for row in self._rows(f"SELECT id, position FROM {table} WHERE id IN ({','.join('?' * len(chunk))})",
                                  chunk):
                positions[row["id"]] = row["position"]
        return positions

    def _finish(self, kind: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows from the store with position, corrections, merges (and a gift's cause) added."""
        key = f"{kind}_id"
        positions = self._positions(kind, [r[key] for r in rows])
        edits = self._edits_by_row(kind)
        fields = ("donors", "recipient") if kind == "gift" else ("speakers",)
        finished = []
        for row in rows:
            record = apply_merges(apply_edits(row, edits.get(row[key], [])), self.merges(), fields)
            record["position"] = positions.get(row[key])
            if kind == "gift":
                record["cause"] = cause_of(record)
            finished.append(record)
        return finished

    def _article(self, article_id: str) -> Article | None:
        if article_id not in self._articles:
            self._articles[article_id] = self.store.get_article(article_id)
        return self._articles[article_id]

    def _rows_of_article(self, kind: str, article_id: str) -> list[dict[str, Any]]:
        """An article's gifts or quotes in the shape of the store's gifts()/quotes() rows."""
        article = self._article(article_id)
        if article is None:
            return []
        ids = [r["id"] for r in self._rows(f"SELECT id FROM {_KINDS[kind][0]} WHERE article_id = ?"
                                           " ORDER BY position", (article_id,))]
        meta = {"article_id": article.id, "published": article.published, "title": article.title,
                "source": article.source}
        records = article.gifts if kind == "gift" else article.quotes
        return [{f"{kind}_id": row_id, **meta, **record.to_dict()} for row_id, record in zip(ids, records)]

    def _edited_rows(self, kind: str, have: set[int]) -> list[dict[str, Any]]:
        """Corrected records the SQL filter may have missed (it filters on what extraction said)."""
        wanted = set(self._edits_by_row(kind)) - have
        if not wanted:
            return []
        table = _KINDS[kind][0]
        articles = {r["article_id"] for r in self._rows(
            f"SELECT DISTINCT article_id FROM {table} WHERE id IN ({','.join('?' * len(wanted))})", wanted)}
        return [row for a in sorted(articles) for row in self._rows_of_article(kind, a)
                if row[f"{kind}_id"] in wanted]

    # ---- gifts ---------------------------------------------------------------------------------------------

    def gifts(self, filters: GiftFilters = GiftFilters(), *, sort: str = "date",
              order: str = "desc") -> list[dict[str, Any]]:
        """Every gift matching the filters, corrected, sorted."""
        if filters == GiftFilters() and self._all_gifts is not None:
            return sort_gifts(self._all_gifts, sort, order)
        queries = [filters.store_args()]
        for field in ("donor", "recipient"):
            wanted = getattr(filters, field)
            if wanted and self.merges():
                aliases = self.merges().aliases_of(lambda kept: wanted.casefold() in kept.casefold())
                queries += [{**filters.store_args(), field: alias} for alias in aliases]
        rows: dict[int, dict[str, Any]] = {}
        for args in queries:
            for row in self.store.gifts(**args):
                rows[row["gift_id"]] = row
        for row in self._edited_rows("gift", set(rows)):
            rows[row["gift_id"]] = row
        gifts = [g for g in self._finish("gift", list(rows.values())) if filters.matches(g)]
        if filters == GiftFilters():
            self._all_gifts = gifts
        return sort_gifts(gifts, sort, order)

    def gift_page(self, filters: GiftFilters, *, sort: str, order: str, page: int,
                  per_page: int) -> dict[str, Any]:
        result = _page(self.gifts(filters, sort=sort, order=order), page, per_page)
        return {**result, "sort": sort, "order": order, "filters": filters.as_params()}

    def gift(self, article_id: str, position: int) -> dict[str, Any]:
        rows = self._rows_of_article("gift", article_id)
        if not 0 <= position < len(rows):
            raise NotFound(f"Article {article_id!r} has no gift number {position} (it has {len(rows)}).")
        return self._finish("gift", [rows[position]])[0]

    # ---- quotes --------------------------------------------------------------------------------------------

    def quotes(self, *, speaker: str | None = None, text: str | None = None) -> list[dict[str, Any]]:
        """Quotes whose speaker and text contain the given strings (case-insensitive), corrected."""
        queries = [{"speaker": speaker, "text": text}]
        if speaker and self.merges():
            queries += [{"speaker": alias, "text": text} for alias in
                        self.merges().aliases_of(lambda kept: speaker.casefold() in kept.casefold())]
        rows: dict[int, dict[str, Any]] = {}
        for args in queries:
            for row in self.store.quotes(**args):
                rows[row["quote_id"]] = row
        for row in self._edited_rows("quote", set(rows)):
            rows[row["quote_id"]] = row

        def keep(quote: dict[str, Any]) -> bool:
            return ((not speaker or any(speaker.casefold() in s.casefold() for s in quote["speakers"]))
                    and (not text or text.casefold() in quote["text"].casefold()))

        quotes = [q for q in self._finish("quote", list(rows.values())) if keep(q)]
        quotes.sort(key=lambda q: (q["published"] is None, _reverse(q["published"]), q["article_id"],
                                   q["position"]))
        return quotes

    def quote(self, article_id: str, position: int) -> dict[str, Any]:
        rows = self._rows_of_article("quote", article_id)
        if not 0 <= position < len(rows):
            raise NotFound(f"Article {article_id!r} has no quote number {position} (it has {len(rows)}).")
        return self._finish("quote", [rows[position]])[0]

    # ---- names ---------------------------------------------------------------------------------------------

    def donors(self, q: str | None = None) -> list[dict[str, Any]]:
        rows = summarize(self.gifts(), donor_names, recipient_names)
        return [r for r in rows if not q or q.casefold() in r["name"].casefold()]

    def recipients(self, q: str | None = None) -> list[dict[str, Any]]:
        rows = summarize(self.gifts(), recipient_names, donor_names)
        return [r for r in rows if not q or q.casefold() in r["name"].casefold()]

    def profile(self, role: str, name: str) -> dict[str, Any]:
        """A donor's or recipient's page: their gifts (exact name, or merged into it), totals, charts, quotes."""
        name = self.merges().canonical(" ".join(name.split()))
        folded = name.casefold()
        field = "donor" if role == "donor" else "recipient"
        names = donor_names if role == "donor" else recipient_names
        gifts = [g for g in self.gifts(GiftFilters(**{field: name}))
                 if folded in (n.casefold() for n in names(g))]
        quotes = [q for q in self.quotes(speaker=name) if folded in (s.casefold() for s in q["speakers"])]
        if not gifts and not quotes:
            raise NotFound(f"No {role} named {name!r} is in the database; search for part of the name instead.")
        return profile(name, role, gifts, quotes)

    # ---- articles ------------------------------------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any]:
        """The article with its corrected records, each with the spans of text it was found in."""
        article = self._article(article_id)
        if article is None:
            raise NotFound(f"No article has the id {article_id!r}; find articles through search or /articles.")
        gifts = self._finish("gift", self._rows_of_article("gift", article_id))
        quotes = self._finish("quote", self._rows_of_article("quote", article_id))
        for gift in gifts:
            gift["highlights"] = evidence_pieces(article.text, gift.get("evidence"), gift.get("evidence_start"),
                                                 gift.get("evidence_end"))
        for quote in quotes:
            usable = quote["start"] is not None and quote["end"] is not None \
                and 0 <= quote["start"] < quote["end"] <= len(article.text)
            quote["highlights"] = [(quote["start"], quote["end"])] if usable else []
        meta = {key: getattr(article, key) for key in ("id", "title", "published", "source", "url", "text")}
        return {"article": meta, "gifts": gifts, "quotes": quotes}

    def articles(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self._rows(
            "SELECT a.id, a.title, a.published, a.source,"
            " (SELECT COUNT(*) FROM gifts g WHERE g.article_id = a.id) AS gifts,"
            " (SELECT COUNT(*) FROM quotes q WHERE q.article_id = a.id) AS quotes"
            " FROM articles a ORDER BY a.published IS NULL, a.published DESC, a.id")]

    def stats(self) -> dict[str, int]:
        edits = self._rows("SELECT (SELECT COUNT(*) FROM user_edits) + (SELECT COUNT(*) FROM user_merges)")[0][0]
        return {**self.store.counts(), "corrections": edits}

    # ---- search --------------------------------------------------------------------------------------------

    def search(self, q: str) -> dict[str, Any]:
        """Donors, recipients, quotes (text or speaker) and articles (title or text) containing `q`."""
        q = " ".join((q or "").split())
        if len(q) < 2:
            raise InvalidInput("Search for at least 2 characters.")
        folded = q.casefold()
        gifts = self.gifts()
        donors = [r for r in summarize(gifts, donor_names, recipient_names) if folded in r["name"].casefold()]
        recipients = [r for r in summarize(gifts, recipient_names, donor_names) if folded in r["name"].casefold()]
        quotes = {(x["article_id"], x["position"]): x for x in [*self.quotes(text=q), *self.quotes(speaker=q)]}
        matches = self._rows(
            "SELECT id, title, published, source, text FROM articles"
            " WHERE instr(casefold(text), ?) OR instr(casefold(COALESCE(title, '')), ?)"
            " ORDER BY published IS NULL, published DESC, id", (folded, folded))
        articles = [{"id": r["id"], "title": r["title"], "published": r["published"], "source": r["source"],
                     "snippet": snippet(r["text"], q)} for r in matches]
        ordered_quotes = sorted(quotes.values(), key=lambda x: (_reverse(x["published"]), x["position"]))
        return {"q": q, **{name: {"total": len(rows), "items": rows[:SEARCH_LIMIT]} for name, rows in (
            ("donors", donors), ("recipients", recipients), ("quotes", ordered_quotes), ("articles", articles))}}

    # ---- writing: corrections and merges -------------------------------------------------------------------

    def _record_edits(self, kind: str, current: dict[str, Any], changes: dict[str, Any],
                      token_id: int | None) -> int:
        anchor = current.get("evidence" if kind == "gift" else "text") or ""
        changed = 0
        with self.conn:
            self.conn.execute("BEGIN IMMEDIATE")
            for field, value in changes.items():
                if value == current.get(field):
                    continue
                extracted = current["edited"].get(field, {}).get("extracted", current.get(field))
                self.conn.execute(
                    "INSERT INTO user_edits (target, article_id, position, anchor, field, value, extracted,"
                    " created_at, token_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (kind, current["article_id"], current["position"], anchor, field,
                     json.dumps(value, ensure_ascii=False), json.dumps(extracted, ensure_ascii=False),
                     tables.now(), token_id))
                changed += 1
        self._edits.pop(kind, None)
        self._all_gifts = None
        return changed

    def correct_gift(self, article_id: str, position: int, changes: dict[str, Any],
                     token_id: int | None = None) -> dict[str, Any]:
        """Keep the changed fields as user edits; returns the gift as it now reads."""
        clean = check_gift_changes(changes)
        self._record_edits("gift", self.gift(article_id, position), clean, token_id)
        return self.gift(article_id, position)

    def correct_quote(self, article_id: str, position: int, changes: dict[str, Any],
                      token_id: int | None = None) -> dict[str, Any]:
        clean = check_quote_changes(changes)
        self._record_edits("quote", self.quote(article_id, position), clean, token_id)
        return self.quote(article_id, position)

    def merge_names(self, name: str, into: str, token_id: int | None = None) -> dict[str, str]:
        """Show `name` as `into` everywhere (donors, recipients, speakers)."""
        name, into = check_merge(name, into)
        if self.merges().would_cycle(name, into):
            raise InvalidInput(f"{into!r} is already merged into {name!r}; undo that merge first.")
        self.conn.execute("INSERT OR REPLACE INTO user_merges (name_key, name, into_name, created_at, token_id)"
                          " VALUES (?, ?, ?, ?, ?)", (name.casefold(), name, into, tables.now(), token_id))
        self._merges, self._all_gifts = None, None
        return {"name": name, "into": self.merges().canonical(into)}

    def corrections(self) -> dict[str, list[dict[str, Any]]]:
        """Every correction and merge, newest first; `applied` is False when re-extraction lost the record."""
        applied = {e["id"] for kind in _KINDS for edits in self._edits_by_row(kind).values() for e in edits}
        edits = [{**dict(r), "value": json.loads(r["value"]), "extracted": json.loads(r["extracted"]),
                  "applied": r["id"] in applied}
                 for r in self._rows("SELECT * FROM user_edits ORDER BY id DESC")]
        merges = [dict(r) for r in self._rows("SELECT name, into_name AS \"into\", created_at FROM user_merges"
                                              " ORDER BY created_at DESC, name")]
        return {"edits": edits, "merges": merges}

    def undo_edit(self, edit_id: int) -> None:
        if self.conn.execute("DELETE FROM user_edits WHERE id = ?", (edit_id,)).rowcount == 0:
            raise NotFound(f"There is no correction number {edit_id}; see the list of corrections.")
        self._edits.clear()
        self._all_gifts = None

    def undo_merge(self, name: str) -> None:
        if self.conn.execute("DELETE FROM user_merges WHERE name_key = ?", (name.casefold(),)).rowcount == 0:
            raise NotFound(f"{name!r} is not merged into another name.")
        self._merges, self._all_gifts = None, None


def _reverse(value: str | None) -> tuple[int, ...]:
    """Sort key putting later ISO dates first (None last)."""
    return (1,) if value is None else (0, *(-ord(ch) for ch in value))
