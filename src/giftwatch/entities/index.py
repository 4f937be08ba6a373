"""From stored articles to entities, deduplicated gifts and quote links: one pure function, `build_index`, that
the store runs whenever articles or manual decisions change (and that tests run without a database)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from giftwatch.entities import names as N
from giftwatch.entities.dedupe import Deduplicator, GiftFacts
from giftwatch.entities.finalize import EntityIndex, GiftGroup, assemble
from giftwatch.entities.quotelinks import link_quotes
from giftwatch.entities.relations import couple_stated, find_relations, role_relation
from giftwatch.entities.resolve import (ArticleCast, Clusters, Decision, Node, apply_decisions, collect_cast,
                                        join_organisations, join_people, join_within_article)
from giftwatch.records import Article, Gift

_THE_KINDS = ("foundation", "trust", "university", "school", "hospital", "museum", "library", "company", "charity")


def _article_forms(cast: ArticleCast) -> tuple[dict[str, str], dict[str, str]]:
    """How each person and organisation of the article may be written in its text → node key."""
    people: dict[str, str] = {}
    orgs: dict[str, str] = {}
    persons = [n for n in cast.nodes.values() if n.is_person]
    for node in persons:
        for form in node.forms:
            people[form] = node.key
    for position in (0, -1):  # a first name or a surname alone, when only one person of the article has it
        seen = Counter(n.name.split()[position] for n in persons if len(n.name.split()) >= 2)
        for node in persons:
            parts = node.name.split()
            if len(parts) >= 2 and seen[parts[position]] == 1:
                people.setdefault(parts[position], node.key)
    heads: dict[str, list[str]] = {}
    for node in (n for n in cast.nodes.values() if not n.is_person):
        for form in node.forms:
            orgs[form] = node.key
            words = form.split()
            while len(words) > 1 and N.is_generic(words[-1]):
                words = words[:-1]
            if len(words) < len(form.split()) and not N.is_generic(" ".join(words)):
                orgs.setdefault(" ".join(words), node.key)  # "St. Agnes" for "St. Agnes Medical Center"
            if len(form.split()) >= 2 and N.is_generic(form.split()[-1]):
                heads.setdefault(f"the {' '.join(form.split()[-2:]).lower()}", []).append(node.key)
                heads.setdefault(f"the {form.split()[-1].lower()}", []).append(node.key)
        if node.kind in _THE_KINDS:
            heads.setdefault(f"the {node.kind}", []).append(node.key)
    for form, keys in heads.items():
        if len(set(keys)) == 1:
            orgs.setdefault(form, keys[0])
    return people, orgs


def _stated_relations(cast: ArticleCast, clusters: Clusters) -> list[tuple[str, str, str, str | None]]:
    """(subject node, predicate, object node, evidence) the article states, by text patterns, quote roles,
    the foundations gifts were given through, and couples giving together."""
    nodes, text = cast.nodes, cast.article.text or ""
    people, orgs = _article_forms(cast)
    found = [(r.subject, r.predicate, r.object, r.evidence) for r in find_relations(text, people, orgs)]
    by_key = {n.key: n for n in nodes.values()}
    for quote, speakers in zip(cast.article.quotes, cast.speakers):
        if quote.speaker_role and len(speakers) == 1 and by_key[speakers[0]].is_person:
            stated = role_relation(quote.speaker_role, speakers[0], orgs)
            if stated:
                found.append((speakers[0], stated[0], stated[1], f"{by_key[speakers[0]].name}, {quote.speaker_role}"))
    for gift, parties in zip(cast.article.gifts, cast.gifts):
        for donor in parties.donors:
            for through in parties.through:
                d, t = by_key[donor], by_key[through]
                if d.is_person and not t.is_person:
                    found.append((donor, "gave_through", through, gift.evidence))
                elif t.is_person and not d.is_person:
                    found.append((through, "gave_through", donor, gift.evidence))
                elif not d.is_person and not t.is_person and clusters.find(donor) != clusters.find(through):
                    found.append((donor, "gave_through", through, gift.evidence))
        persons = [by_key[k] for k in parties.donors if by_key[k].is_person and len(by_key[k].words) >= 2]
        if len(persons) == 2 and len({clusters.find(p.key) for p in persons}) == 2 \
                and persons[0].words[-1] == persons[1].words[-1] and couple_stated(text):
            found.append((persons[0].key, "spouse_of", persons[1].key, gift.evidence))
    return found


def _contexts(cast: ArticleCast, clusters: Clusters, relations, quote_links) -> list[tuple[Node, set[str], set[str]]]:
    """For each person of the article: the organisations tied to them here, and their stated spouses' names."""
    by_key = {n.key: n for n in cast.nodes.values()}
    orgs: dict[str, set[str]] = {}
    spouses: dict[str, set[str]] = {}

    def tie(person: str, org_keys: Iterable[str]) -> None:
        orgs.setdefault(clusters.find(person), set()).update(org_keys)

    for parties in cast.gifts:
        named = [*parties.donors, *parties.through, *([parties.recipient] if parties.recipient else [])]
        gift_orgs = [k for k in named if not by_key[k].is_person]
        for key in [*named, *parties.honorees]:
            if by_key[key].is_person:
                tie(key, gift_orgs)
    for subject, predicate, obj, _ in relations:
        if predicate == "spouse_of":
            spouses.setdefault(clusters.find(subject), set()).add(by_key[obj].norm)
            spouses.setdefault(clusters.find(obj), set()).add(by_key[subject].norm)
        elif by_key[subject].is_person and not by_key[obj].is_person:
            tie(subject, [obj])
    for q, g, _ in quote_links:
        parties = cast.gifts[g]
        gift_orgs = [k for k in [*parties.donors, *parties.through, parties.recipient] if k and not by_key[k].is_person]
        for speaker in cast.speakers[q]:
            if by_key[speaker].is_person:
                tie(speaker, gift_orgs)
    return [(n, orgs.get(clusters.find(n.key), set()), spouses.get(clusters.find(n.key), set()))
            for n in cast.nodes.values() if n.is_person]


