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
    from giftwatch.extractors.gifts import GiftMention

MIN_ORG_MENTIONS = 2   # an organisation named once is no article's subject


def article_recipient(mentions: list["GiftMention"], orgs: list[tuple[int, str]]) -> Party | None:
    """The organisation the article names most often that gives nothing in it; among equals, the one
    its gifts name as recipient, then the one named first."""
    givers = [n for m in mentions if not m.donors.described for n in m.donors.names]
    counts = Counter(name for _, name in orgs if not any(name_match(name, g) for g in givers))
    if not counts:
        return None
    receiving = {n for m in mentions for n in m.recipient.names}
    first_at = {}
    for start, name in orgs:
        first_at.setdefault(name, start)
    name = max(counts, key=lambda n: (counts[n], n in receiving, -first_at[n]))
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
