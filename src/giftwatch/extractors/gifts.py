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

from giftwatch.extractors.amounts import Money, article_currency, find_amounts
from giftwatch.extractors.dates import find_dates
from giftwatch.extractors.giftgrammar import (child as _child, dateline_end, governing_verb, has_modifier,
                                           money_in as _money_in, prep_object as _prep_object, subject as _subject)
from giftwatch.extractors.giftmerge import merge_mentions
from giftwatch.extractors.names import Cast
from giftwatch.extractors.parties import Party, PartyResolver
from giftwatch.extractors.tribute import find_purpose, find_tribute
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
FEED_FOOTER = re.compile(r"^\s*The post .* appeared first on ")   # a syndication feed's repeat of the headline
TOTAL_WORDS = {"total", "totaling", "totalling", "lifetime", "cumulative", "combined", "overall", "collective"}
TOTAL_CONTEXT = re.compile(r"\b(?:since (?:its|the|their|his|her|our) (?:\w+ )?(?:inception|founding|creation|start|"
                           r"launch|establishment|beginning)|since inception|since (?:19|20)\d\d|to date|in total|all[- ]time|"
                           r"over the (?:past|last|course of) (?:\d+|\w+)\+? (?:years|decades))\b", re.I)
PUBLIC_FUNDERS = {"federal", "state", "government", "governmental", "municipal", "public", "taxpayer"}
GRATEFUL = {"grateful", "thankful", "indebted", "appreciative"}
EARLIER_WORDS = {"previous", "prior", "earlier", "first", "past", "original", "initial"}
CAPTION = re.compile(r"(?:\bPhotos?|\bImage|\bCredit|\bPicture)\s*(?::|by\b|courtesy\b)[^.!?]*$")
BEQUEST = re.compile(r"\b(?:bequest|bequeath\w*|estate|in (?:his|her|their) wills?|the late)\b", re.I)
PLEDGE_WORDS = re.compile(r"\b(?:pledge[ds]?|pledging|committed (?:to (?:give|donate|provide)|(?:more than |over |"
                          r"nearly |about )?[$£€\d]))", re.I)
PLEDGE = re.compile(r"\bover (?:the (?:next|coming) )?(?:\d+|two|three|four|five|six|seven|eight|nine|ten|several) "
                    r"years|\bmulti-?year\b", re.I)
MATCHING = re.compile(r"\bmatch(?:es|ed|ing)?\b", re.I)
IN_KIND = re.compile(r"\b[Ii]n-kind\b|\b(?:equipment|supplies|land|property|artwork|papers|collection|roof|kits?|"
                     r"computers|vehicles?|meals|books|instruments)\b")   # lower case: "Tollard Instruments" is a name


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


def _money_tokens(doc: Doc, amounts: list[Money]) -> dict[int, Money]:
    by_token: dict[int, Money] = {}
    k = 0
    for token in doc:
        while k < len(amounts) and amounts[k].end <= token.idx:
            k += 1
        if k < len(amounts) and amounts[k].start <= token.idx < amounts[k].end:
            by_token[token.i] = amounts[k]
    return by_token


