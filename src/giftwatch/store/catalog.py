"""Reading entities and deduplicated gifts, and recording manual merge/split decisions."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from giftwatch.entities import Entity, Relation
from giftwatch.entities import names as N
from giftwatch.entities.resolve import SEP
from giftwatch.errors import StoreError
from giftwatch.store.checks import check_limit, number

PARTY_ROLES = {"donor": ("donor", "through"), "recipient": ("recipient",)}


def _entity_rows(store: Any, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    return store._rows(f"SELECT e.id, e.key, e.name, e.kind FROM entities e WHERE {where} ORDER BY e.name, e.key",
                       params)


def find_entities(store: Any, ref: str) -> list[dict[str, Any]]:
    """Entities `ref` can mean: its key; else those named or aliased exactly so (after normalising); else those
    whose name or alias contains it."""
    store.refresh()
    exact_key = _entity_rows(store, "e.key = :ref", {"ref": ref.strip()})
    if exact_key:
        return exact_key
    normal = N.normalize(ref)
    if not normal:
        raise StoreError("Give a name or an entity key (as `giftwatch entities` lists them).")
    named = _entity_rows(store, "e.normal_name = :n OR e.id IN (SELECT entity_id FROM entity_aliases WHERE"
                                " normal_alias = :n)", {"n": normal})
    if named:
        return named
    return _entity_rows(store, "instr(casefold(e.name), :s) > 0 OR e.id IN (SELECT entity_id FROM entity_aliases"
                               " WHERE instr(casefold(alias), :s) > 0)", {"s": ref.strip().casefold()})


def resolve_entity(store: Any, ref: str, role: str | None = None) -> dict[str, Any]:
    """The one entity `ref` means, preferring (when several match) those that have `role` in some gift."""
    found = find_entities(store, ref)
    if len(found) > 1 and role:
        roles = PARTY_ROLES[role]
        marks = ",".join("?" * len(roles))
        with_role = [e for e in found if store._rows(
            f"SELECT 1 AS x FROM gift_parties WHERE entity_id = ? AND role IN ({marks}) LIMIT 1", (e["id"], *roles))]
        found = with_role or found
    if not found:
        raise StoreError(f"No person or organisation matches {ref!r}. List them with `giftwatch entities`, or "
                         "ingest articles that name them.")
    if len(found) > 1:
        listed = "; ".join(f"{e['name']} ({e['kind']}, key {e['key']})" for e in found[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        raise StoreError(f"{len(found)} entities match {ref!r}: {listed}{more}. Give the key of the one you mean.")
    return found[0]


def entity(store: Any, ref: str) -> Entity:
    """The full Entity record: aliases, the articles that name it, the relations they state."""
    row = resolve_entity(store, ref)
    aliases = [r["alias"] for r in store._rows("SELECT alias FROM entity_aliases WHERE entity_id = :id"
                                               " ORDER BY alias", {"id": row["id"]})]
    articles = [r["article_id"] for r in store._rows(
        "SELECT DISTINCT article_id FROM mentions WHERE entity_id = :id ORDER BY article_id", {"id": row["id"]})]
    relations = [Relation(r["subject"], r["subject_name"], r["predicate"], r["object"], r["object_name"],
                          r["article_id"], r["evidence"]) for r in store._rows("""
        SELECT s.key AS subject, s.name AS subject_name, r.predicate, o.key AS object, o.name AS object_name,
               r.article_id, r.evidence
        FROM relations r JOIN entities s ON s.id = r.subject_id JOIN entities o ON o.id = r.object_id
        WHERE r.subject_id = :id OR r.object_id = :id ORDER BY r.predicate, o.name, r.article_id""",
                                                                             {"id": row["id"]})]
    return Entity(row["key"], row["name"], row["kind"], aliases, articles, relations)


def entities(store: Any, *, name: str | None = None, kind: str | None = None,
             limit: int | None = None) -> list[dict[str, Any]]:
    """Entities with how often they appear: key, name, kind, aliases, articles, gifts_given, gifts_received,
    quotes. `name` filters on name or alias (substring, case-insensitive)."""
    store.refresh()
    where, params = ["1 = 1"], {}
    if name:
        where.append("(instr(casefold(e.name), :s) > 0 OR e.id IN (SELECT entity_id FROM entity_aliases"
                     " WHERE instr(casefold(alias), :s) > 0))")
        params["s"] = name.casefold()
    if kind:
        where.append("casefold(e.kind) = :kind")
        params["kind"] = kind.casefold()
    rows = store._rows(f"""
        SELECT e.id, e.key, e.name, e.kind,
          (SELECT COUNT(DISTINCT article_id) FROM mentions m WHERE m.entity_id = e.id) AS articles,
          (SELECT COUNT(DISTINCT group_id) FROM gift_group_parties p WHERE p.entity_id = e.id) AS gifts_given,
          (SELECT COUNT(*) FROM gift_groups g WHERE g.recipient_id = e.id) AS gifts_received,
          (SELECT COUNT(*) FROM quote_entities q WHERE q.entity_id = e.id) AS quotes
        FROM entities e WHERE {' AND '.join(where)}
        ORDER BY articles DESC, e.name, e.key {store.dialect.limit(check_limit(limit))}""", params)
    aliases: dict[int, list[str]] = {}
    for r in store._rows("SELECT entity_id, alias FROM entity_aliases ORDER BY alias"):
        aliases.setdefault(r["entity_id"], []).append(r["alias"])
    return [{"key": r["key"], "name": r["name"], "kind": r["kind"], "aliases": aliases.get(r["id"], []),
             **{k: r[k] for k in ("articles", "gifts_given", "gifts_received", "quotes")}} for r in rows]


def gift_groups(store: Any, *, entity_key: str | None = None, role: str | None = None,
                group_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Deduplicated gifts, newest first, each with every report (article, source, URL, evidence) it rests on.
    `entity_key` with `role` "donor" (donor or given through) or "recipient" keeps that entity's gifts."""
    store.refresh()
    where, params = ["1 = 1"], {}
    if entity_key:
        roles = PARTY_ROLES[role or "donor"]
        if roles == ("recipient",):
            where.append("g.recipient_id = (SELECT id FROM entities WHERE key = :key)")
        else:
            where.append("g.id IN (SELECT group_id FROM gift_group_parties p JOIN entities e ON e.id = p.entity_id"
                         " WHERE e.key = :key)")
        params["key"] = entity_key
    if group_ids is not None:
        where.append(f"g.id IN ({','.join(str(int(i)) for i in group_ids) or 'NULL'})")
    rows = store._rows(f"""
        SELECT g.*, r.key AS recipient_key, r.name AS recipient FROM gift_groups g
        LEFT JOIN entities r ON r.id = g.recipient_id WHERE {' AND '.join(where)}""", params)
    if not rows:
        return []
    ids = ",".join(str(r["id"]) for r in rows)
    parties: dict[int, dict[str, list[tuple[str, str]]]] = {}
    for p in store._rows(f"SELECT p.group_id, p.role, e.key, e.name FROM gift_group_parties p JOIN entities e"
                         f" ON e.id = p.entity_id WHERE p.group_id IN ({ids}) ORDER BY p.group_id, p.position"):
        parties.setdefault(p["group_id"], {}).setdefault(p["role"], []).append((p["key"], p["name"]))
    sources: dict[int, list[dict[str, Any]]] = {}
    for s in store._rows(f"""
            SELECT s.group_id, gi.id AS gift_id, gi.article_id, gi.evidence, gi.amount_text, gi.kind, a.source, a.url,
                   a.title, a.published
            FROM gift_sources s JOIN gifts gi ON gi.id = s.gift_id JOIN articles a ON a.id = gi.article_id
            WHERE s.group_id IN ({ids}) ORDER BY a.published, gi.article_id"""):
        sources.setdefault(s.pop("group_id"), []).append(s)
    quotes: dict[int, list[int]] = {}
    for q in store._rows(f"SELECT DISTINCT s.group_id, qg.quote_id FROM quote_gifts qg JOIN gift_sources s"
                         f" ON s.gift_id = qg.gift_id WHERE s.group_id IN ({ids}) ORDER BY qg.quote_id"):
        quotes.setdefault(q["group_id"], []).append(q["quote_id"])
    payments: dict[int, list[int]] = {}
    for p in store._rows("SELECT id, pledge_group_id FROM gift_groups WHERE pledge_group_id IS NOT NULL"):
        payments.setdefault(p["pledge_group_id"], []).append(p["id"])
    out = []
    for r in rows:
        date = r["date"] or r["reported"]
        mine = parties.get(r["id"], {})
        out.append({
            "gift_id": r["id"], "date": r["date"], "reported": r["reported"], "year": date[:4] if date else None,
            "donors": ["anonymous"] * bool(r["anonymous"]) + [n for _, n in mine.get("donor", [])],
            "anonymous": bool(r["anonymous"]),
            "donor_keys": [k for k, _ in mine.get("donor", [])],
            "through": [n for _, n in mine.get("through", [])], "through_keys": [k for k, _ in mine.get("through", [])],
            "recipient": r["recipient"], "recipient_key": r["recipient_key"],
            "amount": number(r["amount"]), "amount_max": number(r["amount_max"]), "currency": r["currency"],
            "amount_text": r["amount_text"], "kind": r["kind"], "purpose": r["purpose"], "cause": r["cause"],
            "in_name_of": json.loads(r["in_name_of"]), "tribute_type": r["tribute_type"],
            "pledge_gift_id": r["pledge_group_id"], "payment_gift_ids": payments.get(r["id"], []),
            "sources": sources.get(r["id"], []), "quote_ids": quotes.get(r["id"], []),
        })
    out.sort(key=lambda g: (-(g["amount"] or 0), g["gift_id"]))
    out.sort(key=lambda g: g["date"] or g["reported"] or "", reverse=True)  # newest first, undated last
    return out


