"""What kind of gift a mention tells: donation, pledge, bequest, grant, matching or in-kind.

The gift word decides first ("bequest", "pledged", "grant", "match"); then the
sentence's wording ("in her will", "over five years", "every dollar … up to");
goods given instead of money ("donated three ultrasound machines, valued at
$180,000") make an in-kind gift, whatever their stated value.
"""
from __future__ import annotations

import re

from spacy.tokens import Token

from giftwatch.extractors.amounts import Money

BEQUEST = re.compile(r"\b(?:bequest|bequeath\w*|(?<!real )estate|in (?:his|her|their) (?:last )?wills?|"
                     r"(?:his|her|their) will\b|posthumous\w*)", re.I)
PLEDGE_WORDS = re.compile(r"\b(?:pledge[ds]?|pledging|committed (?:to (?:give|donate|provide)|(?:more than |over |"
                          r"nearly |about )?[$£€\d])|commitment of)", re.I)
PLEDGE = re.compile(r"\b(?:over|across|during) (?:the (?:next|coming|following) )?(?:\d+|two|three|four|five|six|seven|"
                    r"eight|nine|ten|several|a (?:period of|number of)) (?:\w+ )?years|\bmulti-?year\b|"
                    r"\b(?:a|per|each) year for (?:\d+|two|three|four|five|six|seven|eight|nine|ten) years", re.I)
MATCHING = re.compile(r"\bmatch(?:es|ed|ing)?\b", re.I)
MATCH_TERMS = re.compile(r"\b(?:every|each|dollar|up to|dollar-for-dollar|one-to-one|1:1|challenge)\b", re.I)
IN_KIND = re.compile(r"\b[Ii]n-kind\b|\b(?:equipment|supplies|land|property|artwork|papers|collection|roof|kits?|"
                     r"computers|vehicles?|meals|books|instruments)\b")   # lower case: "Tollard Instruments" is a name
VALUED = re.compile(r"\b(?:valued at|worth|value of|valued|retail value)\s+(?:\w+\s+){0,2}$", re.I)
# Objects of "donate" that are money, a share of money or a gift word, not goods.
MONEY_WORDS = {"money", "fund", "funds", "proceed", "proceeds", "dollar", "dollars", "cash", "sum", "amount", "portion",
               "percent", "%", "part", "share", "total", "profit", "profits", "sale", "sales", "revenue", "check",
               "cheque", "more", "all", "half", "million", "thousand", "stock", "shares", "time", "it", "them",
               "that", "this", "what", "much", "gift", "donation", "contribution", "grant", "pledge", "bequest",
               "commitment", "endowment", "match", "matching", "payment", "tip", "tips", "earnings", "royalties"}
GOODS_VERBS = {"donate", "give", "provide", "contribute", "gift", "present", "deliver", "supply"}


def goods_given(verb: Token, obj: Token | None, money_tokens: set[int]) -> bool:
    """Whether the verb's object is goods rather than money: "donated their 40-acre orchard",
    "provided 300 hygiene kits"; not "donated $5,000", "donated 10 percent of sales", "gave the Trust …"."""
    if obj is None or verb.lemma_.lower() not in GOODS_VERBS or obj.i in money_tokens:
        return False
    if obj.pos_ != "NOUN" or obj.lemma_.lower() in MONEY_WORDS or obj.lower_ in MONEY_WORDS:
        return False
    if any(t.i in money_tokens for t in obj.children if t.dep_ in ("nummod", "compound", "quantmod")):
        return False   # "$5,000 worth": the figure is the gift
    return bool(IN_KIND.search(" ".join(t.text for t in obj.subtree))) or verb.lemma_.lower() in (
        "donate", "gift", "contribute")


def gift_kind(lemma: str, gift_noun: Token | None, money: Money | None, text: str, goods: bool) -> str:
    """The FORMAT.md kind of one mention, from its gift word and its sentence."""
    words = {lemma, gift_noun.lemma_.lower() if gift_noun is not None else ""}
    if words & {"bequest", "bequeath"} or BEQUEST.search(text) or lemma == "leave" and money is not None:
        return "bequest"
    if "match" in words or MATCHING.search(text) and MATCH_TERMS.search(text):
        return "matching"
    if goods and (money is None or _valued(text, money)):
        return "in-kind"
    if words & {"pledge", "commit", "commitment"} or PLEDGE_WORDS.search(text):
        return "pledge"
    if "grant" in words:
        return "grant"
    if PLEDGE.search(text):
        return "pledge"
    if money is None and IN_KIND.search(text):
        return "in-kind"
    return "donation"


def _valued(sentence: str, money: Money) -> bool:
    """"…machines, valued at $180,000": the figure is the goods' value."""
    at = sentence.find(money.text)
    return at >= 0 and bool(VALUED.search(sentence[:at]))
