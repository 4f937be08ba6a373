"""Full-text search over quotes and gift evidence: SQLite's FTS5 or PostgreSQL's text search, one query syntax.

Query syntax (as web search engines): words must all appear (stemmed: "donate" finds "donated"), "a phrase" in
double quotes, -word excludes, OR between words allows either.
"""
from __future__ import annotations

import re
from typing import Any

from giftwatch.errors import StoreError
from giftwatch.store.checks import check_limit

_TOKEN = re.compile(r'"([^"]*)"|\b(OR)\b|(-?)(\w[\w\'’-]*)')


def fts5_query(query: str) -> str:
    """The user's query in FTS5 syntax, every term quoted so no word is read as an operator."""
    parts: list[str] = []
    negated: list[str] = []
    for phrase, or_, minus, word in _TOKEN.findall(query):
        if or_:
            if parts and parts[-1] != "OR":
                parts.append("OR")
            continue
        text = phrase if phrase else word
        terms = " ".join(re.findall(r"\w+", text))
        if not terms:
            continue
        (negated if minus else parts).append(f'"{terms}"')
    while parts and parts[-1] == "OR":
        parts.pop()
    if not parts:
        raise StoreError("The search needs at least one word to look for (not only excluded words).")
    expression = " ".join(parts)
    if negated:
        expression = f"({expression}) NOT ({' OR '.join(negated)})"
    return expression


def search(store: Any, query: str, *, kind: str | None = None, limit: int | None = 20) -> list[dict[str, Any]]:
    """Best matches first. Keys: kind ("quote" | "evidence"), id (quote or gift id), gift_group (G number of the
    deduplicated gift, for evidence), article_id, text, snippet (matches in [brackets]), speakers or donors,
    recipient, source, url, published."""
    if not query or not query.strip():
        raise StoreError("Give words to search for, such as: giftwatch search \"intensive care\".")
    if kind not in (None, "quote", "evidence"):
        raise StoreError(f"kind must be quote or evidence, not {kind!r}.")
    store.refresh()
    limit_sql = store.dialect.limit(check_limit(limit))
    kind_sql = " AND kind = :kind" if kind else ""
    params: dict[str, Any] = {"kind": kind} if kind else {}
    if store.dialect.name == "postgresql":
        params["q"] = query
        rows = store._rows(f"""
            SELECT kind, ref_id, article_id, body,
                   ts_headline('english', body, query, 'StartSel=[, StopSel=], MaxWords=30, MinWords=12') AS snippet,
                   ts_rank(document, query) AS rank
            FROM search_documents, websearch_to_tsquery('english', :q) AS query
            WHERE document @@ query{kind_sql}
            ORDER BY rank DESC, article_id, ref_id {limit_sql}""", params)
    else:
        params["q"] = fts5_query(query)
        rows = store._rows(f"""
            SELECT kind, ref_id, article_id, body, snippet(search_documents, 0, '[', ']', '…', 16) AS snippet,
                   bm25(search_documents, 10.0, 2.0) AS rank
            FROM search_documents WHERE search_documents MATCH :q{kind_sql}
            ORDER BY rank, article_id, ref_id {limit_sql}""", params)
    return _describe(store, rows)


def _describe(store: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add who said or gave what, and where it was published."""
    quote_ids = [int(r["ref_id"]) for r in rows if r["kind"] == "quote"]
    gift_ids = [int(r["ref_id"]) for r in rows if r["kind"] == "evidence"]
    speakers = store._names("quote_speakers", "quote_id", quote_ids)
    donors = store._names("gift_donors", "gift_id", gift_ids)
    gifts: dict[int, dict[str, Any]] = {}
    if gift_ids:
        for g in store._rows(f"SELECT gi.id, gi.recipient, s.group_id FROM gifts gi LEFT JOIN gift_sources s"
                             f" ON s.gift_id = gi.id WHERE gi.id IN ({','.join(map(str, gift_ids))})"):
            gifts[g["id"]] = g
    articles = {}
    ids = sorted({r["article_id"] for r in rows})
    if ids:
        for a in store._rows(f"SELECT id, source, url, published, title FROM articles WHERE id IN"
                             f" ({','.join('?' * len(ids))})", ids):
            articles[a["id"]] = a
    results = []
    for r in rows:
        ref, article = int(r["ref_id"]), articles.get(r["article_id"], {})
        result = {"kind": r["kind"], "id": ref, "article_id": r["article_id"], "text": r["body"],
                  "snippet": r["snippet"], "source": article.get("source"), "url": article.get("url"),
                  "published": article.get("published")}
        if r["kind"] == "quote":
            result["speakers"] = speakers.get(ref, [])
        else:
            result["donors"] = donors.get(ref, [])
            result["recipient"] = gifts.get(ref, {}).get("recipient")
            result["gift_group"] = gifts.get(ref, {}).get("group_id")
        results.append(result)
    return results
