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


_SENTENCE_ENDS = {".", "!", "?", "…", "\"", "”", "'", "’"}
_LIST_END = {";", ":", "(", ")", "—", "–", "--"}
_CORPORATE = {"inc", "inc.", "llc", "ltd", "ltd.", "corp", "corp.", "co", "co.", "plc", "lp", "llp"}
MAX_ITEM_TOKENS = 14


def surface_items(first: Token) -> list[Span]:
    """"contributions to A, the B, C Toy Drive, D's annual E event and F": the names of a list read at
    the surface, split on commas and "and", for lists of three or more the parser loses items of.

    The list starts at the name `first` belongs to and stops at the first piece that is not a name
    (", to name a few", ", a nonprofit in Ohio") or is a place ("Portland, Oregon")."""
    doc, sent = first.doc, _through_comma_breaks(first.sent)
    start = first.left_edge.i if first.left_edge.i >= sent.start else first.i
    while start < first.i and not (doc[start].lower_ == "the" or doc[start].text[:1].isupper()):
        start += 1
    items: list[Span] = []
    piece_start = start
    i = start
    while i <= sent.end:
        token = doc[i] if i < sent.end else None
        ends_piece = token is None or token.text == "," or token.text in _LIST_END or token.is_space or (
            token.lower_ in ("and", "&") and _next_is_name(doc, i + 1, sent) and not _inside_org(token))
        if not ends_piece:
            i += 1
            continue
        piece = doc[piece_start:i]
        if not _is_name_piece(piece):
            break
        items.append(piece)
        if token is None or token.text in _LIST_END or token.is_space:
            break
        i += 1
        while i < sent.end and doc[i].lower_ in ("and", "&", ","):
            i += 1
        piece_start = i
    return items if len(items) >= 3 else []


def _through_comma_breaks(sent: Span) -> Span:
    """A sentence the parser cut where no sentence ends ("…, Toy Drive, | CBS’ Neighbors 4 Neighbors | Adopt
    A Family …") runs on into the next."""
    doc, end = sent.doc, sent.end
    while end < len(doc) and not doc[end - 1].is_space and doc[end - 1].text not in _SENTENCE_ENDS and \
            not doc[end].is_space and end - sent.start < 200:
        end = doc[end].sent.end
    return doc[sent.start:end]


def _next_is_name(doc, i: int, sent: Span) -> bool:
    while i < sent.end and doc[i].lower_ == "the":
        i += 1
    return i < sent.end and doc[i].text[:1].isupper()


def _inside_org(token: Token) -> bool:
    """"Boys and Girls Club": the "and" is inside one organisation's name."""
    return token.ent_type_ == "ORG" and token.ent_iob_ == "I" and token.i + 1 < len(token.doc) and \
        token.doc[token.i + 1].ent_iob_ == "I"


def _is_name_piece(piece: Span) -> bool:
    words = [t for t in piece if not t.is_punct]
    if not words or len(piece) > MAX_ITEM_TOKENS:
        return False
    head = words[1] if words[0].lower_ == "the" and len(words) > 1 else words[0]
    if not head.text[:1].isupper() and not head.text[:1].isdigit():
        return False
    if all(t.ent_type_ in ("GPE", "LOC", "DATE") for t in words) or words[0].lower_ in _CORPORATE:
        return False
    return not any(t.pos_ in ("VERB", "AUX") and t.text.islower() for t in words)   # "Share the Love" is a name
