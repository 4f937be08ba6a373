"""Token and text helpers for quote attribution: fast attribute lookups, phrases as spelled, acronyms."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from giftwatch.extractors.names import TITLE_WORDS

_ACRONYM = re.compile(r"((?:The |the )?[A-Z][\w&.'’-]*(?:[ -](?:[A-Z][\w&.'’-]*|of|and|the|for|&|de|on|in))*)"
                      r"\s*\(([A-Z][A-Za-z&]{1,9})\)")
_BRACKETED_ACRONYM = re.compile(r"\([A-Z][A-Za-z&]{1,9}\)")
_OUTSIDE_NAMES = re.compile(r"[^\w&.'’\-\s]")   # characters no `_ACRONYM` match has before its “(”
_LEADING_THE = re.compile(r"^(?:the|The) ")


def token_indices(doc: Doc, attr: str, values: Iterable[str]) -> list[int]:
    """Indices of the tokens whose string attribute ("LOWER", "DEP") is one of `values`.

    Reads the attribute as one array: a pass over Token objects costs more than all the
    rest of quote attribution.
    """
    if not len(doc):
        return []
    return numpy.flatnonzero(numpy.isin(doc.to_array(attr), _string_ids(frozenset(values)))).tolist()


@lru_cache(maxsize=64)
def _string_ids(values: frozenset[str]) -> numpy.ndarray:
    return numpy.array(sorted(get_string_id(value) for value in values), dtype=numpy.uint64)


def acronym_like(token: Token) -> bool:
    return token.text.isupper() and len(token.text) >= 2 and token.is_alpha


def is_title(token: Token) -> bool:
    """“SVP” in “SVP and CFO Jane Roe”: a role conjoined with the name, not a second speaker."""
    return token.ent_type_ != "PERSON" and token.lower_.strip(".,") in TITLE_WORDS


def phrase_text(tokens: Iterable[Token]) -> str:
    """Tokens (in order) as the text spells them: “the museum's director”, not “the museum 's director”.

    Where tokens are left out (a quote, a comma), a space keeps the words apart.
    """
    parts: list[str] = []
    last: Token | None = None
    for token in tokens:
        if last is not None and token.i != last.i + 1 and not last.whitespace_:
            parts.append(" ")
        parts.append(token.text_with_ws)
        last = token
    return "".join(parts).strip()


def roles_of(head: Token) -> list[str]:
    roles = []
    for child in head.children:
        if child.dep_ == "appos" and child.pos_ != "NUM":   # “Jane Roe, 54,”: an age, not a role
            roles.append(phrase_text(child.subtree).strip(" ,"))
    titles = [t for left in head.lefts if left.dep_ == "compound" and left.ent_type_ != "PERSON"
              for t in left.subtree if t.ent_type_ != "PERSON"]   # “Executive Director”, not “Director”
    if titles:
        roles.insert(0, phrase_text(sorted(set(titles), key=lambda t: t.i)))
    return roles


def _acronym_matches(text: str) -> Iterator[re.Match]:
    """The matches of `_ACRONYM.finditer(text)`, found without trying the pattern at every capital.

    A match ends at a bracketed acronym, and its name part holds no character outside
    `_NAME_CHARACTERS`; so the pattern is tried only on the run of such characters before
    each “(ABC)”, from where the previous match ended.
    """
    brackets = list(_BRACKETED_ACRONYM.finditer(text))
    if not brackets:
        return
    stops = [m.start() for m in _OUTSIDE_NAMES.finditer(text)]
    resume = 0
    for bracket in brackets:
        if bracket.start() < resume:
            continue
        before = bisect_left(stops, bracket.start())
        start = max(resume, stops[before - 1] + 1 if before else 0)
        match = _ACRONYM.search(text, start, bracket.end())
        if match is not None:
            resume = match.end()
            yield match


def acronyms_in(text: str) -> dict[str, str]:
    """“National Legal and Policy Center (NLPC)” → {"NLPC": "National Legal and Policy Center"}."""
    found: dict[str, str] = {}
    for match in _acronym_matches(text):
        full, short = _LEADING_THE.sub("", match[1]), match[2]
        initials = [w[0] for w in full.split() if w[0].isupper()]
        if initials and initials[0] == short[0] and len(initials) >= 2:
            found[short] = full
    return found