class GiftFinder:
    """Finds gift mentions sentence by sentence, remembering the last gift for "the donation" anaphora."""

    def __init__(self, doc: Doc, cast: Cast, quotes: list[Quote], published: str | None):
        self.doc, self.cast, self.published = doc, cast, published
        self.parties = PartyResolver(doc, cast)
        currency = article_currency(doc.text)
        self.amounts = find_amounts(doc.text, default_currency=currency)
        self.money_at = _money_tokens(doc, self.amounts)
        self.quotes = [q for q in quotes if q.start is not None]
        self.dateline = 0
        self.last: GiftMention | None = None

    def _speakers_at(self, char: int) -> list[str] | None:
        for quote in self.quotes:
            if quote.start <= char < quote.end:
                return quote.speakers
        return None

    def party(self, token: Token | None) -> Party:
        if token is None:
            return Party([])
        if token.idx < self.dateline:   # "SALT LAKE CITY, Utah — Acme Corp. donated": the dateline is no party
            later = [t for t in token.conjuncts if t.idx >= self.dateline]
            if not later:
                opening = [t for t in token.sent if t.idx >= self.dateline and not t.is_space][:3]
                later = [t for t in opening if t.pos_ == "PROPN"][:1]
            if not later:
                return Party([])
            token = later[0]
        return self.parties.resolve(token, self._speakers_at(token.idx))

    def mentions(self) -> list[GiftMention]:
        found = []
        for sentence in self.doc.sents:
            text = sentence.text
            if CAPTION.search(text.strip()) or FEED_FOOTER.search(text) or NOT_GIFT_CONTEXT.search(text) and not \
                    re.search(r"\b(?:donat|gift|grant|pledg|bequest|bequeath)\w*", text, re.I):
                continue
            self.dateline = dateline_end(sentence)
            for token in sentence:
                for mention in self._mention(token, sentence) or []:
                    found.append(mention)
        return found

    def _mention(self, token: Token, sentence: Span) -> list[GiftMention] | None:
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

    def _from_verb(self, verb: Token, lemma: str, sentence: Span) -> list[GiftMention] | None:
        obj = _child(verb, "dobj")
        gift_noun = obj if obj is not None and obj.lemma_.lower() in GIFT_NOUNS else None
        passive_noun = _child(verb, "nsubjpass")
        if gift_noun is None and passive_noun is not None and passive_noun.lemma_.lower() in GIFT_NOUNS:
            gift_noun = passive_noun   # "The grants were awarded to …"
        with_noun = _prep_object(verb, "with")
        if with_noun is not None and with_noun.lemma_.lower() in GIFT_NOUNS:
            gift_noun = with_noun
        money = _money_in(verb, self.money_at)
        goods = obj is not None and lemma in ("provide", "give", "donate") and bool(IN_KIND.search(
            " ".join(t.text for t in obj.subtree)))   # "providing 300 hygiene kits for the shelter"
        if lemma in WEAK_VERBS and gift_noun is None and not goods and (
                money is None or lemma not in ("give", "leave", "provide")):
            return None
        recipient_token = None
        if lemma in RECEIVE_VERBS:
            if gift_noun is None and money is None:
                return None
            recipient_token = _subject(verb)
            donor_token = _prep_object(verb, "from") or (gift_noun is not None and _prep_object(gift_noun, "from", "by"))
            donors = self.party(donor_token or None)
        elif _child(verb, "nsubjpass", "auxpass") is not None:
            donors = self.party(_prep_object(verb, "by"))
            recipient_token = _prep_object(verb, "to", "for") if lemma != "award" else _prep_object(verb, "to")
            if recipient_token is None and verb.lemma_.lower() in ("award", "grant", "give") and (
                    passive_noun is not None and passive_noun is not gift_noun):
                recipient_token = passive_noun
        else:
            donors = self.party(_subject(verb) or _leading_name(verb))
            recipient_token = (_prep_object(verb, "to") or (gift_noun is not None and _prep_object(gift_noun, "to"))
                               or _child(verb, "dative"))
            if recipient_token is None and lemma in ("present", "award", "give", "provide") and with_noun is not None:
                recipient_token = obj
            if recipient_token is None and goods:
                recipient_token = _prep_object(verb, "for") or _prep_object(obj, "for")
        return self._build(sentence, verb, gift_noun, money, donors, recipient_token, lemma)

    def _from_noun(self, noun: Token, lemma: str, sentence: Span) -> list[GiftMention] | None:
        money = _money_in(noun, self.money_at, skip=("relcl", "acl", "prep"))
        of = _prep_object(noun, "of", "in")
        if money is None and of is not None:
            money = _money_in(of, self.money_at, skip=("relcl", "acl"))
        given_by = _prep_object(noun, "from", "by")
        donor_token = given_by or _child(noun, "poss")
        recipient_token = _prep_object(noun, "to")
        for clause in (c for c in noun.children if c.dep_ in ("relcl", "acl")):
            if clause.dep_ == "acl" and clause.lower_.startswith("total"):
                return self._total(noun, sentence, donor_token)
            donor_token = donor_token or _child(clause, "nsubj") or _prep_object(clause, "by")
            recipient_token = recipient_token or _prep_object(clause, "to")
        if has_modifier(noun, TOTAL_WORDS):
            return self._total(noun, sentence, donor_token)
        grateful = self._gratitude(noun)
        if grateful is not None and donor_token is None:
            donor_token, recipient_token = grateful
        verb = noun.head if noun.dep_ != "pobj" else governing_verb(noun)
        if verb is not None and verb.pos_ in ("VERB", "AUX") and noun.dep_ in ("dobj", "pobj", "attr", "nsubj"):
            if verb.lemma_.lower() in RECEIVE_VERBS:
                recipient_token = recipient_token or _subject(verb)
                donor_token = donor_token or _prep_object(verb, "from")
            elif noun.dep_ != "nsubj" and donor_token is None:
                donor_token = _subject(verb)
                recipient_token = recipient_token or _prep_object(verb, "to")
            elif noun.dep_ != "nsubj" and recipient_token is None and grateful is None and given_by is not None:
                recipient_token = _subject(verb)   # "X announced a $N gift from Y", "X … thanks to a gift from Y"
        if money is None and (donor_token is None and not _definite(noun) or lemma == "commitment"):
            return None
        return self._build(sentence, noun, noun, money, self.party(donor_token), recipient_token, lemma)

    def _gratitude(self, noun: Token) -> tuple[Token | None, Token | None] | None:
        """"Y is grateful to X for a donation", "Y thanked X for the gift": X gave, Y received."""
        for ancestor in list(noun.ancestors)[:4]:
            word = ancestor.lemma_.lower()
            if word == "thank" and ancestor.pos_ == "VERB":
                return _child(ancestor, "dobj"), _subject(ancestor)
            thankful = ancestor if word in GRATEFUL else next(
                (c for c in ancestor.children if c.dep_ == "acomp" and c.lemma_.lower() in GRATEFUL), None)
            if thankful is not None:
                verb = thankful.head if thankful.dep_ == "acomp" else thankful
                giver, thanker = _prep_object(thankful, "to") or _prep_object(verb, "to"), _subject(verb)
                if thanker is not None and thanker.lower_ in ("we", "i"):
                    thanker = None   # "we are thankful": the speaker's organisation, told elsewhere
                return (giver, thanker) if giver is not None else None
            if ancestor.pos_ in ("VERB", "AUX"):
                return None
        return None

    def _total(self, noun: Token, sentence: Span, donor_token: Token | None) -> None:
        """A total of several gifts is no gift, but it names the giver of the parts told next."""
        donors = self.party(donor_token)
        if not donors:
            verb = noun.head if noun.dep_ != "pobj" else governing_verb(noun)
            donors = self.party(_subject(verb)) if verb is not None and noun.dep_ != "nsubj" else donors
        if donors:
            self.last = GiftMention(sentence, donors, Party([]), None, "donation", None, None)
        return None

    def _recipients(self, token: Token | None) -> list[tuple[Party, Token | None]]:
        """One party per organisation in a list ("contributions to A, B and C"), with the token heading it."""
        if token is None:
            return [(Party([]), None)]
        whole = self.party(token)
        heads, stack = [], [token]   # "to A, the B and C": conjuncts and appositions
        while stack:
            head = stack.pop(0)
            heads.append(head)
            stack.extend(c for c in head.children if c.dep_ in ("conj", "appos") and c.pos_ == "PROPN")
        if len(heads) < 2 or whole.is_person:
            return [(whole, token)]
        parts = [(self.parties.resolve(h, None, follow_conjuncts=False), h) for h in heads]
        return [(p, h) for p, h in parts if p] or [(whole, token)]

    def _build(self, sentence: Span, anchor: Token, gift_noun: Token | None, money: Money | None, donors: Party,
               recipient_token: Token | None, lemma: str) -> list[GiftMention] | None:
        text = sentence.text
        anonymous = bool(re.search(r"\banonymous(?:ly)?\b", text, re.I)) and not donors.names
        if TOTAL_CONTEXT.search(text) and money is not None:
            return None   # "Since its founding, the foundation has granted $16 million"
        if recipient_token is None or not self.party(recipient_token):
            recipient_token = _benefit(anchor) or recipient_token
        recipients = self._recipients(recipient_token)
        if len(recipients) > 1:
            own = [(p, _money_in(h, self.money_at, skip=("conj", "cc", "relcl"))) for p, h in recipients]
            if all(m is not None for _, m in own):
                pairs = own
            elif money is None:
                pairs = [(p, None) for p, _ in recipients]
            else:
                pairs = [(self.party(recipient_token), money)]
        else:
            pairs = [(recipients[0][0], money)]
        if recipient_token is None and not pairs[0][0]:
            pairs = [(Party([]), money)]
        found = []
        for recipient, amount in pairs:
            mention = self._one(sentence, anchor, gift_noun, amount, donors, recipient, lemma, anonymous)
            if mention is not None:
                found.append(mention)
        return found

    def _one(self, sentence: Span, anchor: Token, gift_noun: Token | None, money: Money | None, donors: Party,
             recipient: Party, lemma: str, anonymous: bool) -> GiftMention | None:
        text = sentence.text
        definite = gift_noun is not None and _definite(gift_noun)
        if definite and self.last is not None:   # "The $338,384.01 donation", "The grants were awarded to …"
            if not donors and not anonymous:
                donors, anonymous = self.last.donors, self.last.anonymous
            if not recipient and not self.last.recipient.described:
                recipient = self.last.recipient
        if not (donors or anonymous) or not (recipient or money):
            return None   # a mention without a recipient can only complete another one (see giftmerge)
        if any(GOVERNMENT.search(n) for n in donors.names) or NOT_GIFT_CONTEXT.search(text) and not gift_noun:
            return None
        if gift_noun is not None and has_modifier(gift_noun, PUBLIC_FUNDERS):
            return None   # "a $2.4 million federal grant" is public funding, not a gift
        if set(n.lower() for n in donors.names) & set(n.lower() for n in recipient.names):
            if not (donors.described and self.last is not None and self.last.donors):
                return None
            donors = self.last.donors   # "They are also providing kits for the Fund": "they" is the last giver
            if set(n.lower() for n in donors.names) & set(n.lower() for n in recipient.names):
                return None
        told = self.doc.text[max(self.dateline, sentence.start_char):sentence.end_char]   # a dateline's date is the
        dates = [d for d in find_dates(told, self.published) if d.value]                   # release's, not the gift's
        mention = GiftMention(
            sentence=sentence, donors=donors, recipient=recipient, money=money,
            kind=_kind(lemma, anchor, gift_noun, money, text), date=dates[0].value if dates else None,
            purpose=find_purpose(text), in_name_of=find_tribute(text, donors.names), anonymous=anonymous,
            earlier=gift_noun is not None and has_modifier(gift_noun, EARLIER_WORDS), anaphoric=definite)
        if recipient or self.last is None:
            self.last = mention
        return mention


