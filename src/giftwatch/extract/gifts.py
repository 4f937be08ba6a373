"""Gifts: who gave what to whom, found from the words that announce a gift.

Each gift verb ("donated", "pledged", "received … from") or gift noun ("a $2
million gift from", "Scott's donation") in a sentence is an anchor. Its
donor, recipient and amount come from the parse around it; `merge_mentions`
then folds mentions of the same gift across sentences into one record.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from giftwatch.extract.amounts import Money, article_currency, find_amounts
from giftwatch.extract.dates import find_dates
from giftwatch.extract.giftmerge import merge_mentions
from giftwatch.extract.names import Cast
from giftwatch.extract.parties import Party, PartyResolver
from giftwatch.extract.tribute import find_purpose, find_tribute
from giftwatch.records import Gift, Quote

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
CAPTION = re.compile(r"(?:\bPhotos?|\bImage|\bCredit|\bPicture)\s*(?::|by\b|courtesy\b)[^.!?]*$")
BEQUEST = re.compile(r"\b(?:bequest|bequeath\w*|estate|in (?:his|her|their) wills?|the late)\b", re.I)
PLEDGE = re.compile(r"\b(?:pledge[ds]?|pledging|commit(?:ted|ment|s)?|over (?:the (?:next|coming) )?"
                    r"(?:\w+|\d+) years|multi-?year)\b", re.I)
MATCHING = re.compile(r"\bmatch(?:es|ed|ing)?\b", re.I)
IN_KIND = re.compile(r"\bin-kind\b|\b(?:equipment|supplies|land|property|artwork|papers|collection|roof|kits?|"
                     r"computers|vehicles?|meals|books|instruments)\b", re.I)


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


def _money_tokens(doc: Doc, amounts: list[Money]) -> dict[int, Money]:
    by_token: dict[int, Money] = {}
    k = 0
    for token in doc:
        while k < len(amounts) and amounts[k].end <= token.idx:
            k += 1
        if k < len(amounts) and amounts[k].start <= token.idx < amounts[k].end:
            by_token[token.i] = amounts[k]
    return by_token


def _child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def _prep_object(token: Token, *preps: str) -> Token | None:
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            obj = _child(child, "pobj")
            if obj is not None:
                return obj
    return None


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, climbing through "are proud to donate", "and donated", "which donated"."""
    seen = 0
    while verb is not None and seen < 6:
        subject = _child(verb, "nsubj")
        if subject is not None:
            return subject
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "pcomp") and verb.head.i != verb.i:
            verb, seen = verb.head, seen + 1
            continue
        return None
    return None


def _money_in(token: Token, money_at: dict[int, Money], skip=("relcl", "advcl", "ccomp", "acl")) -> Money | None:
    stack = [token]
    while stack:
        current = stack.pop()
        if current.i in money_at:
            return money_at[current.i]
        stack.extend(c for c in current.children if c.dep_ not in skip)
    return None


