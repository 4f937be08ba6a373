"""Donor and recipient profiles: what a person or organisation gave (or received), per year and per cause, to and
from whom, and what they said; every figure lists the deduplicated gifts (G<n>) it adds up and each gift the
articles that report it.

Totals add each deduplicated gift once, per currency (amounts in different currencies are never converted);
a gift that pays a pledge already in the profile is shown under the pledge and not added again.
"""
from __future__ import annotations

from typing import Any

from giftwatch.entities.names import fold
from giftwatch.output import format_amount
from giftwatch.store.catalog import entity, gift_groups, resolve_entity

# Relations that make a person speak for an organisation (their quotes count among its statements).
_OFFICER_PREDICATES = {"executive_director_of", "president_of", "chief_executive_of", "chair_of", "founder_of",
                       "director_of", "dean_of", "trustee_of", "head_of", "chancellor_of", "provost_of",
                       "vice_president_of", "treasurer_of"}


def _add(totals: dict[str, float], gift: dict[str, Any]) -> None:
    if gift["amount"] is not None:
        currency = gift["currency"] or "unknown"
        totals[currency] = totals.get(currency, 0) + gift["amount"]


def _bucket(buckets: dict[str, dict[str, Any]], label: str, gift: dict[str, Any], **extra: Any) -> None:
    bucket = buckets.setdefault(label, {"label": label, "totals": {}, "gift_ids": [], **extra})
    _add(bucket["totals"], gift)
    bucket["gift_ids"].append(gift["gift_id"])


def _statements(store: Any, entity_id: int, speaks_for: bool) -> list[dict[str, Any]]:
    """Quotes the entity spoke, and (for an organisation) those of people the articles state speak for it."""
    officers = ""
    if speaks_for:
        marks = ",".join(f"'{p}'" for p in sorted(_OFFICER_PREDICATES))
        officers = (f" OR qe.entity_id IN (SELECT subject_id FROM relations WHERE object_id = :id"
                    f" AND predicate IN ({marks}))")
    rows = store._rows(f"""
        SELECT DISTINCT q.id AS quote_id, q.text, q.speaker_role, q.article_id, a.source, a.url, a.published,
               a.title, q.position
        FROM quote_entities qe JOIN quotes q ON q.id = qe.quote_id JOIN articles a ON a.id = q.article_id
        WHERE qe.entity_id = :id{officers}
        ORDER BY a.published, q.article_id, q.position""", {"id": entity_id})
    if not rows:
        return []
    ids = ",".join(str(r["quote_id"]) for r in rows)
    speakers: dict[int, list[str]] = {}
    for s in store._rows(f"SELECT qe.quote_id, e.name FROM quote_entities qe JOIN entities e ON e.id = qe.entity_id"
                         f" WHERE qe.quote_id IN ({ids}) ORDER BY e.name"):
        speakers.setdefault(s["quote_id"], []).append(s["name"])
    links: dict[int, list[dict[str, Any]]] = {}
    for link in store._rows(f"SELECT DISTINCT qg.quote_id, s.group_id, qg.reason FROM quote_gifts qg"
                            f" JOIN gift_sources s ON s.gift_id = qg.gift_id WHERE qg.quote_id IN ({ids})"):
        links.setdefault(link["quote_id"], []).append({"gift_id": link["group_id"], "reason": link["reason"]})
    statements: dict[tuple[str, tuple[str, ...]], dict[str, Any]] = {}
    for r in rows:  # the same words reported by several outlets are one statement with several sources
        said_by = tuple(speakers.get(r["quote_id"], []))
        statement = statements.setdefault((fold(r["text"]).strip(" ,.;:!?'\"“”‘’"), said_by), {
            "text": r["text"], "speakers": list(said_by), "speaker_role": r["speaker_role"], "quote_ids": [],
            "gifts": [], "sources": []})
        statement["quote_ids"].append(r["quote_id"])
        statement["speaker_role"] = statement["speaker_role"] or r["speaker_role"]
        statement["sources"].append({k: r[k] for k in ("article_id", "source", "url", "published", "title")})
        for link in links.get(r["quote_id"], []):
            if link["gift_id"] not in {g["gift_id"] for g in statement["gifts"]}:
                statement["gifts"].append(link)
    return list(statements.values())


def profile(store: Any, ref: str, role: str) -> dict[str, Any]:
    """A donor ("donor": gifts it gave or that were given through it) or recipient ("recipient") profile."""
    row = resolve_entity(store, ref, role)
    record = entity(store, row["key"])
    gifts = gift_groups(store, entity_key=row["key"], role=role)
    in_profile = {g["gift_id"] for g in gifts}
    counted = [g for g in gifts if g["pledge_gift_id"] not in in_profile]
    totals: dict[str, float] = {}
    years: dict[str, dict[str, Any]] = {}
    causes: dict[str, dict[str, Any]] = {}
    parties: dict[str, dict[str, Any]] = {}
    for gift in counted:
        _add(totals, gift)
        _bucket(years, gift["year"] or "undated", gift)
        _bucket(causes, gift["cause"], gift)
        if role == "donor":
            others = [(gift["recipient_key"], gift["recipient"], "recipient")] if gift["recipient_key"] else []
        else:
            named = gift["donors"][1:] if gift["anonymous"] else gift["donors"]
            others = [*((k, n, "donor") for k, n in zip(gift["donor_keys"], named)),
                      *((k, n, "through") for k, n in zip(gift["through_keys"], gift["through"]))]
        for key, name, side in others:
            if key != row["key"]:
                _bucket(parties, key, gift, key=key, name=name, role=side)
    statements = _statements(store, row["id"], speaks_for=not record.is_person)
    articles = sorted({s["article_id"] for item in [*gifts, *statements] for s in item["sources"]})
    return {
        "entity": record.to_dict(), "role": role, "totals": totals, "gifts_counted": len(counted),
        "reports": sum(len(g["sources"]) for g in gifts),
        "unstated_amounts": sum(1 for g in counted if g["amount"] is None),
        "by_year": sorted(years.values(), key=lambda b: "" if b["label"] == "undated" else b["label"], reverse=True),
        "by_cause": sorted(causes.values(), key=lambda b: (-sum(b["totals"].values()), b["label"])),
        "counterparties": sorted(parties.values(), key=lambda b: (-sum(b["totals"].values()), b["name"])),
        "gifts": gifts, "statements": statements, "articles": articles,
    }