def _benefit(anchor: Token) -> Token | None:
    """"… to benefit the Patient Assistance Fund" names the recipient without "to"."""
    for token in anchor.subtree:
        if token.lemma_.lower() == "benefit" and token.pos_ == "VERB":
            return _child(token, "dobj")
    return None


def _leading_name(verb: Token) -> Token | None:
    """When the parse gives a verb no subject ("Continuing his work, CEO Jane Roe has made a gift"),
    the first person named before it in the sentence is the one acting."""
    return next((t for t in verb.sent if t.i < verb.i and t.ent_type_ == "PERSON" and t.ent_iob_ == "B"), None)


def _definite(noun: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in noun.children)


def _kind(lemma: str, anchor: Token, gift_noun: Token | None, money: Money | None, text: str) -> str:
    words = {lemma, gift_noun.lemma_.lower() if gift_noun is not None else ""}
    if words & {"bequest", "bequeath"} or lemma == "leave" and BEQUEST.search(text) or BEQUEST.search(text):
        return "bequest"
    if "match" in words or MATCHING.search(text) and re.search(r"\b(?:every|each|dollar|up to)\b", text):
        return "matching"
    if words & {"pledge", "commit", "commitment"} or PLEDGE_WORDS.search(text):
        return "pledge"
    if "grant" in words:
        return "grant"
    if PLEDGE.search(text):
        return "pledge"
    if money is None and IN_KIND.search(text):
        return "in-kind"
    return "donation"


def extract_gifts(doc: Doc, cast: Cast, quotes: list[Quote], published: str | None) -> list[Gift]:
    finder = GiftFinder(doc, cast, quotes, published)
    return merge_mentions(finder.mentions(), doc.text)