class GiftFinder:
    def __init__(self, doc: Doc, cast: Cast, quotes: list[Quote], published: str | None):
        self.doc, self.cast, self.published = doc, cast, published
        self.parties = PartyResolver(doc, cast)
        currency = article_currency(doc.text)
        self.amounts = find_amounts(doc.text, default_currency=currency)
        self.money_at = _money_tokens(doc, self.amounts)
        self.quotes = [q for q in quotes if q.start is not None]

    def _speakers_at(self, char: int) -> list[str] | None:
        for quote in self.quotes:
            if quote.start <= char < quote.end:
                return quote.speakers
        return None

    def party(self, token: Token | None) -> Party:
        if token is None:
            return Party([])
        return self.parties.resolve(token, self._speakers_at(token.idx))

    def mentions(self) -> list[GiftMention]:
        found = []
        for sentence in self.doc.sents:
            text = sentence.text
            if CAPTION.search(text.strip()) or NOT_GIFT_CONTEXT.search(text) and not re.search(
                    r"\b(?:donat|gift|grant|pledg)\w*", text, re.I):
                continue
            for token in sentence:
                mention = self._mention(token, sentence)
                if mention is not None:
                    found.append(mention)
        return found

    def _mention(self, token: Token, sentence: Span) -> GiftMention | None:
        lemma = token.lemma_.lower()
        if token.pos_ in ("VERB", "AUX") and lemma in GIFT_VERBS | RECEIVE_VERBS:
            return self._from_verb(token, lemma, sentence)
        if token.pos_ in ("NOUN", "PROPN") and lemma in GIFT_NOUNS:
            governor = token.head
            if governor.i != token.i and governor.pos_ in ("VERB", "AUX") and (
                    governor.lemma_.lower() in GIFT_VERBS | RECEIVE_VERBS) and token.dep_ in ("dobj", "nsubjpass", "attr"):
                return None   # the verb is the anchor
            return self._from_noun(token, lemma, sentence)
        return None

    def _from_verb(self, verb: Token, lemma: str, sentence: Span) -> GiftMention | None:
        obj = _child(verb, "dobj")
        gift_noun = obj if obj is not None and obj.lemma_.lower() in GIFT_NOUNS else None
        with_noun = _prep_object(verb, "with")
        if with_noun is not None and with_noun.lemma_.lower() in GIFT_NOUNS:
            gift_noun = with_noun
        money = _money_in(verb, self.money_at)
        if lemma in WEAK_VERBS and gift_noun is None and (money is None or lemma not in ("give", "leave", "provide")):
            return None
        if lemma in RECEIVE_VERBS:
            if gift_noun is None and money is None:
                return None
            recipient = self.party(_subject(verb))
            donor_token = _prep_object(verb, "from") or (gift_noun is not None and _prep_object(gift_noun, "from", "by"))
            donors = self.party(donor_token or None)
        elif _child(verb, "nsubjpass", "auxpass") is not None:
            donors = self.party(_prep_object(verb, "by"))
            recipient = self.party(_prep_object(verb, "to", "for") if lemma != "award" else _prep_object(verb, "to"))
            if not recipient and verb.lemma_.lower() in ("award", "grant", "give"):
                recipient = self.party(_child(verb, "nsubjpass"))
        else:
            donors = self.party(_subject(verb))
            target = (_prep_object(verb, "to") or (gift_noun is not None and _prep_object(gift_noun, "to"))
                      or _child(verb, "dative"))
            if not target and lemma in ("present", "award", "give", "provide") and with_noun is not None:
                target = obj
            recipient = self.party(target or None)
            if not recipient:
                recipient = self._benefit(verb)
        return self._build(sentence, verb, gift_noun, money, donors, recipient, lemma)

    def _from_noun(self, noun: Token, lemma: str, sentence: Span) -> GiftMention | None:
        money = _money_in(noun, self.money_at, skip=("relcl", "acl", "prep"))
        of = _prep_object(noun, "of", "in")
        if money is None and of is not None:
            money = _money_in(of, self.money_at, skip=("relcl", "acl"))
        donor_token = _prep_object(noun, "from", "by") or _child(noun, "poss")
        recipient_token = _prep_object(noun, "to")
        relcl = _child(noun, "relcl")
        if relcl is not None:
            donor_token = donor_token or _child(relcl, "nsubj")
            recipient_token = recipient_token or _prep_object(relcl, "to")
        governor = noun.head
        if governor.pos_ in ("VERB", "AUX") and noun.dep_ in ("dobj", "pobj", "attr", "nsubj"):
            verb = governor.head if noun.dep_ == "pobj" and governor.dep_ == "prep" else governor
            if verb.lemma_.lower() in RECEIVE_VERBS:
                recipient_token = recipient_token or _subject(verb)
                donor_token = donor_token or _prep_object(verb, "from")
            elif noun.dep_ != "nsubj":
                donor_token = donor_token or _subject(verb)
                recipient_token = recipient_token or _prep_object(verb, "to")
        if money is None and donor_token is None:
            return None
        donors, recipient = self.party(donor_token), self.party(recipient_token)
        if not recipient:
            recipient = self._benefit(noun)
        return self._build(sentence, noun, noun, money, donors, recipient, lemma)

    def _benefit(self, anchor: Token) -> Party:
        """"… to benefit the Patient Assistance Fund" names the recipient without "to"."""
        for token in anchor.subtree:
            if token.lemma_.lower() == "benefit" and token.pos_ == "VERB":
                return self.party(_child(token, "dobj"))
        return Party([])

    def _build(self, sentence: Span, anchor: Token, gift_noun: Token | None, money: Money | None, donors: Party,
               recipient: Party, lemma: str) -> GiftMention | None:
        text = sentence.text
        anonymous = bool(re.search(r"\banonymous(?:ly)?\b", text, re.I)) and not donors.names
        if not (donors or anonymous) or not (recipient or money):
            return None   # a mention without a recipient can only complete another one (see giftmerge)
        if any(GOVERNMENT.search(n) for n in donors.names) or NOT_GIFT_CONTEXT.search(text) and not gift_noun:
            return None
        if set(n.lower() for n in donors.names) & set(n.lower() for n in recipient.names):
            return None
        dates = [d for d in find_dates(text, self.published) if d.value]
        return GiftMention(
            sentence=sentence, donors=donors, recipient=recipient, money=money,
            kind=_kind(lemma, anchor, gift_noun, money, text), date=dates[0].value if dates else None,
            purpose=find_purpose(text), in_name_of=find_tribute(text, donors.names), anonymous=anonymous)


def _kind(lemma: str, anchor: Token, gift_noun: Token | None, money: Money | None, text: str) -> str:
    words = {lemma, gift_noun.lemma_.lower() if gift_noun is not None else ""}
    if words & {"bequest", "bequeath"} or lemma == "leave" and BEQUEST.search(text) or BEQUEST.search(text):
        return "bequest"
    if "match" in words or MATCHING.search(text) and re.search(r"\b(?:every|each|dollar|up to)\b", text):
        return "matching"
    if words & {"pledge", "commit", "commitment"} or PLEDGE.search(text):
        return "pledge"
    if "grant" in words:
        return "grant"
    if money is None and IN_KIND.search(text):
        return "in-kind"
    return "donation"


def extract_gifts(doc: Doc, cast: Cast, quotes: list[Quote], published: str | None) -> list[Gift]:
    finder = GiftFinder(doc, cast, quotes, published)
    return merge_mentions(finder.mentions(), doc.text)