def _nodes(store: Any, entity_id: int) -> list[str]:
    return [f"{r['article_id']}{SEP}{r['normal_form']}" for r in store._rows(
        "SELECT article_id, normal_form FROM mentions WHERE entity_id = :id ORDER BY article_id, normal_form",
        {"id": entity_id})]


def _record(store: Any, action: str, first: list[str], second: list[str], description: str) -> None:
    with store._write_transaction(f"record the {action}"):
        store._execute("INSERT INTO entity_decisions (action, first_nodes, second_nodes, description, made_at)"
                       " VALUES (?, ?, ?, ?, ?)",
                       (action, json.dumps(first, ensure_ascii=False), json.dumps(second, ensure_ascii=False),
                        description, datetime.now(timezone.utc).isoformat(timespec="seconds")))
        store._execute("UPDATE meta SET value = value + 1 WHERE key = 'data_version'")
    store.refresh()


def merge_entities(store: Any, first: str, second: str) -> Entity:
    """Make two entities one, for good: the decision is kept and applied on every rebuild."""
    a, b = resolve_entity(store, first), resolve_entity(store, second)
    if a["id"] == b["id"]:
        raise StoreError(f"{first!r} and {second!r} are already one entity ({a['name']}, key {a['key']}).")
    first_nodes = _nodes(store, a["id"])
    _record(store, "merge", first_nodes, _nodes(store, b["id"]),
            f"merge {a['name']} ({a['key']}) with {b['name']} ({b['key']})")
    return entity(store, _key_of_node(store, first_nodes[0]) or a["key"])


