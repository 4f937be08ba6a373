"""Gifts: who gave what to whom, found from the words that announce a gift.

Each gift verb ("donated", "pledged", "received … from") or gift noun ("a $2
million gift from", "Scott's donation") in a sentence is an anchor. Its
donor, recipient and amount come from the parse around it; `merge_mentions`
then folds mentions of the same gift across sentences into one record.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Doc, Span, Token

from giftwatch.extractors.amounts import Money, article_currency, find_amounts
from giftwatch.extractors.giftcontext import place_orphans
from giftwatch.extractors.giftdates import ANNOUNCE_VERBS, announcement_date, nearest_date, sentence_dates
from giftwatch.extractors.giftgrammar import (benefit, child as _child, collection_giver, dateline_end, governing_verb,
                                           gratitude, has_modifier, leading_name, money_in as _money_in,
                                           money_tokens, named_to, prep_object as _prep_object, subject as _subject)
from giftwatch.extractors.giftkinds import gift_kind, goods_given
from giftwatch.extractors.giftlists import bracketed_items, list_verb, listed_gifts, surface_items
from giftwatch.extractors.giftmerge import merge_mentions
from giftwatch.extractors.giftsources import FUNDING_NOUNS, NOT_GIVERS, funding_kind, funding_parties, listed_givers
from giftwatch.extractors.giftvocab import (CAPTION, EARLIER_WORDS, FEED_FOOTER, GIFT_NOUNS, GIFT_VERBS, GOVERNMENT,
                                         NOT_GIFT_CONTEXT, POLITICAL, PUBLIC_FUNDERS, RECEIVE_VERBS, TOTAL_CONTEXT,
                                         TOTAL_WORDS, WEAK_VERBS, GiftMention, is_definite, is_gift_word)
from giftwatch.extractors.names import Cast, split_people
from giftwatch.extractors.parties import Party, PartyResolver, name_span
from giftwatch.extractors.tribute import find_purpose, find_tribute
from giftwatch.records import Gift, Quote



class GiftFinder:
    """Finds gift mentions sentence by sentence, remembering the last gift for "the donation" anaphora."""

    def __init__(self, doc: Doc, cast: Cast, quotes: list[Quote], published: str | None):
        self.doc, self.cast, self.published = doc, cast, published
        self.parties = PartyResolver(doc, cast)
        currency = article_currency(doc.text)
        self.amounts = find_amounts(doc.text, default_currency=currency)
        self.money_at = money_tokens(doc, self.amounts)
        self.quotes = [q for q in quotes if q.start is not None]
        self.dateline = 0
        self.gift_words: list[Token] = []
        self.dates: list[tuple[int, str]] = []
        self.announced: str | None = None   # "The garden announced both gifts on Wednesday"
        self.last: GiftMention | None = None
        self.orphan_ok = False   # the giver is named with "from"/"by": the recipient may be the article's

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
                    re.search(r"\b(?:donat|gift|grant|pledg|bequest|bequeath|funding\b)\w*", text, re.I):
                continue
            self.dateline = dateline_end(sentence)
            self.gift_words = [t for t in sentence if is_gift_word(t)]
            self.dates = sentence_dates(self.doc, sentence, max(self.dateline, sentence.start_char), self.published)
            self.announced = self.announced or announcement_date(
                self.doc, sentence, max(self.dateline, sentence.start_char), self.published)
            listed = self._listed(sentence)
            if listed is not None:
                found.extend(listed)
                continue
            for token in sentence:
                for mention in self._mention(token, sentence) or []:
                    found.append(mention)
        return found

    def _listed(self, sentence: Span) -> list[GiftMention] | None:
        """"received $9 million: $6 million from A and $3 million from B" → two gifts (the total is none);
        "gave $5,000 to A and $3,000 to B" → two gifts. None when the sentence holds no such list."""
        bracketed = bracketed_items(sentence, self.money_at)
        if bracketed and self.last is not None and self.last.donors:   # the giver told just before
            gift_word = next((t for t in self.gift_words if t.pos_ == "NOUN"), None)   # "this year’s donations"
            mentions = [self._one(sentence, name, gift_word, money, self.last.donors,
                                  self.parties.resolve(name, None, follow_conjuncts=False), "donate", anonymous=False)
                        for money, name in bracketed]
            return [m for m in mentions if m is not None]
        for preposition in ("from", "to"):
            items = listed_gifts(sentence, self.money_at, preposition)
            if not items:
                continue
            receiving = preposition == "from"
            verb = list_verb(items, RECEIVE_VERBS if receiving else GIFT_VERBS)
            if verb is None:
                continue
            other = self.party(_subject(verb))
            mentions = []
            for item in items:
                party = self.party(item.party)
                donors, recipient = (party, other) if receiving else (other, party)
                mention = self._one(sentence, item.figure, None, item.money, donors, recipient,
                                    verb.lemma_.lower(), anonymous=False)
                if mention is not None:
                    mentions.append(mention)
            return mentions
        return None

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
        if token.pos_ == "NOUN" and lemma in FUNDING_NOUNS:
            return self._from_funding(token, sentence)
        return None

    def _from_funding(self, noun: Token, sentence: Span) -> list[GiftMention] | None:
        """"Initial funding came from A, B and others", "honored by the generous support of A": one gift
        per named giver; the recipient may be the article's (see giftcontext)."""
        parties = funding_parties(noun)
        if parties is None:
            return None
        giver, recipient_token = parties
        givers = listed_givers(giver) or [giver] + [c for c in giver.conjuncts if c.pos_ == "PROPN"]
        money = _money_in(noun, self.money_at, skip=("relcl", "acl", "prep"))
        return self._each_giver(sentence, noun, noun, money, givers, recipient_token, None)

    def _each_giver(self, sentence: Span, anchor: Token, gift_noun: Token | None, money: Money | None,
                    givers: list[Token], recipient_token: Token | None, lemma: str | None) -> list[GiftMention]:
        """One mention per giver named in a list; none for givers only described."""
        found: list[GiftMention] = []
        if recipient_token is not None and self.party(recipient_token).is_person:
            recipient_token = None   # "we are grateful for …, said Tim Ode": the speaker's organisation
        people: list[str] = []   # "George and Amal Clooney and the Clooney Foundation": the couple gave together
        parties = []
        for giver in givers:
            names = [self.cast.full_name(n, giver.idx) for n in split_people(name_span(giver).text)]
            if names and all(n in self.cast.people for n in names):
                people.extend(n for n in names if n not in people)
            elif giver.idx >= self.dateline:
                parties.append(self.parties.resolve(giver, None, follow_conjuncts=False))
        if people:
            parties.insert(0, Party(people, is_person=True))
        self.orphan_ok = True
        for donors in parties:
            if donors and not donors.described and not any(NOT_GIVERS.search(n) for n in donors.names):
                kind_word = lemma or ("grant" if funding_kind(donors.names) == "grant" else "donate")
                built = self._build(sentence, anchor, gift_noun, money, donors, recipient_token, kind_word) or []
                found.extend(replace(m, kind_guessed=lemma is None) for m in built)
        self.orphan_ok = False
        return found

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
        goods = goods_given(verb, obj, set(self.money_at))   # "providing 300 hygiene kits for the shelter"
        if goods and money is None:   # "donated twelve printers, valued at $48,000, to …"
            money = next((_money_in(c, self.money_at) for c in obj.children
                          if c.dep_ == "acl" and c.lemma_.lower() in ("value", "worth", "price")), None)
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
            giver = _prep_object(verb, "by") if lemma not in ANNOUNCE_VERBS else None   # "announced by UMES"
            donors = self.party(giver)
            owner = next((t for t in passive_noun.subtree if t.dep_ == "poss"), None) if passive_noun is not None else None
            if not donors and owner is not None:   # "Cardin’s donation was celebrated last month"
                donors = self.party(owner)   # "100% of Bandcamp’s proceeds will be donated to MusiCares"
            recipient_token = _prep_object(verb, "to", "for") if lemma != "award" else _prep_object(verb, "to")
            if recipient_token is None and giver is not None:   # "was donated by an alumna to the college":
                recipient_token = _prep_object(giver, "to")      # the parser hung "to" on the giver
            if recipient_token is None and verb.lemma_.lower() in ("award", "grant", "give") and (
                    passive_noun is not None and passive_noun is not gift_noun):
                recipient_token = passive_noun
        elif verb.dep_ == "acl" and verb.tag_ == "VBN":   # "a $90,000 grant awarded by X to Y": a passive participle
            donors = self.party(_prep_object(verb, "by"))
            recipient_token = _prep_object(verb, "to")
        else:
            donors = self.party(_subject(verb) or leading_name(verb))
            recipient_token = (_prep_object(verb, "to") or (gift_noun is not None and _prep_object(gift_noun, "to"))
                               or _child(verb, "dative"))
            if recipient_token is None and lemma in ("present", "award", "give", "provide") and with_noun is not None:
                recipient_token = obj
            if recipient_token is None and goods:
                recipient_token = _prep_object(verb, "for") or _prep_object(obj, "for")
            if recipient_token is None and obj is not None and money is not None and obj.i not in self.money_at and (
                    obj.pos_ == "PROPN" or obj.ent_type_ in ("ORG", "PERSON")) and lemma not in ("make", "announce"):
                recipient_token = obj   # "has given the Rosedale School between $500,000 and $1 million"
            if recipient_token is None and lemma not in WEAK_VERBS - {"give"}:
                recipient_token = named_to(verb)
            if recipient_token is None and obj is not None:   # "match every dollar donated to the orchestra"
                recipient_token = next((_prep_object(c, "to", "for") for c in obj.children
                                        if c.dep_ in ("acl", "relcl") and _prep_object(c, "to", "for") is not None), None)
        if gift_noun is not None and (has_modifier(gift_noun, TOTAL_WORDS) or any(
                c.dep_ == "acl" and c.lower_.startswith("total") for c in gift_noun.children)):
            return self._total(gift_noun, sentence, None)   # "announce donations totaling $27,285 to three charities"
        if gift_noun is not None and lemma in ANNOUNCE_VERBS and is_definite(gift_noun):
            donors = Party([])   # "President Harlan Teague announced the commitment": who announces is not who gave
        giver = _prep_object(gift_noun, "from", "by") if gift_noun is not None and lemma in ANNOUNCE_VERBS else None
        if giver is not None and recipient_token is None:   # "X is proud to announce a $N grant from Y":
            recipient_token, donors = _subject(verb), self.party(giver)   # X received it
            money = money or _money_in(gift_noun, self.money_at, skip=("relcl",))   # "a gift amounting to $N"
        if gift_noun is not None:   # "A $750,000 gift from A to B was announced"
            donors = donors or self.party(_prep_object(gift_noun, "from", "by"))
            recipient_token = recipient_token or _prep_object(gift_noun, "to")
        return self._build(sentence, verb, gift_noun, money, donors, recipient_token, lemma, goods)

    def _from_noun(self, noun: Token, lemma: str, sentence: Span) -> list[GiftMention] | None:
        money = _money_in(noun, self.money_at, skip=("relcl", "acl", "prep"))
        of = _prep_object(noun, "of", "in")
        if money is None and of is not None:
            money = _money_in(of, self.money_at, skip=("relcl", "acl"))
        given_by = _prep_object(noun, "from", "by") or (of is not None and _prep_object(of, "from", "by")) or \
            collection_giver(noun)
        donor_token = given_by or _child(noun, "poss")   # "its first grant of $10,000 from H-E-B"
        recipient_token = _prep_object(noun, "to")
        clauses = [c for c in noun.children if c.dep_ in ("relcl", "acl")]
        if of is not None:   # "a donation of $2 million that the couple made to X": the clause hangs on the figure
            clauses += [c for c in of.children if c.dep_ == "relcl"]
        for clause in clauses:
            if clause.dep_ == "acl" and clause.lower_.startswith("total"):
                return self._total(noun, sentence, donor_token)
            if clause.lemma_.lower() in ("amount", "value", "worth") and money is None:   # "a gift amounting to $15m"
                money = _money_in(clause, self.money_at)
            if clause.lemma_.lower() in ANNOUNCE_VERBS:   # "The donation, announced Friday by UMES": the announcer
                continue
            donor_token = donor_token or _child(clause, "nsubj") or _prep_object(clause, "by")
            recipient_token = recipient_token or _prep_object(clause, "to")
        if has_modifier(noun, TOTAL_WORDS):
            return self._total(noun, sentence, donor_token)
        grateful = gratitude(noun)
        if grateful is not None and donor_token is None:
            donor_token, recipient_token = grateful
        verb = noun.head if noun.dep_ != "pobj" else governing_verb(noun)
        if verb is not None and verb.pos_ in ("VERB", "AUX") and noun.dep_ in ("dobj", "pobj", "attr", "nsubj"):
            if verb.lemma_.lower() in RECEIVE_VERBS:
                recipient_token = recipient_token or _subject(verb)
                donor_token = donor_token or _prep_object(verb, "from")
            elif noun.dep_ != "nsubj" and donor_token is None and not (is_definite(noun) and (
                    verb.lemma_.lower() not in GIFT_VERBS or verb.lemma_.lower() in ANNOUNCE_VERBS)):
                donor_token = _subject(verb)   # not "President Anderson called the gift …"
                recipient_token = recipient_token or _prep_object(verb, "to")
            elif noun.dep_ != "nsubj" and recipient_token is None and grateful is None and given_by is not None:
                recipient_token = _subject(verb)   # "X announced a $N gift from Y", "X … thanks to a gift from Y"
                if recipient_token is None and verb.dep_ == "acl" and verb.tag_ == "VBN":
                    recipient_token = verb.head   # "its literacy drive, funded by a $N grant from Y"
        if money is None and (donor_token is None and not is_definite(noun) or lemma == "commitment"):
            return None
        listed = listed_givers(donor_token) if donor_token is not None else []
        if listed:   # "a series of donations from companies including A, B and C"
            return self._each_giver(sentence, noun, noun, money, listed, recipient_token, lemma)
        return self._build(sentence, noun, noun, money, self.party(donor_token), recipient_token, lemma)

    def _total(self, noun: Token, sentence: Span, donor_token: Token | None) -> None:
        """A total of several gifts is no gift, but it names the giver of the parts told next."""
        donors = self.party(donor_token)
        if not donors:
            verb = noun.head if noun.dep_ != "pobj" else governing_verb(noun)
            donors = self.party(_subject(verb)) if verb is not None and noun.dep_ != "nsubj" else donors
        recipient = self.party(_prep_object(noun, "to"))   # "total contributions to the clinic": the parts' recipient
        if donors:
            self.last = GiftMention(sentence, donors, replace(recipient, described=True), None, "donation", None, None)
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
        if whole.is_person or token.idx < self.dateline:
            return [(whole, token)]
        items = surface_items(token) if token.pos_ == "PROPN" else []
        if len(items) > len(heads):   # "to A, B, C and D": the parser lost some of the items
            parts = [(self.parties.from_span(item), item.root) for item in items]
            return [(p, h) for p, h in parts if p] or [(whole, token)]
        if len(heads) < 2:
            return [(whole, token)]
        parts = [(self.parties.resolve(h, None, follow_conjuncts=False), h) for h in heads]
        return [(p, h) for p, h in parts if p] or [(whole, token)]

    def _build(self, sentence: Span, anchor: Token, gift_noun: Token | None, money: Money | None, donors: Party,
               recipient_token: Token | None, lemma: str, goods: bool = False) -> list[GiftMention] | None:
        text = sentence.text
        anonymous = bool(re.search(r"\banonymous(?:ly)?\b", text, re.I)) and not donors.names
        if TOTAL_CONTEXT.search(text) and money is not None:
            return None   # "Since its founding, the foundation has granted $16 million"
        if recipient_token is None or not self.party(recipient_token):
            recipient_token = benefit(anchor) or recipient_token
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
            mention = self._one(sentence, anchor, gift_noun, amount, donors, recipient, lemma, anonymous, goods)
            if mention is not None:
                found.append(mention)
        return found

    def _one(self, sentence: Span, anchor: Token, gift_noun: Token | None, money: Money | None, donors: Party,
             recipient: Party, lemma: str, anonymous: bool, goods: bool = False) -> GiftMention | None:
        text = sentence.text
        definite = gift_noun is not None and (is_definite(gift_noun) or gift_noun.dep_ in ("nsubj", "nsubjpass") and
                                              any(c.dep_ == "poss" for c in gift_noun.children))
        # a subject "Cardin’s donation (was celebrated …)" refers back like "the donation"
        if definite and self.last is not None:   # "The $338,384.01 donation", "The grants were awarded to …"
            if not donors and not anonymous:
                donors, anonymous = self.last.donors, self.last.anonymous
            if not recipient:
                recipient = self.last.recipient
        if not recipient and money is not None and (donors or anonymous) and self.last is not None and \
                self.last.recipient and not TOTAL_CONTEXT.search(text):
            recipient = replace(self.last.recipient, described=True)   # "This year the Rotary Club added a $250K gift"
        if not (donors or anonymous) or not (recipient or money or self.orphan_ok):
            return None   # a mention without a recipient can only complete another one (see giftmerge)
        if any(GOVERNMENT.search(n) for n in donors.names) or NOT_GIFT_CONTEXT.search(text) and not gift_noun:
            return None
        if POLITICAL.search(text):
            return None   # "gave $2,500 to the Ostrowski for Senate committee"
        if gift_noun is not None and has_modifier(gift_noun, PUBLIC_FUNDERS):
            return None   # "a $2.4 million federal grant" is public funding, not a gift
        if set(n.lower() for n in donors.names) & set(n.lower() for n in recipient.names):
            if not (donors.described and self.last is not None and self.last.donors):
                return None
            donors = self.last.donors   # "They are also providing kits for the Fund": "they" is the last giver
            if set(n.lower() for n in donors.names) & set(n.lower() for n in recipient.names):
                return None
        own = [anchor] + ([gift_noun] if gift_noun is not None else [])   # a dateline's date is the release's,
        date = nearest_date(self.dates, own, [t for t in self.gift_words if t not in own])   # not the gift's
        mention = GiftMention(
            sentence=sentence, donors=donors, recipient=recipient, money=money,
            kind=gift_kind(lemma, gift_noun, money, text, goods), date=date,
            purpose=find_purpose(text), in_name_of=find_tribute(text, donors.names), anonymous=anonymous,
            earlier=gift_noun is not None and has_modifier(gift_noun, EARLIER_WORDS), anaphoric=definite)
        if recipient or self.last is None:
            self.last = mention
        return mention


def extract_gifts(doc: Doc, cast: Cast, quotes: list[Quote], published: str | None) -> list[Gift]:
    finder = GiftFinder(doc, cast, quotes, published)
    mentions = place_orphans(finder.mentions(), finder.parties.orgs)
    gifts = merge_mentions(mentions, doc.text)
    if finder.announced:
        gifts = [g if g.date else replace(g, date=finder.announced) for g in gifts]
    return gifts
