"""When a gift was made or announced: the date nearest its own gift word.

A sentence may tell two gifts ("The gift follows a $5 million donation the
couple made in 2019"); each date goes to the gift word closest to it, so the
older gift keeps its year and the new one does not borrow it. A sentence that
announces several gifts at once ("The garden announced both gifts on
Wednesday") dates every gift of the article that has no date of its own.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from giftwatch.extractors.dates import find_dates

ANNOUNCE_VERBS = {"announce", "confirm", "disclose", "unveil", "reveal", "celebrate", "welcome", "acknowledge"}
_SEVERAL = re.compile(r"\b(?:both|two|three|four|five|several|these|the)\s+(?:new\s+|separate\s+|major\s+)?"
                      r"(?:gifts|donations|grants|pledges|commitments)\b", re.I)

# "match every dollar given before June 30": a deadline, not when the gift was made.
_DEADLINE = re.compile(r"\b(?:before|until|till|through|by|no later than|ending)\s+(?:the\s+end\s+of\s+)?$", re.I)


def sentence_dates(doc: Doc, sentence: Span, start_char: int, published: str | None) -> list[tuple[int, str]]:
    """(token index, ISO value) of each resolvable date in the sentence after `start_char`."""
    told = sentence.text[start_char - sentence.start_char:]   # Doc.text would rebuild the whole article
    found = []
    for mention in find_dates(told, published):
        if mention.value and not _DEADLINE.search(told, 0, mention.start):
            span = doc.char_span(start_char + mention.start, start_char + mention.end, alignment_mode="expand")
            found.append((span.start if span is not None else sentence.start, mention.value))
    return found


def nearest_date(dates: list[tuple[int, str]], own: list[Token], others: list[Token]) -> str | None:
    """The date closest to one of `own` gift words, unless another gift word of the sentence is closer.
    A date inside a clause about something else ("the company that moved here last year") is skipped,
    and a participle ("every dollar donated") is no gift word of its own."""
    best: tuple[int, str] | None = None
    others = [t for t in others if t.dep_ not in ("acl", "relcl")]
    for index, value in dates:
        if own and _in_other_clause(own[0].doc[index], own):
            continue
        mine = min(abs(t.i - index) for t in own)
        theirs = min((abs(t.i - index) for t in others), default=10**6)
        if mine <= theirs and (best is None or mine < best[0]):
            best = (mine, value)
    return best[1] if best else None


def _in_other_clause(token: Token, own: list[Token]) -> bool:
    """A date inside a clause about something else: "the company that moved here last year", or the
    others' gifts a match covers ("matching every gift made during May")."""
    for ancestor in [token, *token.ancestors]:
        if ancestor.dep_ not in ("relcl", "acl") or ancestor.head.ent_type_ == "MONEY":
            continue
        if any(c.lower_ in ("every", "each", "all", "any") for c in ancestor.head.children if c.dep_ == "det"):
            return True
        if ancestor.dep_ == "relcl" and ancestor.head not in own and not any(
                ancestor.left_edge.i <= o.i <= ancestor.right_edge.i for o in own):
            return True
    return False


def announcement_date(doc: Doc, sentence: Span, start_char: int, published: str | None) -> str | None:
    """The date of a sentence announcing several gifts at once ("today announced two gifts"), else None."""
    if not _SEVERAL.search(sentence.text):
        return None
    if not any(t.lemma_.lower() in ANNOUNCE_VERBS | {"receive", "accept"} and t.pos_ in ("VERB", "AUX")
               for t in sentence):
        return None
    dates = sentence_dates(doc, sentence, start_char, published)
    return dates[0][1] if dates else None


def best_date(dates: list[str | None]) -> str | None:
    """The first date told, made more precise by a later one that agrees with it
    ("last year" then "in December" → that December)."""
    known = [d for d in dates if d]
    if not known:
        return None
    chosen = known[0]
    for other in known[1:]:
        if other.startswith(chosen) and len(other) > len(chosen):
            chosen = other
    return chosen


__all__ = ["announcement_date", "best_date", "nearest_date", "sentence_dates"]
