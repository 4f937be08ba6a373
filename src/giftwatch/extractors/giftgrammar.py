"""Reading the parse around a gift word: subjects, prepositional objects, money, datelines.

These helpers only walk the dependency tree spaCy already built (no second
pass, no regex over the whole text), so they are cheap to call per anchor.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from giftwatch.extractors.amounts import Money

# "SALT LAKE CITY, UT, July 14, 2025 /24-7PressRelease/ --", "WILMINGTON, Del. (June 26, 2025) –",
# "Niceville, FL (Newsworthy.ai) Tuesday Aug 19, 2025 @ 10:11 AM US/Central —": a place, a comma,
# then a date or source, then a dash. Whatever precedes the dash names no donor.
_DATELINE = re.compile(r"^\s*[A-Z][\w.'’]*(?:\s+[A-Z][\w.'’]*){0,3},\s[^\n]{0,110}?\s(?:--|—|–)\s")
_DATELINE_MARK = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\w*\.?\s+\d|/|\(|\b\d{4}\b")
_DATELINE_MORE = re.compile(r"\s*(?:\([^()\n]{1,40}\)|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|[A-Z0-9 .,/-]{3,40})\s*(?:--|—|–)\s")
# Verbs a gift phrase hangs off without being a gift verb: "X announced a $N gift from Y".
CLIMB_DEPS = ("xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp", "prep")


def dateline_end(sentence: Span) -> int:
    """Character offset where a press-release dateline opening this sentence ends (or the sentence start)."""
    start = sentence.start_char
    before = "".join(t.text_with_ws for t in sentence.doc[max(0, sentence.start - 2):sentence.start])
    if start > 0 and "\n" not in before[-3:]:   # (Doc.text would rebuild the whole article per sentence)
        return start
    match = _DATELINE.match(sentence.text)
    if match is None:
        return start
    head = match.group(0)
    first_word = head.split(",")[0].strip()
    if not (_DATELINE_MARK.search(head) or first_word.isupper() and len(first_word) >= 3):
        return start
    end = match.end()
    more = _DATELINE_MORE.match(sentence.text, end)   # "MIAMI, FL — March 18, 2026 — (NOTICIAS NEWSWIRE) —"
    while more is not None and end - match.end() < 120:
        end = more.end()
        more = _DATELINE_MORE.match(sentence.text, end)
    return start + end


def money_tokens(doc: Doc, amounts: list[Money]) -> dict[int, Money]:
    """Token index → the money figure it is part of."""
    by_token: dict[int, Money] = {}
    k = 0
    for token in doc:
        while k < len(amounts) and amounts[k].end <= token.idx:
            k += 1
        if k < len(amounts) and amounts[k].start <= token.idx < amounts[k].end:
            by_token[token.i] = amounts[k]
    return by_token


def child(token: Token, *deps: str) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def prep_object(token: Token, *preps: str) -> Token | None:
    """The object of a preposition under `token` ("donated … to X" → X)."""
    for c in token.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
            obj = child(c, "pobj")
            if obj is not None:
                return obj
    return None


def subject(verb: Token) -> Token | None:
    """The subject of a verb, climbing through "are proud to donate", "and donated", "by donating",
    "which donated"."""
    seen = 0
    while verb is not None and seen < 6:
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if subjects:   # "Port Calder developer Raymond Kestrel has pledged": two subjects, the name wins
            return next((c for c in subjects if c.pos_ == "PROPN"), subjects[0])
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ in CLIMB_DEPS and verb.head.i != verb.i:
            verb, seen = verb.head, seen + 1
            continue
        return None
    return None


def governing_verb(token: Token, limit: int = 5) -> Token | None:
    """The nearest verb above a noun phrase ("celebrated … with a $50,000 donation" → celebrated),
    not crossing a relative or adnominal clause."""
    current = token
    for _ in range(limit):
        if current.head.i == current.i or current.dep_ in ("relcl", "acl", "appos"):
            return None
        current = current.head
        if current.pos_ in ("VERB", "AUX"):
            return current
    return None


def money_in(token: Token, money_at: dict[int, Money], skip=("relcl", "advcl", "ccomp", "acl")) -> Money | None:
    """The first money figure in a token's subtree, not looking into the clauses named in `skip`."""
    stack = [token]
    while stack:
        current = stack.pop()
        if current.i in money_at:
            return money_at[current.i]
        stack.extend(c for c in current.children if c.dep_ not in skip)
    return None


def has_modifier(token: Token, words: set[str]) -> bool:
    return any(c.lower_ in words for c in token.children if c.dep_ in ("amod", "det", "advmod", "compound"))


def named_to(verb: Token) -> Token | None:
    """A named "to X" anywhere in the verb's own clause, wherever the parser hung it
    ("will give $40,000 a year for three years to the Eastgate Reading Corps": "to" under "years")."""
    stack = [c for c in verb.children if c.dep_ not in ("relcl", "advcl", "ccomp", "acl", "conj", "xcomp")]
    while stack:
        current = stack.pop(0)
        if current.dep_ == "prep" and current.lower_ == "to":
            obj = child(current, "pobj")
            if obj is not None and (obj.pos_ == "PROPN" or obj.ent_type_ == "ORG"):
                return obj
        stack.extend(c for c in current.children if c.dep_ not in ("relcl", "advcl", "ccomp", "acl"))
    return None


def benefit(anchor: Token) -> Token | None:
    """"… to benefit the Patient Assistance Fund" names the recipient without "to"."""
    for token in anchor.subtree:
        if token.lemma_.lower() == "benefit" and token.pos_ == "VERB":
            return child(token, "dobj")
    return None


COLLECTION_NOUNS = {"series", "number", "string", "wave", "round", "set", "host", "list", "range", "couple"}


def collection_giver(noun: Token) -> Token | None:
    """"a series of donations from A, B and C": the givers hang on the collection noun."""
    of = noun.head
    if noun.dep_ == "pobj" and of.lower_ == "of" and of.head.lemma_.lower() in COLLECTION_NOUNS:
        return prep_object(of.head, "from", "by")
    return None


def leading_name(verb: Token) -> Token | None:
    """When the parse gives a verb no subject ("Continuing his work, CEO Jane Roe has made a gift"),
    the first person named before it in the sentence is the one acting."""
    return next((t for t in verb.sent if t.i < verb.i and t.ent_type_ == "PERSON" and t.ent_iob_ == "B"), None)


GRATEFUL = {"grateful", "thankful", "indebted", "appreciative"}


def gratitude(noun: Token) -> tuple[Token | None, Token | None] | None:
    """"Y is grateful to X for a donation", "Y thanked X for the gift": X gave, Y received."""
    for ancestor in list(noun.ancestors)[:4]:
        word = ancestor.lemma_.lower()
        if word == "thank" and ancestor.pos_ == "VERB":
            return child(ancestor, "dobj"), subject(ancestor)
        thankful = ancestor if word in GRATEFUL else next(
            (c for c in ancestor.children if c.dep_ == "acomp" and c.lemma_.lower() in GRATEFUL), None)
        if thankful is not None:
            verb = thankful.head if thankful.dep_ == "acomp" else thankful
            giver, thanker = prep_object(thankful, "to") or prep_object(verb, "to"), subject(verb)
            if thanker is not None and thanker.lower_ in ("we", "i"):
                thanker = None   # "we are thankful": the speaker's organisation, told elsewhere
            return (giver, thanker) if giver is not None else None
        if ancestor.pos_ in ("VERB", "AUX"):
            return None
    return None