def _money(totals: dict[str, float]) -> str:
    return " + ".join(format_amount(v, None, c if c != "unknown" else None) for c, v in sorted(totals.items())) \
        or "no stated amount"


def _ids(ids: list[int]) -> str:
    return "[" + " ".join(f"G{i}" for i in ids) + "]"


def relation_label(relation: dict[str, Any], key: str) -> str:
    """A relation read from the entity `key`'s side: "executive director of Westfield Food Bank" for the
    person, "executive director: Noor Khalidi" for the organisation."""
    predicate = relation["predicate"]
    if predicate == "spouse_of":
        other = relation["object_name"] if relation["subject"] == key else relation["subject_name"]
        return f"spouse of {other}"
    if relation["subject"] == key:
        return f"{predicate.replace('_', ' ')} {relation['object_name']}"
    if predicate == "gave_through":
        return f"given through by {relation['subject_name']}"
    title = predicate.removesuffix("_of").replace("_", " ")
    return f"{title}: {relation['subject_name']}"


def _where(source: dict[str, Any]) -> str:
    """ "herald-2024-06-04 (Port Calder Herald, 2024-06-04)": the article id, then where and when it appeared."""
    about = ", ".join(x for x in (source.get("source"), source.get("published")) if x)
    return f"{source['article_id']} ({about})" if about else source["article_id"]


def render_profile(data: dict[str, Any]) -> str:
    """The profile as text for a terminal: figures first, then each gift with its sources, then statements."""
    e, role = data["entity"], data["role"]
    lines = [f"{e['name']} ({e['kind']}; key {e['key']})"]
    if e["aliases"]:
        lines.append(f"Also written: {', '.join(e['aliases'])}")
    for r in e["relations"]:
        lines.append(f"  {relation_label(r, e['key'])}  [{r['article_id']}]")
    gifts = data["gifts"]
    verb = "given" if role == "donor" else "received"
    lines.append("")
    lines.append(f"Total {verb}: {_money(data['totals'])} in {data['gifts_counted']} gift"
                 f"{'s' if data['gifts_counted'] != 1 else ''} (deduplicated from {data['reports']} report"
                 f"{'s' if data['reports'] != 1 else ''} in {len(data['articles'])} article"
                 f"{'s' if len(data['articles']) != 1 else ''})"
                 + (f"; {data['unstated_amounts']} without a stated amount" if data["unstated_amounts"] else ""))
    for title, buckets, label in (("By year", data["by_year"], "label"), ("By cause", data["by_cause"], "label"),
                                  ("Recipients" if role == "donor" else "Donors", data["counterparties"], "name")):
        if buckets:
            lines += ["", title]
            width = max(len(str(b[label])) for b in buckets)
            lines += [f"  {str(b[label]):<{width}}  {_money(b['totals'])}  {_ids(b['gift_ids'])}" for b in buckets]
    if gifts:
        lines += ["", "Gifts"]
    for g in gifts:
        amount = format_amount(g["amount"], g["amount_max"], g["currency"]) or "amount not stated"
        side = f"→ {g['recipient'] or '?'}" if role == "donor" else f"← {', '.join(g['donors']) or '?'}"
        lines.append(f"  G{g['gift_id']}  {g['date'] or g['reported'] or 'undated'}  {g['kind']}  {amount}  {side}")
        if role == "donor" and len(g["donors"]) > 1:
            lines.append(f"      with {', '.join(g['donors'])}")
        if g["through"]:
            lines.append(f"      through {', '.join(g['through'])}")
        if g["purpose"]:
            lines.append(f"      for: {g['purpose']}")
        if g["in_name_of"]:
            lines.append(f"      {'in memory of' if g['tribute_type'] == 'memorial' else 'in honor of'} "
                         f"{', '.join(g['in_name_of'])}")
        if g["pledge_gift_id"]:
            lines.append(f"      pays pledge G{g['pledge_gift_id']} (not added again)")
        if g["payment_gift_ids"]:
            lines.append(f"      paid by {' '.join(f'G{i}' for i in g['payment_gift_ids'])}")
        for s in g["sources"]:
            lines.append(f"      source: {_where(s)}" + (f" {s['url']}" if s["url"] else ""))
    if data["statements"]:
        lines += ["", "Statements"]
    for s in data["statements"]:
        on = f" [on {' '.join('G' + str(l['gift_id']) for l in s['gifts'])}]" if s["gifts"] else ""
        lines.append(f"  “{s['text']}” — {', '.join(s['speakers'])}"
                     f"{', ' + s['speaker_role'] if s['speaker_role'] else ''}{on}")
        lines += [f"      source: {_where(source)}" for source in s["sources"]]
    return "\n".join(lines)