def build_index(articles: Iterable[Article], decisions: Iterable[Decision] = ()) -> EntityIndex:
    """Entities, relations, deduplicated gifts and quote links over all `articles` (see resolve.py and
    dedupe.py for the evidence each join needs)."""
    casts = [collect_cast(a) for a in articles]
    nodes: dict[str, Node] = {n.key: n for c in casts for n in c.nodes.values()}
    clusters = Clusters(nodes)
    apply_decisions(clusters, decisions)
    for cast in casts:
        join_within_article(cast, clusters)
    join_organisations(casts, clusters)

    relations: dict[str, list] = {}
    quote_links: dict[str, list[tuple[int, int, str]]] = {}
    people = []
    for cast in casts:
        aid = cast.article.id
        relations[aid] = _stated_relations(cast, clusters)
        related = {(clusters.find(s), clusters.find(o)) for s, _, o, _ in relations[aid]}

        def speaker_is_party(q: int, g: int, cast: ArticleCast = cast, related=related) -> bool:
            parties = cast.gifts[g]
            sides = {clusters.find(k) for k in [*parties.donors, *parties.through, parties.recipient] if k}
            return any(clusters.find(s) in sides or any((clusters.find(s), o) in related for o in sides)
                       for s in cast.speakers[q])

        quote_links[aid] = link_quotes(cast.article, speaker_is_party)
        people.extend(_contexts(cast, clusters, relations[aid], quote_links[aid]))
    join_people(people, clusters)

    def same_party(a: str, b: str) -> bool:
        if clusters.find(a) == clusters.find(b):
            return True
        na, nb = nodes[a], nodes[b]
        return na.is_person and nb.is_person and N.same_person_name(na.norm, nb.norm)

    def bucket(key: str) -> str:
        node = nodes[key]
        if node.is_person and len(node.words) >= 2:
            return f"person:{node.words[0]} {node.words[-1]}"
        return f"root:{clusters.find(key)}"

    facts = []
    gifts: dict[tuple[str, int], tuple[Gift, Article]] = {}
    for cast in casts:
        for gift, parties in zip(cast.article.gifts, cast.gifts):
            ref = (cast.article.id, parties.position)
            gifts[ref] = (gift, cast.article)
            facts.append(GiftFacts(ref, [*parties.donors, *parties.through], parties.recipient, parties.anonymous,
                                   gift.amount, gift.amount_max, gift.currency, gift.kind or "donation", gift.date,
                                   cast.article.published, gift.evidence or ""))
    groups = Deduplicator(same_party, bucket).group(facts)
    for group in groups:  # donors of one real gift with the same full name are one person
        by_name: dict[tuple[str, str], list[str]] = {}
        for key in (k for m in group.members for k in m.givers if nodes[k].is_person and len(nodes[k].words) >= 2):
            by_name.setdefault((nodes[key].words[0], nodes[key].words[-1]), []).append(key)
        for givers in by_name.values():
            for i, a in enumerate(givers):
                for b in givers[:i]:
                    if nodes[a].article_id != nodes[b].article_id and N.same_person_name(nodes[a].norm, nodes[b].norm) \
                            and clusters.join(a, b):
                        break
    return assemble(casts, nodes, clusters, relations, quote_links, groups, gifts)


__all__ = ["Decision", "EntityIndex", "GiftGroup", "build_index"]
