"""Givers named by funding words and lists: "Initial funding came from A, B and other foundations",
"thanks to the generous support of X", "a series of donations from companies including A, B and C".

"funding" and "support" are gifts only with a named private giver (and "support"
only when called generous, financial or philanthropic: "the support of the mayor"
is no gift). Each giver of such a list gave on its own, so each is one gift.
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from giftwatch.extractors.giftgrammar import child, governing_verb, has_modifier, prep_object, subject

FUNDING_NOUNS = {"funding", "support", "backing"}   # not "sponsorship": bought for advertising (FORMAT.md)
GENEROUS = {"generous", "financial", "philanthropic", "charitable", "lead", "major", "leadership"}
ARRIVE_VERBS = {"come", "arrive", "flow"}
PROVIDE_VERBS = {"provide", "give", "offer", "contribute", "pledge", "commit"}
LIST_PREPS = ("including", "like", "among")
NOT_GIVERS = re.compile(r"\b(?:Prize|Award|Awards|Scholarship|Program|Department|Agency|Ministry)\b")
GRANTMAKER = re.compile(r"\b(?:Foundation|Trust|Fund|Endowment|Charities|Philanthropies)\b")


def funding_parties(noun: Token) -> tuple[Token, Token | None] | None:
    """(giver, recipient) tokens for a funding noun, or None when it names no giver."""
    lemma = noun.lemma_.lower()
    if lemma in ("support", "backing") and not has_modifier(noun, GENEROUS):
        return None
    giver = prep_object(noun, "from", "by") if lemma == "funding" else prep_object(noun, "from", "by", "of")
    recipient = None
    verb = noun.head if noun.dep_ in ("nsubj", "dobj") else governing_verb(noun)
    if giver is None and verb is not None and noun.dep_ == "nsubj" and verb.lemma_.lower() in ARRIVE_VERBS:
        giver = prep_object(verb, "from")   # "Initial funding for the project came from A, B …"
    elif giver is None and verb is not None and noun.dep_ == "dobj" and verb.lemma_.lower() in PROVIDE_VERBS:
        giver, recipient = subject(verb), prep_object(verb, "to")   # "A provided funding to B", never to
        if recipient is None:                                         # "hundreds of nonprofits"
            return None
    elif verb is not None and noun.dep_ != "nsubj":
        recipient = subject(verb) or child(verb, "nsubjpass")   # "B is honored by the generous support of A"
    if giver is None:
        return None
    return giver, recipient


def listed_givers(token: Token) -> list[Token]:
    """"major corporations including A, B and C" → A, B, C (named ones only)."""
    for prep in token.children:
        if prep.dep_ == "prep" and (prep.lower_ in LIST_PREPS or prep.lower_ == "as" and prep.i > 0 and
                                    prep.doc[prep.i - 1].lower_ == "such"):
            first = child(prep, "pobj")
            if first is not None and first.pos_ == "PROPN":
                return [first] + [c for c in first.conjuncts if c.pos_ == "PROPN"]
    return []


def funding_kind(donor_names: list[str]) -> str:
    """Funding from a foundation or trust is a grant; from anyone else a donation."""
    return "grant" if any(GRANTMAKER.search(n) for n in donor_names) else "donation"
