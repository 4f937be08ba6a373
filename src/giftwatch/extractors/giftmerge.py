"""One gift told across several sentences becomes one record.

Mentions merge when they agree on the amount and the parties; a mention
without an amount joins the one gift it must mean; a total of other gifts
is dropped in favour of its parts.
"""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from itertools import accumulate
from collections.abc import Iterable
from typing import TYPE_CHECKING

from giftwatch.eval.scoring import name_match
from giftwatch.extractors.giftdates import best_date
from giftwatch.records import Gift

if TYPE_CHECKING:
    from giftwatch.extractors.giftvocab import GiftMention

SPECIFIC_KINDS = ("bequest", "matching", "pledge", "grant", "in-kind")


def _names_meet(a: list[str], b: list[str]) -> bool:
    return any(name_match(x, y) for x in a for y in b)


def _same_amount(a, b) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= 0.01 * max(abs(a), abs(b))


def _recipient_names(m: "GiftMention") -> list[str]:
    return m.recipient.names + m.recipient.aliases


def _donors_agree(a: "GiftMention", b: "GiftMention") -> bool:
    if a.anonymous or b.anonymous:
        return a.anonymous == b.anonymous
    if a.donors.described or b.donors.described or _names_meet(a.donors.names, b.donors.names):
        return True
    people = [n for m in (a, b) if m.donors.is_person for n in m.donors.names]   # "Ines Okafor" gave through
    bodies = [n for m in (a, b) if not m.donors.is_person for n in m.donors.names]   # "Okafor Family Foundation"
    surnames = {n.split()[-1].lower() for n in people if len(n.split()) >= 2}
    return any(s in body.lower().split() for s in surnames for body in bodies)


def _amounts(a: "GiftMention", b: "GiftMention"):
    return (a.money.amount if a.money else None), (b.money.amount if b.money else None)


def _conflict(a: "GiftMention", b: "GiftMention") -> bool:
    """Two mentions that cannot be the same gift: other amount, other recipient or other donors."""
    amount_a, amount_b = _amounts(a, b)
    if amount_a is not None and amount_b is not None and not _same_amount(amount_a, amount_b):
        return True
    if (a.kind == "in-kind") != (b.kind == "in-kind") and (a.money is None) != (b.money is None):
        return True   # "also providing 500 first aid kits" is a second, in-kind gift
    if a.earlier != b.earlier:
        return True   # "his previous $2 million gift", "the family's first gift" are not the new gift
    if a.kind != b.kind and a.kind in SPECIFIC_KINDS and b.kind in SPECIFIC_KINDS and not (
            a.kind_guessed or b.kind_guessed):
        return True   # "a $3 million commitment" and "a portion of their estate" are two gifts
    if a.date and b.date and amount_a is not None and amount_b is not None and not (a.date.startswith(b.date) or b.date.startswith(a.date)):
        return True
    recipients_meet = not a.recipient or not b.recipient or _names_meet(_recipient_names(a), _recipient_names(b))
    return not recipients_meet or not _donors_agree(a, b)


def _same_gift(a: "GiftMention", b: "GiftMention") -> bool:
    """Mentions that tell one gift: same amount, or no amount but the same recipient."""
    if _conflict(a, b):
        return False
    amount_a, amount_b = _amounts(a, b)
    if amount_a is None or amount_b is None:
        return bool(a.recipient and b.recipient) or amount_a == amount_b
    return True


def _drop_totals(mentions: list["GiftMention"]) -> list["GiftMention"]:
    """Mentions without those whose amount is the sum of two or more smaller amounts in the article.

    The smaller amounts are summed in ascending order from running totals, so an article listing thousands
    of amounts costs a sort, not a pass over every amount per mention.
    """
    smaller = sorted({m.money.amount for m in mentions if m.money and m.money.amount})
    running = list(accumulate(smaller, initial=0))
    kept = []
    for m in mentions:
        value = m.money.amount if m.money else None
        below = bisect_left(smaller, value) if value else 0
        if value and below >= 2 and _same_amount(running[below], value):
            continue
        kept.append(m)
    return kept


