"""The words that tell a gift, the contexts that rule one out, and the record of one telling.

Kept apart from the finder (gifts.py) so that the vocabulary can be read, and
extended, in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from giftwatch.extractors.amounts import Money
from giftwatch.extractors.parties import Party

GIFT_VERBS = {"donate", "give", "pledge", "contribute", "bequeath", "gift", "commit", "grant", "award", "match",
              "present", "leave", "provide", "make", "announce", "offer"}
RECEIVE_VERBS = {"receive", "accept", "get", "secure", "land", "obtain"}
GIFT_NOUNS = {"donation", "gift", "contribution", "grant", "pledge", "bequest", "commitment", "endowment", "match",
              "check", "cheque", "gifts", "donations"}
WEAK_VERBS = {"present", "leave", "provide", "make", "announce", "offer", "give"}   # gifts only with a gift noun or money
NOT_GIFT_CONTEXT = re.compile(
    r"\b(?:campaign (?:contribution|donation)s?|political (?:contribution|donation)s?|PAC\b|super PAC|"
    r"inaugura\w+|candidate|re-?election|federal grant|state grant|government grant|prize money|salary|"
    r"loan|invest(?:ed|ment)|purchase[ds]?|acquired|raised|raising)", re.I)
GOVERNMENT = re.compile(r"\b(?:Department of|Ministry|Federal|Government|County Commission|City of|State of|"
                        r"National Institutes of Health|National Science Foundation|NIH|NSF|Congress|Senate|"
                        r"Administration|Agency)\b")
FEED_FOOTER = re.compile(r"^\s*The post .* appeared first on ")   # a syndication feed's repeat of the headline
TOTAL_WORDS = {"total", "totaling", "totalling", "lifetime", "cumulative", "combined", "overall", "collective"}
TOTAL_CONTEXT = re.compile(r"\b(?:since (?:beginning|starting|launching|opening)\b|since (?:its|the|their|his|her|our) (?:[\w’']+ )?(?:inception|founding|creation|start|"
                           r"launch|establishment|beginning)|since inception|since (?:19|20)\d\d|to date|in total|all[- ]time|"
                           r"over the (?:past|last|course of) (?:\d+|\w+)\+? (?:years|decades)|"
                           r"in (?:more than |over |nearly |almost )?(?:\d+|\w+)\+? (?:years|decades))\b", re.I)
# Money for candidates, parties and inaugurations is political, never a gift (FORMAT.md).
POLITICAL = re.compile(r"\binaugura\w*|\bfor (?:Senate|Congress|Mayor|Governor|President|Council|Assembly|Sheriff)\b|"
                       r"\b(?:re-?election|political action|campaign) (?:campaign|committee|fund)s?\b|"
                       r"\bsuper PAC\b|\bPAC\b|\bcampaigns? of\b", re.I)
PUBLIC_FUNDERS = {"federal", "state", "government", "governmental", "municipal", "public", "taxpayer"}
EARLIER_WORDS = {"previous", "prior", "earlier", "first", "past", "original", "initial"}
CAPTION = re.compile(r"(?:\bPhotos?|\bImage|\bCredit|\bPicture)\s*(?::|by\b|courtesy\b)[^.!?]*$")


@dataclass
class GiftMention:
    """One sentence's telling of a gift, before mentions of the same gift are merged."""

    sentence: Span
    donors: Party
    recipient: Party
    money: Money | None
    kind: str
    date: str | None
    purpose: str | None
    in_name_of: list[str] = field(default_factory=list)
    anonymous: bool = False
    anaphoric: bool = False   # "the donation": refers back to a gift told before
    earlier: bool = False   # "his previous gift", "their first gift": not the gift the article announces
    kind_guessed: bool = False   # "funding from the X Foundation": a grant by the giver's name, not by a word


def is_gift_word(token: Token) -> bool:
    """A word that tells a gift of its own: a gift noun, or a gift verb that needs no gift noun."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("NOUN", "PROPN"):
        return lemma in GIFT_NOUNS
    return token.pos_ in ("VERB", "AUX") and lemma in (GIFT_VERBS - WEAK_VERBS) | RECEIVE_VERBS


def is_definite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in noun.children)
