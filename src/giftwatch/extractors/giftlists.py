"""Lists of gifts told in one sentence: "received $9 million: $6 million from A and $3 million from B".

Each "$N from X" (or "$N to X") pair is one gift; the figure that sums them
up is a total and no gift of its own, so the sentence's other gift words are
not read again. Only the parse spaCy already built is
read: a money figure and the "from"/"to" phrase hanging off it.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from giftwatch.extractors.amounts import Money
from giftwatch.extractors.giftgrammar import prep_object


@dataclass
class ListedGift:
    """One item of a list: its figure, the token naming the other party, and the figure's own token."""

    money: Money
    party: Token
    figure: Token


def listed_gifts(sentence: Span, money_at: dict[int, Money], preposition: str) -> list[ListedGift]:
    """The "$N from X" items of a sentence (`preposition` "from"), or "$N to X" items ("to"),
    when there are at least two of them; otherwise nothing."""
    items: list[ListedGift] = []
    seen: set[int] = set()
    for token in sentence:
        money = money_at.get(token.i)
        if money is None or money.start in seen or token.head.i in money_at and money_at[token.head.i] is money:
            continue   # only the head word of a figure carries its "from" phrase
        party = prep_object(token, preposition)
        if party is not None:
            seen.add(money.start)
            items.append(ListedGift(money, party, token))
    return items if len(items) >= 2 else []


def list_verb(items: list[ListedGift], verbs: set[str]) -> Token | None:
    """The gift or receiving verb the listed figures hang under ("has received $9 million: …")."""
    for ancestor in items[0].figure.ancestors:
        if ancestor.pos_ in ("VERB", "AUX") and ancestor.lemma_.lower() in verbs:
            return ancestor
    root = items[0].figure.sent.root
    return root if root.lemma_.lower() in verbs else None


def bracketed_items(sentence: Span, money_at: dict[int, Money]) -> list[tuple[Money, Token]]:
    """"selected Hero Dogs ($10,095), An Open Book Foundation ($9,095) and Together We Bake ($8,095)":
    each name with its figure in brackets, when there are at least two."""
    doc = sentence.doc
    items = []
    for token in sentence:
        money = money_at.get(token.i)
        if money is None or money.start != token.idx or token.i - 2 < sentence.start:
            continue
        if doc[token.i - 1].text == "(" and doc[token.i - 2].pos_ == "PROPN":
            items.append((money, doc[token.i - 2]))
    return items if len(items) >= 2 else []
