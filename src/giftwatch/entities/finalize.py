"""Turning joined nodes and grouped gifts into the records the store keeps: entities with stable keys and
canonical names, their relations, and one GiftGroup per real gift."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from giftwatch.entities import names as N
from giftwatch.entities.causes import classify_cause, tribute_type
from giftwatch.entities.dedupe import Group, representative, summary_kind
from giftwatch.entities.model import Entity, Relation
from giftwatch.entities.resolve import ArticleCast, Clusters, GiftParties, Node

_MAIN_ROLES = {"donor", "recipient", "through", "speaker"}


@dataclass
class GiftGroup:
    """One real gift: the stored gifts (article id, position) that report it and what they agree on."""

    members: list[tuple[str, int]]
    donors: list[str]                 # entity keys, in the order the reports name them
    through: list[str]                # entity keys of foundations (or people) given through
    recipient: str | None
    anonymous: bool
    amount: float | None
    amount_max: float | None
    currency: str | None
    amount_text: str | None
    kind: str
    date: str | None                  # the most precise date any report states
    reported: str | None              # the earliest publication date of its reports
    purpose: str | None
    in_name_of: list[str]
    tribute_type: str | None
    cause: str
    pledge: int | None = None         # index (in EntityIndex.groups) of the pledge this gift pays


@dataclass
class EntityIndex:
    entities: list[Entity] = field(default_factory=list)
    entity_nodes: dict[str, list[str]] = field(default_factory=dict)     # entity key → node keys
    node_entity: dict[str, str] = field(default_factory=dict)
    node_names: dict[str, str] = field(default_factory=dict)                    # node key → spelling
    gift_parties: list[tuple[str, int, str, str]] = field(default_factory=list)  # article, gift, entity, role
    groups: list[GiftGroup] = field(default_factory=list)
    quote_speakers: list[tuple[str, int, str]] = field(default_factory=list)     # article, quote, entity
    quote_gifts: list[tuple[str, int, int, str]] = field(default_factory=list)   # article, quote, gift, reason

    def entity(self, key: str) -> Entity | None:
        return next((e for e in self.entities if e.key == key), None)


def _kind(members: list[Node]) -> str:
    org_kinds = Counter(n.kind for n in members if not n.is_person for _ in range(sum(n.forms.values())))
    if not org_kinds:
        return "person"
    specific = Counter({k: c for k, c in org_kinds.items() if k != "organisation"})
    return (specific or org_kinds).most_common(1)[0][0]


def _canonical(members: list[Node], person: bool) -> str:
    """People: the most used full name (then the longer). Organisations: the fullest name used as a donor,
    recipient or speaker rather than as an alias, never an acronym when a full name is known."""
    counts: Counter = Counter()
    main: set[str] = set()
    for node in members:
        counts.update(node.forms)
        if set(node.roles) & _MAIN_ROLES:
            main.update(node.forms)

    def score(form: str) -> tuple:
        words = len(N.name_words(form))
        if person:
            return words >= 2, counts[form], words, form not in (form.lower(), form.upper()), form
        return not N.is_acronym(form), form in main, words, counts[form], form

    return max(counts, key=score)


def _entities(nodes: dict[str, Node], clusters: Clusters) -> tuple[list[Entity], dict[str, str], dict[str, list[str]]]:
    drafts = []
    for keys in clusters.groups().values():
        members = [nodes[k] for k in keys]
        kind = _kind(members)
        drafts.append((N.slug(_canonical(members, kind == "person")), min(keys), keys, members, kind))
    drafts.sort(key=lambda d: (d[0], d[1]))
    used: Counter = Counter()
    entities: list[Entity] = []
    node_entity: dict[str, str] = {}
    entity_nodes: dict[str, list[str]] = {}
    for slug, _, keys, members, kind in drafts:
        used[slug] += 1
        key = slug if used[slug] == 1 else f"{slug}-{used[slug]}"
        name = _canonical(members, kind == "person")
        aliases: dict[str, str] = {}
        for node in members:
            for form in node.forms:
                if N.fold(form) != N.fold(name):
                    aliases.setdefault(N.fold(form), form)
        entities.append(Entity(key, name, kind, sorted(aliases.values(), key=str.casefold),
                               sorted({n.article_id for n in members})))
        entity_nodes[key] = sorted(keys)
        node_entity.update((k, key) for k in keys)
    return entities, node_entity, entity_nodes


def _group_record(group: Group, parties: dict[tuple[str, int], GiftParties], gifts, node_entity,
                  by_key: dict[str, Entity]) -> GiftGroup:
    rep = representative(group)
    gift, _ = gifts[rep.ref]
    donors: dict[str, None] = {}
    through: dict[str, None] = {}
    honorees: dict[str, str] = {}
    dates, published, purposes, evidence = [], [], Counter(), []
    for member in [rep, *(m for m in group.members if m is not rep)]:
        member_gift, article = gifts[member.ref]
        p = parties[member.ref]
        donors.update((node_entity[k], None) for k in p.donors)
        through.update((node_entity[k], None) for k in p.through)
        for name in member_gift.in_name_of or []:
            honorees.setdefault(N.normalize(name), name)
        if member_gift.date:
            dates.append(member_gift.date)
        if article.published:
            published.append(article.published[:10])
        if member_gift.purpose:
            purposes[member_gift.purpose] += 1
        evidence.append(member_gift.evidence or "")
    through = {k: None for k in through if k not in donors}
    recipient = node_entity[parties[rep.ref].recipient] if parties[rep.ref].recipient else None
    purpose = max(purposes, key=lambda p: (purposes[p], len(p))) if purposes else None
    in_name_of = list(honorees.values())
    recipient_entity = by_key.get(recipient) if recipient else None
    return GiftGroup(
        members=[m.ref for m in group.members], donors=list(donors), through=list(through), recipient=recipient,
        anonymous=any(m.anonymous for m in group.members), amount=rep.amount, amount_max=rep.amount_max,
        currency=rep.currency, amount_text=gift.amount_text, kind=summary_kind(group),
        date=min(dates, key=lambda d: (-len(d), d)) if dates else None, reported=min(published, default=None),
        purpose=purpose, in_name_of=in_name_of, tribute_type=tribute_type(in_name_of, " ".join(evidence)),
        cause=classify_cause(purpose, recipient_entity.name if recipient_entity else None,
                             recipient_entity.kind if recipient_entity else None),
        pledge=group.pledge)


def assemble(casts: list[ArticleCast], nodes: dict[str, Node], clusters: Clusters, relations, quote_links,
             groups: list[Group], gifts) -> EntityIndex:
    entities, node_entity, entity_nodes = _entities(nodes, clusters)
    by_key = {e.key: e for e in entities}
    index = EntityIndex(entities, entity_nodes, node_entity, {k: n.name for k, n in nodes.items()})
    seen_relations: set[tuple[str, str, str, str]] = set()
    for cast in casts:
        aid = cast.article.id
        for subject, predicate, obj, evidence in relations[aid]:
            s, o = node_entity[subject], node_entity[obj]
            if s == o or (s, predicate, o, aid) in seen_relations:
                continue
            seen_relations.add((s, predicate, o, aid))
            relation = Relation(s, by_key[s].name, predicate, o, by_key[o].name, aid, evidence)
            by_key[s].relations.append(relation)
            by_key[o].relations.append(relation)
        for parties in cast.gifts:
            for role, keys in (("donor", parties.donors), ("through", parties.through),
                               ("recipient", [parties.recipient] if parties.recipient else []),
                               ("honoree", parties.honorees)):
                for entity in dict.fromkeys(node_entity[k] for k in keys):
                    index.gift_parties.append((aid, parties.position, entity, role))
        for q, speakers in enumerate(cast.speakers):
            for entity in dict.fromkeys(node_entity[k] for k in speakers):
                index.quote_speakers.append((aid, q, entity))
        index.quote_gifts.extend((aid, q, g, reason) for q, g, reason in quote_links[aid])
    parties = {(p.article_id, p.position): p for cast in casts for p in cast.gifts}
    index.groups = [_group_record(g, parties, gifts, node_entity, by_key) for g in groups]
    for group in index.groups:  # people who give together with their stated spouse give as a couple
        for key in group.donors:
            entity = by_key[key]
            if entity.kind == "person" and any(r.predicate == "spouse_of" and {r.subject, r.object} - {key} <=
                                               set(group.donors) for r in entity.relations):
                entity.kind = "couple member"
    return index
