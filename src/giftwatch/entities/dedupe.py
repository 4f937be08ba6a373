"""One real gift, however many articles report it.

Two stored gifts from different articles are the same gift when all of these hold:
  - the same recipient entity;
  - at least one shared giver: a donor or a foundation given through, compared as entities (a person also matches
    a same-named person, since the shared gift is itself the evidence that joins them), anonymous only anonymous;
  - amounts that agree: equal within 1%, or within 5% where one is the other rounded ("$8.46 million" and
    "$8.5 million"), or overlapping ranges; a report without an amount joins the only gift it can be;
  - the same currency (or one unstated);
  - close dates: the gifts' dates (their own, else their article's publication date, each a span at its stated
    precision) lie within DATE_WINDOW_DAYS of each other; an unknown date does not object.
One article's gifts are never merged with each other (the extractor already merged what one article says twice).

A pledge and a later gift of the same amount, from the same givers to the same recipient, dated after the
window, are two records *linked*: the later one is the payment of the pledge, and totals count the pledge once.
A smaller later gift is a payment too when its evidence says so ("first installment", "paid").
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

DATE_WINDOW_DAYS = 45
KIND_PRIORITY = ("pledge", "bequest", "grant", "matching", "in-kind", "donation")
_PAYMENT_WORDS = re.compile(r"\b(?:pledge[ds]?|install?ments?|payments?|paid|fulfil+(?:ed|s|ment)?|tranche)\b", re.I)


@dataclass
class GiftFacts:
    """What dedup compares about one stored gift."""

    ref: tuple[str, int]            # (article id, position in the article's gifts)
    givers: list[str]               # node keys of donors and foundations given through
    recipient: str | None           # node key
    anonymous: bool
    amount: float | None
    amount_max: float | None
    currency: str | None
    kind: str
    date: str | None
    published: str | None
    evidence: str = ""


@dataclass
class Group:
    members: list[GiftFacts] = field(default_factory=list)
    pledge: int | None = None       # index of the pledge group this gift pays

    @property
    def articles(self) -> set[str]:
        return {m.ref[0] for m in self.members}


def _span(iso: str | None) -> tuple[date, date] | None:
    """"2018" → (2018-01-01, 2018-12-31); "2018-02" → February; "2018-02-14" → that day."""
    if not iso:
        return None
    try:
        parts = [int(p) for p in iso[:10].split("-")]
        if len(parts) == 1:
            return date(parts[0], 1, 1), date(parts[0], 12, 31)
        if len(parts) == 2:
            start = date(parts[0], parts[1], 1)
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
            return start, end
        day = date(parts[0], parts[1], parts[2])
        return day, day
    except ValueError:
        return None


def effective_date(gift: GiftFacts) -> str | None:
    return gift.date or (gift.published[:10] if gift.published else None)


def days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two date spans (0 when they overlap); None when either is unknown."""
    sa, sb = _span(a), _span(b)
    if sa is None or sb is None:
        return None
    if sa[1] < sb[0]:
        return (sb[0] - sa[1]).days
    if sb[1] < sa[0]:
        return (sa[0] - sb[1]).days
    return 0


def _significant_digits(value: float) -> int:
    digits = f"{abs(value):.6g}".replace(".", "").lstrip("0").split("e")[0]
    return max(1, len(digits.rstrip("0")))


def _round_to(value: float, digits: int) -> float:
    return float(f"{value:.{digits}g}")


def amounts_agree(a: GiftFacts, b: GiftFacts) -> bool:
    """Equal within 1%, one the other rounded (within 5%), or overlapping ranges. Unknown amounts agree."""
    if a.amount is None or b.amount is None:
        return True
    x, y = float(a.amount), float(b.amount)
    biggest = max(abs(x), abs(y)) or 1.0
    if abs(x - y) <= 0.01 * biggest:
        return True
    lo_a, hi_a = x, float(a.amount_max or x)
    lo_b, hi_b = y, float(b.amount_max or y)
    if (a.amount_max or b.amount_max) and lo_a <= hi_b and lo_b <= hi_a:
        return True
    if abs(x - y) > 0.05 * biggest:
        return False
    return _round_to(y, _significant_digits(x)) == x or _round_to(x, _significant_digits(y)) == y