class _Groups:
    """Groups of mentions in the order they were started, indexed by their amounts: a mention with an amount
    is compared only with the groups it could join, so an article listing thousands of gifts is not a
    comparison of every mention with every group."""

    def __init__(self) -> None:
        self.groups: list[list["GiftMention"]] = []
        self.unpriced: list[int] = []                 # groups none of whose mentions has an amount
        self.by_low: list[tuple[float, int]] = []     # (lowest amount, group) for the others, sorted
        self.span: dict[int, tuple[float, float]] = {}   # group: (lowest, highest amount)

    def candidates(self, mention: "GiftMention") -> Iterable[int]:
        """The groups, in order, that `mention` might join: those with an amount it could be the same as
        (within 2%, looser than _same_amount), and those without amounts."""
        amount = _amount(mention)
        if amount is None:
            return range(len(self.groups))
        low, high = 0.98 * amount, amount / 0.98
        start = bisect_left(self.by_low, (low, -1))
        stop = bisect_right(self.by_low, (high, len(self.groups)))
        return sorted([n for _, n in self.by_low[start:stop] if self.span[n][1] <= high] + self.unpriced)

    def add(self, mention: "GiftMention", n: int | None) -> None:
        """Put the mention in group n, or in a new group when n is None."""
        if n is None:
            self.groups.append([])
            n = len(self.groups) - 1
            self.unpriced.append(n)
        self.groups[n].append(mention)
        amount = _amount(mention)
        if amount is None:
            return
        if n in self.span:
            low, high = self.span[n]
            self.by_low.remove((low, n))
            low, high = min(low, amount), max(high, amount)
        else:
            self.unpriced.remove(n)
            low = high = amount
        self.span[n] = (low, high)
        insort(self.by_low, (low, n))


def _amount(mention: "GiftMention") -> float | None:
    """The mention's amount when it can be indexed (finite, not negative); else None: compared with all."""
    value = mention.money.amount if mention.money else None
    return value if value is not None and math.isfinite(value) and value >= 0 else None


def merge_mentions(mentions: list["GiftMention"], text: str) -> list[Gift]:
    """Each mention joins the first group it tells the same gift as, and conflicts with no mention of."""
    groups = _Groups()
    for mention in _drop_totals(mentions):
        home = next((n for n in groups.candidates(mention)
                     if any(_same_gift(mention, other) for other in groups.groups[n])
                     and not any(_conflict(mention, other) for other in groups.groups[n])), None)
        groups.add(mention, home)
    gifts = [_to_gift(group, text) for group in groups.groups]
    return [g for g in gifts if g is not None]


def _to_gift(group: list["GiftMention"], text: str) -> Gift | None:
    named = [m for m in group if m.recipient and not m.recipient.described] or [m for m in group if m.recipient]
    if not named or all(m.anaphoric and m.money is None for m in group):
        return None   # "presented the check to …" only refers back to a gift told before
    recipient = max((n for m in named for n in m.recipient.names), key=len)
    aliases = []
    for m in named:
        for name in m.recipient.names + m.recipient.aliases:
            if name != recipient and name not in aliases:
                aliases.append(name)
    donor_source = next((m for m in group if m.donors and not m.donors.described), None) or \
        next((m for m in group if m.donors), group[0])
    donors = ["anonymous"] if donor_source.anonymous and not donor_source.donors else list(donor_source.donors.names)
    donor_aliases = [n for m in group for n in m.donors.names + m.donors.aliases
                     if n not in donors and not m.donors.described]
    with_money = next((m for m in group if m.money), None)
    money = with_money.money if with_money else None
    kinds = [m.kind for m in group if not m.kind_guessed]
    kind = (with_money or group[0]).kind
    if kind == "donation":
        kind = next((k for k in kinds if k in SPECIFIC_KINDS), kind)
    sentences = sorted({(m.sentence.start_char, m.sentence.end_char) for m in group})
    evidence = " ".join(text[s:e].strip() for s, e in sentences)
    in_name_of = []
    for m in group:
        in_name_of.extend(n for n in m.in_name_of if n not in in_name_of)
    return Gift(
        donors=donors, donor_aliases=_unique(donor_aliases), recipient=recipient, recipient_aliases=aliases,
        amount=money.amount if money else None, amount_max=money.amount_max if money else None,
        currency=money.currency if money else None, amount_text=money.text if money else None, kind=kind,
        date=best_date([with_money.date if with_money else None] + [m.date for m in group]), purpose=next((m.purpose for m in group if m.purpose), None),
        in_name_of=in_name_of, evidence=evidence, evidence_start=sentences[0][0],
        evidence_end=sentences[-1][0] + len(text[sentences[-1][0]:sentences[-1][1]].rstrip()))


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
