"""Which names are one entity. Every name an article's records use (donor, foundation given through, recipient and
its aliases, honoree, speaker) is a *node*, keyed by article and normal form. Nodes are joined by evidence:

Within one article (the article itself is the evidence):
  - the same normal form is one node ("Dr. Miriam Sato" = "Miriam Sato");
  - full names whose first and last names agree ("John F. Smith" = "John Smith");
  - a first-name-only or surname-only mention joins the one full name in the article it can belong to
    (ambiguous ones, "Pennick" beside Walter and June Pennick, join nobody);
  - a recipient and the aliases its gift record gives ("UCSC" for "University of California, Santa Cruz"),
    a shortened organisation name ("St. Agnes" for "St. Agnes Medical Center") and an acronym of one.
Across articles:
  - organisations with the same (non-generic) normal form are one organisation; an acronym standing alone joins
    the single organisation it abbreviates, if exactly one does;
  - people with the same full name are joined only with corroborating evidence: both are tied, in their own
    articles, to the same organisation (as donor, recipient, honoree, speaker about a gift, or by a stated role
    such as "executive director of"), or both are stated spouses of people of the same name, or both are donors
    of one deduplicated gift (see dedupe.py). Two "John Smith"s without such evidence stay two entities.
Manual decisions (merge, split) are applied first and bind: a split's two sides are never joined again by
automatic evidence; a later decision about the same names overrides an earlier one.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from giftwatch.entities import names as N
from giftwatch.records import Article

SEP = "\x1f"  # between article id and normal form in a node key


def node_key(article_id: str, norm: str) -> str:
    return f"{article_id}{SEP}{norm}"


@dataclass
class Node:
    """One name as one article uses it."""

    key: str
    article_id: str
    norm: str
    forms: Counter = field(default_factory=Counter)
    roles: Counter = field(default_factory=Counter)
    kind: str = "organisation"

    @property
    def is_person(self) -> bool:
        return self.kind == "person"

    @property
    def name(self) -> str:
        """The article's most used spelling, preferring "Maria Delgado" over "maria delgado"."""
        return max(self.forms, key=lambda f: (self.forms[f], f not in (f.lower(), f.upper()), len(f)))

    @property
    def words(self) -> list[str]:
        return self.norm.split()


@dataclass
class GiftParties:
    """The nodes one stored gift names, by role."""

    article_id: str
    position: int
    donors: list[str] = field(default_factory=list)
    through: list[str] = field(default_factory=list)
    recipient: str | None = None
    recipient_aliases: list[str] = field(default_factory=list)
    honorees: list[str] = field(default_factory=list)
    anonymous: bool = False


@dataclass
class ArticleCast:
    article: Article
    nodes: dict[str, Node] = field(default_factory=dict)   # by normal form
    gifts: list[GiftParties] = field(default_factory=list)
    speakers: list[list[str]] = field(default_factory=list)  # node keys per quote


def collect_cast(article: Article) -> ArticleCast:
    """The article's nodes, and which of them each gift and quote names."""
    cast = ArticleCast(article)

    def note(name: str | None, role: str) -> str | None:
        if not name or not name.strip() or N.is_anonymous(name):
            return None
        if len(name.split()) == 1 and name.islower():
            return None  # "wife", "donor": a description, not a name
        norm = N.normalize(name)
        if not norm:
            return None
        node = cast.nodes.get(norm)
        if node is None:
            node = cast.nodes[norm] = Node(node_key(article.id, norm), article.id, norm)
        node.forms[name.strip()] += 1
        node.roles[role] += 1
        return node.key

    for position, gift in enumerate(article.gifts):
        parties = GiftParties(article.id, position, anonymous=any(N.is_anonymous(d) for d in gift.donors or []))
        parties.donors = [k for d in gift.donors or [] if (k := note(d, "donor"))]
        parties.through = [k for d in gift.donor_aliases or [] if (k := note(d, "through"))]
        parties.recipient = note(gift.recipient, "recipient")
        parties.recipient_aliases = [k for r in gift.recipient_aliases or [] if (k := note(r, "recipient_alias"))]
        parties.honorees = [k for h in gift.in_name_of or [] if (k := note(h, "honoree"))]
        cast.gifts.append(parties)
    for quote in article.quotes:
        cast.speakers.append([k for s in quote.speakers or [] if (k := note(s, "speaker"))])
    for node in cast.nodes.values():
        node.kind = _node_kind(node)
    return cast


def _node_kind(node: Node) -> str:
    for form in node.forms:
        kind = N.org_kind(form)
        if kind:
            return kind
    if node.roles["speaker"] or node.roles["honoree"]:
        return "person"
    if node.roles["recipient_alias"] and not node.roles["recipient"]:
        return "organisation"  # short names and acronyms of recipients
    if set(node.roles) <= {"recipient", "recipient_alias"}:
        return "person" if N.looks_like_personal_name(node.name) else "organisation"
    return "person" if N.looks_like_person(node.name) else "organisation"


