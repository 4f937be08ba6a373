"""Which people an article writes of as "he" and which as "she", from the article's own cues.

"Her recent gift" must not resolve to the man named last. The cues are the ones
news writing gives: an honorific ("Mr. Vance", "Ms. Oduya"), a spouse ("Vance and
his wife, Clara": he; she), and the pronoun a sentence uses right after naming
one person ("Ruiz said … , he said"). Names alone decide nothing.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.tokens import Doc

from giftwatch.extractors.names import Cast

_HONORIFIC = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f", "lady": "f", "lord": "m"}
_SPOUSE = re.compile(r"\b(his|her) (?:late )?(wife|husband)\b", re.I)
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
_WINDOW = 250   # characters: a pronoun this close after a lone name refers to it


def genders(doc: Doc, cast: Cast) -> dict[str, str]:
    """Full name → "m" or "f" for the people the article gives a clear cue about."""
    votes: dict[str, Counter] = {}
    text = doc.text

    def vote(name: str, gender: str, weight: int) -> None:
        votes.setdefault(name, Counter())[gender] += weight

    for mention in cast.mentions:
        if len(mention.names) != 1:
            continue
        before = text[max(0, mention.start - 6):mention.start].lower().rstrip(". ").split()
        if before and before[-1] in _HONORIFIC:
            vote(mention.names[0], _HONORIFIC[before[-1]], 3)
    for match in _SPOUSE.finditer(text):   # "Vance and his wife": Vance is a man, the wife a woman
        owner = cast.most_recent(lambda m: len(m.names) == 1 and not m.in_quote, match.start())
        if owner is not None and match.start() - owner.start < 60:
            vote(owner.names[0], "m" if match[1].lower() == "his" else "f", 2)
    for token in doc:   # "Okafor said … . “…,” he said": the person named last before the pronoun
        gender = PRONOUN_GENDER.get(token.lower_)
        if gender is None or token.dep_ not in ("nsubj", "nsubjpass"):   # "her gift" may look back further
            continue
        last = cast.most_recent(lambda m: not m.in_quote, token.idx)
        if last is not None and len(last.names) == 1 and token.idx - last.start < _WINDOW:
            vote(last.names[0], gender, 1)
    return {name: counts.most_common(1)[0][0] for name, counts in votes.items()
            if len(counts) == 1 or counts.most_common(2)[0][1] > counts.most_common(2)[1][1]}