def split_entity(store: Any, ref: str, *, articles: list[str] = (), names: list[str] = ()) -> tuple[Entity, Entity]:
    """Take the mentions of an entity in `articles` and/or written as `names` out into an entity of their own,
    and keep them apart from it on every rebuild. Returns (what stayed, what was split off)."""
    row = resolve_entity(store, ref)
    if not articles and not names:
        raise StoreError("Say what to split off: --article ID (its mentions in that article) and/or --name NAME "
                         "(its mentions written so).")
    wanted_names = {N.normalize(n) for n in names}
    nodes = _nodes(store, row["id"])
    moved = [k for k in nodes if k.split(SEP, 1)[0] in set(articles) or k.split(SEP, 1)[1] in wanted_names]
    kept = [k for k in nodes if k not in moved]
    if not moved:
        raise StoreError(f"{row['name']} ({row['key']}) is not named in those articles or with those names. "
                         f"It appears in: {', '.join(sorted({k.split(SEP, 1)[0] for k in nodes}))}.")
    if not kept:
        raise StoreError(f"That would move every mention of {row['name']} ({row['key']}); nothing would be left to "
                         "split from. Choose fewer articles or names.")
    _record(store, "split", moved, kept, f"split {row['name']} ({row['key']}): "
            f"articles {', '.join(articles) or '-'}; names {', '.join(names) or '-'}")
    return entity(store, _key_of_node(store, kept[0])), entity(store, _key_of_node(store, moved[0]))


def _key_of_node(store: Any, node: str | None) -> str | None:
    if node is None:
        return None
    article_id, normal = node.split(SEP, 1)
    rows = store._rows("SELECT e.key FROM mentions m JOIN entities e ON e.id = m.entity_id"
                       " WHERE m.article_id = :a AND m.normal_form = :n", {"a": article_id, "n": normal})
    return rows[0]["key"] if rows else None


def decisions(store: Any) -> list[dict[str, Any]]:
    """The manual decisions, oldest first: id, action, description, made_at."""
    return store._rows("SELECT id, action, description, made_at FROM entity_decisions ORDER BY id")