class Clusters:
    """Union-find over node keys that refuses joins a split decision forbids."""

    def __init__(self, keys: Iterable[str]):
        self.parent = {k: k for k in keys}
        self.marks: dict[str, set[tuple[int, int]]] = {}

    def mark(self, key: str, decision: int, side: int) -> None:
        if key in self.parent:
            self.marks.setdefault(self.find(key), set()).add((decision, side))

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ma, mb = self.marks.get(ra, set()), self.marks.get(rb, set())
        if any((d, 1 - s) in mb for d, s in ma):
            return False
        self.parent[rb] = ra
        if mb:
            self.marks[ra] = ma | mb
            self.marks.pop(rb, None)
        return True

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key in self.parent:
            out.setdefault(self.find(key), []).append(key)
        return out


@dataclass
class Decision:
    """A manual merge or split, anchored on node keys so it survives rebuilding the entities."""

    id: int
    action: str             # "merge" | "split"
    first: list[str]        # merge: one entity's nodes; split: the nodes moved out
    second: list[str]       # merge: the other entity's nodes; split: the nodes that stay


def apply_decisions(clusters: Clusters, decisions: Iterable[Decision]) -> None:
    """Later decisions override earlier ones about the same nodes; merges join, splits forbid joining."""
    active: list[Decision] = []
    for decision in sorted(decisions, key=lambda d: d.id):
        a, b = set(decision.first), set(decision.second)
        active = [d for d in active
                  if not ((a & set(d.first) and b & set(d.second)) or (b & set(d.first) and a & set(d.second)))]
        active.append(decision)
    for decision in active:
        if decision.action == "split":
            for key in decision.first:
                clusters.mark(key, decision.id, 0)
            for key in decision.second:
                clusters.mark(key, decision.id, 1)
    for decision in active:
        if decision.action == "merge":
            keys = [k for k in (*decision.first, *decision.second) if k in clusters.parent]
            for key in keys[1:]:
                clusters.join(keys[0], key)


def join_within_article(cast: ArticleCast, clusters: Clusters) -> None:
    people = [n for n in cast.nodes.values() if n.is_person]
    full = [n for n in people if len(n.words) >= 2]
    for a, b in combinations(full, 2):
        if N.same_person_name(a.norm, b.norm):
            clusters.join(a.key, b.key)
    for single in (n for n in people if len(n.words) == 1):
        word = single.words[0]
        candidates = [n for n in full if word in (n.words[0], n.words[-1])]
        active = [n for n in candidates if set(n.roles) - {"honoree"}] or candidates
        if len({clusters.find(n.key) for n in active}) == 1:
            clusters.join(active[0].key, single.key)
    for gift in cast.gifts:
        if gift.recipient:
            for alias in gift.recipient_aliases:
                clusters.join(gift.recipient, alias)
    orgs = [n for n in cast.nodes.values() if not n.is_person and not N.is_generic(n.norm)]
    for a, b in combinations(orgs, 2):
        short, long_ = (a, b) if len(a.words) <= len(b.words) else (b, a)
        if (len(short.words) < len(long_.words) and long_.words[:len(short.words)] == short.words) or \
                any(N.is_acronym(f) and N.acronym(g) == f.replace(".", "").upper()
                    for f in short.forms for g in long_.forms):
            clusters.join(long_.key, short.key)


def join_organisations(casts: Iterable[ArticleCast], clusters: Clusters) -> None:
    """Same normal form → same organisation; a lone acronym joins the one organisation it abbreviates."""
    by_norm: dict[str, list[Node]] = {}
    acronyms: list[Node] = []
    for cast in casts:
        for node in cast.nodes.values():
            if node.is_person or N.is_generic(node.norm):
                continue
            by_norm.setdefault(node.norm, []).append(node)
            if any(N.is_acronym(f) for f in node.forms):
                acronyms.append(node)
    for nodes in by_norm.values():
        for node in nodes[1:]:
            clusters.join(nodes[0].key, node.key)
    expansions: dict[str, set[str]] = {}
    for norm, nodes in by_norm.items():
        for node in nodes:
            for form in node.forms:
                if not N.is_acronym(form) and (initials := N.acronym(form)):
                    expansions.setdefault(initials, set()).add(clusters.find(node.key))
    for node in acronyms:
        letters = node.name.replace(".", "").upper()
        roots = expansions.get(letters, set())
        if len(roots) == 1:
            clusters.join(next(iter(roots)), node.key)


def join_people(people: list[tuple[Node, set[str], set[str]]], clusters: Clusters) -> None:
    """Join same-named people of different articles whose contexts share an organisation (cluster roots, looked
    up now) or a spouse's name. `people`: (node, org node keys tied to it, spouse names)."""
    buckets: dict[tuple[str, str], list[tuple[Node, set[str], set[str]]]] = {}
    for item in people:
        if len(item[0].words) >= 2:
            buckets.setdefault((item[0].words[0], item[0].words[-1]), []).append(item)
    for bucket in buckets.values():
        # index by shared evidence, so a common name costs one pass, not a comparison of every pair
        by_evidence: dict[str, list[Node]] = {}
        for node, orgs, spouses in bucket:
            for org in orgs:
                by_evidence.setdefault(f"org:{clusters.find(org)}", []).append(node)
            for spouse in spouses:
                parts = N.person_parts(spouse)
                if parts:
                    by_evidence.setdefault(f"spouse:{parts[0]} {parts[2]}", []).append(node)
        for nodes in by_evidence.values():
            for i, node in enumerate(nodes):
                for other in nodes[:i]:
                    if other.article_id != node.article_id and N.same_person_name(other.norm, node.norm) \
                            and clusters.join(other.key, node.key):
                        break
