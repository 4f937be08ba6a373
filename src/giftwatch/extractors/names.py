"""Who is who in one article: name spans, full names, pronouns and descriptions.

A `Cast` is built once per parsed article. It knows every person mentioned
(from the NER and from proper-noun chains), expands short references
("George", "Clooney", "George and Amal") to full names, and resolves
pronouns and definite descriptions ("she", "the couple", "the university")
to the person, group or organisation most recently mentioned.
"""
from __future__ import annotations

import re
from bisect import insort
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

TITLE_WORDS = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "reverend", "lord", "lady",
    "president", "vice", "ceo", "cfo", "coo", "cto", "chief", "executive", "officer", "director", "chair",
    "chairman", "chairwoman", "chairperson", "founder", "co-founder", "cofounder", "senior", "managing",
    "general", "manager", "principal", "dean", "provost", "chancellor", "mayor", "governor", "senator", "sen",
    "rep", "representative", "secretary", "treasurer", "trustee", "board", "superintendent", "coach",
    "owner", "partner", "head", "pastor", "father", "sister", "brother", "bishop", "captain", "capt", "col",
    "gen", "lt", "sgt", "judge", "justice", "attorney", "council", "councilmember", "commissioner", "deputy",
    "associate", "assistant", "interim", "acting", "emeritus", "former", "late", "philanthropist", "actor",
    "actress", "author", "singer", "artist", "chef", "nurse", "physician", "surgeon", "vp", "svp", "evp", "md",
    "phd", "jr", "sr", "hon", "honorable", "regional", "national", "global", "program", "development",
    "operations", "marketing", "communications", "foundation", "university", "hospital", "school", "club",
    "state", "county", "city", "u.s.", "u.s",
}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "i", "me", "my"}
GROUP_PRONOUNS = {"they", "them", "their", "we", "us", "our"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
GROUP_NOUNS = {"couple", "pair", "duo", "family", "husband-and-wife", "spouses", "siblings", "brothers", "sisters",
               "parents", "founders", "donors", "twins"}
NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# A name starts at a word's start and has at most eight words: unanchored and unbounded, the search retried
# every letter of a long capitalised run ("AAAA…", "Ab Ab Ab …") and took 16 s on 30,000 characters.
_SPOUSE = re.compile(
    r"(?<![\w.'’-])(?P<first>[A-Z][\w.'’-]+(?: [A-Z][\w.'’-]*){0,7}) and (?:his|her|their) "
    r"(?:wife|husband|spouse|partner)s?,? (?P<second>[A-Z][\w'’-]+)(?! [A-Z])")
_CONJOINED = re.compile(r"^(?P<first>[A-Z][\w'’-]+) (?:and|&) (?P<second>[A-Z][\w'’-]+(?: [A-Z][\w.'’-]*)* "
                        r"(?P<last>[A-Z][\w'’-]+))$")


@lru_cache(maxsize=16384)   # the same few names are cleaned hundreds of times per article
def clean_name(text: str) -> str:
    """Strip possessives, titles and stray punctuation from a name as written."""
    text = re.sub(r"[’']s?$", "", text.strip(" ,;:-–—\n\t\"“”‘’"))
    text = re.sub(r"^((?:\w+\s+)*?)U\.\s?S\.\s", r"\1U.S. ", text)   # "Former U. S. Senator"
    words = text.split()
    while len(words) > 1 and words[0].lower().strip(".,") in TITLE_WORDS:
        words.pop(0)
    return " ".join(words)


def name_words(name: str) -> list[str]:
    return list(_name_words(name))


@lru_cache(maxsize=16384)
def _name_words(name: str) -> tuple[str, ...]:
    return tuple(w for w in re.findall(r"[\w'’-]+", name) if w.lower() not in NAME_SUFFIXES)


@dataclass
class Mention:
    """A person or group named at a place in the text."""

    start: int
    names: list[str]
    in_quote: bool = False


@dataclass
class Cast:
    """Everyone an article names, for resolving references to full names."""

    people: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    roles: dict[str, str] = field(default_factory=dict)   # lower-case role → full name

    def add_person(self, name: str) -> str:
        name = clean_name(name)
        if not name:
            return name
        full = self.full_name(name)
        if full == name and len(name_words(name)) >= 2 and name not in self.people:
            self.people.append(name)
        return full

    def full_name(self, name: str, before: int | None = None) -> str:
        """Expand "George" or "Clooney" to the one full name the article gives for it."""
        name = clean_name(name)
        words = name_words(name)
        if not words:
            return name
        lower = [w.lower() for w in words]
        candidates = []
        for person in self.people:
            pw = [w.lower() for w in name_words(person)]
            if lower == pw:
                return person
            if len(lower) == 1 and (lower[0] == pw[0] or lower[0] == pw[-1]):
                candidates.append(person)
            elif len(lower) >= 2 and lower[0] == pw[0] and lower[-1] == pw[-1]:
                candidates.append(person)   # "Heidi Anderson" → "Heidi M. Anderson"
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            recent = self.most_recent(lambda m: any(n in candidates for n in m.names), before)
            if recent:
                return next(n for n in recent.names if n in candidates)
        return name

    def most_recent(self, wanted, before: int | None) -> Mention | None:
        for mention in reversed(self.mentions):
            if before is not None and mention.start >= before:
                continue
            if wanted(mention):
                return mention
        return None

    def mention(self, start: int, names: list[str], in_quote: bool = False) -> None:
        names = [n for n in names if n]
        if names:
            # kept in order of position; insort puts it after equal starts, as append-then-stable-sort did
            insort(self.mentions, Mention(start, names, in_quote), key=_start)

    def resolve_pronoun(self, word: str, before: int) -> list[str]:
        """he/she → last single person named outside quotes; they → last group."""
        word = word.lower()
        if word in PERSON_PRONOUNS:
            found = self.most_recent(lambda m: len(m.names) == 1 and not m.in_quote, before)
        elif word in GROUP_PRONOUNS:
            found = self.most_recent(lambda m: len(m.names) >= 2 and not m.in_quote, before)
        else:
            found = None
        return list(found.names) if found else []

    def resolve_group(self, size: int, before: int) -> list[str]:
        found = self.most_recent(lambda m: len(m.names) == size and not m.in_quote, before)
        return list(found.names) if found else []


def split_people(text: str) -> list[str]:
    """"George and Amal Clooney" → ["George Clooney", "Amal Clooney"]."""
    text = clean_name(text)
    match = _CONJOINED.match(text)
    if match:
        return [f"{match['first']} {match['last']}", match["second"]]
    parts = [clean_name(p) for p in re.split(r",? (?:and|&) |, ", text) if p.strip()]
    return [p for p in parts if p]


def token_name(token: Token) -> Span:
    """The proper-name span a token heads: its compound/flat chain, titles excluded later."""
    doc = token.doc
    left = token.i
    while left > 0 and doc[left - 1].dep_ in ("compound", "flat", "nmod") and doc[left - 1].head.i in range(
            left, token.i + 1) and doc[left - 1].pos_ in ("PROPN", "NOUN", "ADJ") and not doc[left - 1].is_punct:
        left -= 1
    right = token.i
    while right + 1 < len(doc) and doc[right + 1].dep_ in ("flat", "compound", "appos") and doc[right + 1].pos_ == "PROPN" \
            and doc[right + 1].head.i in range(left, right + 1) and not doc[right].whitespace_ == "":
        right += 1
    return doc[left:right + 1]


def _start(mention: Mention) -> int:
    return mention.start


def person_entity(token: Token) -> Span | None:
    """The PERSON entity containing the token, if the NER found one."""
    if token.ent_type_ == "PERSON":
        for ent in token.doc.ents:
            if ent.start <= token.i < ent.end:
                return ent
    return None


def build_cast(doc: Doc, quoted: list[bool], text: str | None = None) -> Cast:
    """Collect people, spouses and title roles from the whole article (`text` is `doc.text`, if at hand)."""
    cast = Cast()
    text = doc.text if text is None else text
    for match in _SPOUSE.finditer(text):
        first = clean_name(match["first"])
        words = name_words(first)
        if len(words) >= 2:
            cast.add_person(first)
            cast.add_person(f"{match['second']} {words[-1]}")
    entities = [e for e in doc.ents if e.label_ == "PERSON"]
    for ent in entities:
        for name in split_people(ent.text):
            cast.add_person(name)
    for ent in entities:
        names = [cast.full_name(n, ent.start_char) for n in split_people(ent.text)]
        cast.mention(ent.start_char, names, quoted[ent.start])
        _note_role(cast, ent, names)
    return cast


def _note_role(cast: Cast, ent: Span, names: list[str]) -> None:
    """Remember "Executive Director Maria Woltjen" / "Maria Woltjen, executive director" as a role."""
    if len(names) != 1:
        return
    doc = ent.doc
    left = ent.start
    while left > 0 and doc[left - 1].pos_ in ("PROPN", "NOUN") and doc[left - 1].text.lower() in TITLE_WORDS:
        left -= 1
    if left < ent.start:
        cast.roles[doc[left:ent.start].text.lower()] = names[0]
    head = ent.root
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i:
            cast.roles[child.text.lower()] = names[0]
            cast.roles[" ".join(t.text for t in child.subtree).lower()] = names[0]
