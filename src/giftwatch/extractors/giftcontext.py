"""The organisation an article is about, for gift sentences that name no recipient.

Press releases name the recipient once and then tell more of its gifts without
it: "Initial funding came from the Halvorsen Trust and the Ode Foundation",
"His contribution will have an immediate impact". Such a mention takes the
recipient the article's other gifts name most; failing that, the organisation
the article names most often (never one of the givers). A mention with no
recipient of its own and no amount is kept only when it has such a home.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from giftwatch.eval.scoring import name_match
from giftwatch.extractors.parties import Party

if TYPE_CHECKING:
    from giftwatch.extractors.giftvocab import GiftMention

MIN_ORG_MENTIONS = 2   # an organisation named once is no article's subject
RECIPIENT_WEIGHT = 2   # a gift naming it as recipient counts as much as two mentions


def article_recipient(mentions: list["GiftMention"], orgs: list[tuple[int, str]]) -> Party | None:
    """The organisation the article names most often, counting twice each gift that names it as
    recipient, and never one that gives in the article; among equals, the one named first."""
    givers = [n for m in mentions if not m.donors.described for n in m.donors.names]
    counts = Counter(name for _, name in orgs)
    for m in mentions:
        if m.recipient and not m.recipient.described and not m.recipient.is_person:
            counts[m.recipient.names[0]] += RECIPIENT_WEIGHT
    first_at: dict[str, int] = {}
    for start, name in orgs:
        first_at.setdefault(name, start)
    candidates = [n for n in counts if not any(name_match(n, g) for g in givers)]
    if not candidates:
        return None
    name = max(candidates, key=lambda n: (counts[n], -first_at.get(n, 10**9)))
    if counts[name] < MIN_ORG_MENTIONS:
        return None
    named = next((m.recipient for m in mentions if m.recipient.names[:1] == [name]), None)
    return named or Party([name])


def place_orphans(mentions: list["GiftMention"], orgs: list[tuple[int, str]]) -> list["GiftMention"]:
    """Give each mention without a recipient the article's recipient; drop those that cannot have one."""
    if all(m.recipient for m in mentions):
        return mentions
    home = article_recipient(mentions, orgs)
    placed = []
    for mention in mentions:
        if mention.recipient:
            placed.append(mention)
        elif mention.donors.described and not mention.donors.is_person:
            continue   # "their first gift": whose, the article must say
        elif home is not None and not any(name_match(n, g) for n in home.names for g in mention.donors.names):
            placed.append(replace(mention, recipient=replace(home, described=True)))
        elif mention.money is not None:
            placed.append(mention)   # may still complete a gift told elsewhere (see giftmerge)
    return placed