def _currencies_agree(a: GiftFacts, b: GiftFacts) -> bool:
    return not a.currency or not b.currency or a.currency.upper() == b.currency.upper()


class Deduplicator:
    """Groups gifts. `same_party(node_a, node_b)` says whether two nodes name one giver or recipient;
    `bucket(node)` is a key equal for any two recipients that can be the same (so only those are compared)."""

    def __init__(self, same_party: Callable[[str, str], bool], bucket: Callable[[str], str]):
        self.same_party = same_party
        self.bucket = bucket

    def _givers_overlap(self, a: GiftFacts, b: GiftFacts) -> bool:
        if a.anonymous and b.anonymous:
            return True
        return any(self.same_party(x, y) for x in a.givers for y in b.givers)

    def _parties_agree(self, a: GiftFacts, b: GiftFacts) -> bool:
        return (a.recipient is not None and b.recipient is not None and self.same_party(a.recipient, b.recipient)
                and self._givers_overlap(a, b) and _currencies_agree(a, b))

    def same_gift(self, a: GiftFacts, b: GiftFacts) -> bool:
        if not self._parties_agree(a, b) or not amounts_agree(a, b):
            return False
        apart = days_apart(effective_date(a), effective_date(b))
        return apart is None or apart <= DATE_WINDOW_DAYS

    def group(self, gifts: Sequence[GiftFacts]) -> list[Group]:
        """Single-link grouping per recipient: gifts with amounts first (oldest first), then those without, which
        join only when exactly one group can hold them."""
        by_recipient: dict[str, list[GiftFacts]] = {}
        groups: list[Group] = []
        for gift in gifts:
            if gift.recipient is None:
                groups.append(Group([gift]))
            else:
                by_recipient.setdefault(self.bucket(gift.recipient), []).append(gift)
        for same_recipient in by_recipient.values():
            ordered = sorted(same_recipient, key=lambda g: (g.amount is None, effective_date(g) or "9999", g.ref))
            local: list[Group] = []
            for gift in ordered:
                fits = [grp for grp in local if gift.ref[0] not in grp.articles
                        and any(self.same_gift(gift, m) for m in grp.members)
                        and (gift.amount is None or all(amounts_agree(gift, m) for m in grp.members))]
                if len(fits) == 1 or (fits and gift.amount is not None):
                    fits[0].members.append(gift)
                else:
                    local.append(Group([gift]))
            offset = len(groups)
            self._link_payments(local, offset)
            groups.extend(local)
        return groups

    def _link_payments(self, groups: list[Group], offset: int) -> None:
        """Link each non-pledge group to the latest earlier pledge it pays (`offset`: index of groups[0])."""
        pledges = [(offset + i, representative(g)) for i, g in enumerate(groups) if summary_kind(g) == "pledge"]
        pledges.sort(key=lambda p: effective_date(p[1]) or "", reverse=True)
        for group in groups:
            if not pledges or summary_kind(group) == "pledge":
                continue
            paid = representative(group)
            for index, pledge in pledges:
                if not self._parties_agree(paid, pledge) or paid.amount is None or pledge.amount is None:
                    continue
                apart = days_apart(effective_date(pledge), effective_date(paid))
                later = (effective_date(paid) or "") > (effective_date(pledge) or "")
                if apart is None or apart <= DATE_WINDOW_DAYS or not later:
                    continue
                partial = paid.amount <= pledge.amount and any(_PAYMENT_WORDS.search(m.evidence or "")
                                                               for m in group.members)
                if amounts_agree(paid, pledge) or partial:
                    group.pledge = index
                    break


def summary_kind(group: Group) -> str:
    """The kind most reports give; ties go to the more specific kind (a pledge over a donation)."""
    counts = Counter(m.kind or "donation" for m in group.members)
    return max(counts, key=lambda k: (counts[k], -KIND_PRIORITY.index(k) if k in KIND_PRIORITY else -99))


def representative(group: Group) -> GiftFacts:
    """The member whose amount most reports agree on, then the most precise figure, then the oldest."""
    with_amount = [m for m in group.members if m.amount is not None]
    if not with_amount:
        return group.members[0]
    counts = Counter(m.amount for m in with_amount)
    best = max(range(len(with_amount)), key=lambda i: (counts[with_amount[i].amount],
                                                       _significant_digits(float(with_amount[i].amount)), -i))
    return with_amount[best]
