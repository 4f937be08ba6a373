"""Who a quote's attributing subject refers to: people, pronouns, descriptions and organisations.

`SpeakerResolver` turns the subject token of a speech cue into full names and
a role. It knows, beyond the shared `Cast`, which people and organisations
were the *subjects* of sentences (a pronoun refers back to the last one, not
to a name in a subordinate phrase), which acronyms the article spells out,
and which quotes were already attributed (a pronoun right after a quote
usually continues its speaker).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from giftwatch.extractors import names
from giftwatch.extractors.names import (GROUP_NOUNS, GROUP_PRONOUNS, PERSON_PRONOUNS, RELATIVE_PRONOUNS, Cast,
                                     split_people, token_name)
from giftwatch.extractors.tokentext import (acronym_like, acronyms_in, is_title, phrase_text, roles_of,
                                           token_indices)

SUBJECT_DEPS = ("nsubj", "nsubjpass")
clean_name, name_words = names.clean_name, names.name_words   # both cached in names


ORG_PRONOUNS = {"it", "its"}
ORG_NOUNS = {
    "company", "firm", "university", "college", "school", "foundation", "organization", "organisation", "nonprofit",
    "charity", "bank", "hospital", "museum", "church", "association", "society", "center", "centre", "club",
    "institute", "agency", "council", "fund", "trust", "business", "retailer", "brand", "district", "library",
    "zoo", "network", "corporation", "group", "team", "league", "alliance", "coalition", "campaign", "initiative",
}
DOCUMENT_NOUNS = {"statement", "proposal", "release", "letter", "report", "post", "announcement", "filing", "memo",
                  "email", "message", "essay", "note", "website", "resolution", "petition", "tweet"}
UNNAMED_NOUNS = {"spokesperson", "spokesman", "spokeswoman", "official", "officials", "representative",
                 "representatives", "source", "sources", "insider", "insiders", "aide", "aides"}
_POSSESSIVE_END = re.compile(r"[’']s$")
_LEADING_THE = re.compile(r"^(?:the|The) ")


@dataclass
class Attribution:
    speakers: list[str]
    role: str | None
    cue: str | None


@dataclass
class Referent:
    """A person, group or organisation that was the subject of a sentence, at a place in the text."""

    start: int
    names: list[str]
    is_org: bool = False


class SpeakerResolver:
    """Resolves attributing subjects of one article; `done` is the attributions so far, in order."""

    def __init__(self, doc: Doc, quoted: list[bool], cast: Cast, text: str | None = None,
                 token_starts: list[int] | None = None):
        self.doc, self.quoted, self.cast = doc, quoted, cast
        self.text = doc.text if text is None else text   # Doc.text and Doc.ents rebuild on every call
        self.done: list[tuple[object, Attribution]] = []
        self._token_starts = token_starts
        self._arrays: dict[str, numpy.ndarray] = {}
        self._spelled: dict[str, str] = {}
        self._referents: dict[int, Referent | None] = {}
        self._resolving: int | None = None   # the subject being resolved: only those before it count

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        return self.doc.ents

    @cached_property
    def entity_at(self) -> dict[int, Span]:
        return {i: ent for ent in self.ents for i in range(ent.start, ent.end)}

    @cached_property
    def _subject_tokens(self) -> list[int]:
        """Who each main clause is about (people, couples, organisations): see `recent_subjects`."""
        return token_indices(self.doc, "DEP", SUBJECT_DEPS)

    @cached_property
    def _subject_starts(self) -> list[int]:
        starts = self._token_starts
        if starts is None:
            starts = self.doc.to_array("IDX").tolist() if len(self.doc) else []
        return [starts[i] for i in self._subject_tokens]

    @cached_property
    def acronyms(self) -> dict[str, str]:
        return acronyms_in(self.text)

    @cached_property
    def orgs(self) -> list[Referent]:
        return [Referent(e.start_char, [self.org_name(e.text)], True) for e in self.ents
                if e.label_ == "ORG" and not self.quoted[e.start]]

    @cached_property
    def gender(self) -> dict[str, str]:
        return _genders(self.doc, self.cast)

    def recent_subjects(self, before: int | None) -> Iterator[Referent]:
        """The subjects of main clauses before a character offset (all when None), most recent first.

        Each is resolved when first reached, so a question about the last person who acted costs a
        few subjects, not the article's. While one subject is being resolved, only the subjects
        before it count (its names are read against those).
        """
        count = len(self._subject_starts) if before is None else bisect_left(self._subject_starts, before)
        if self._resolving is not None:
            count = min(count, self._resolving)
        return (referent for k in range(count - 1, -1, -1) if (referent := self._referent_at(k)) is not None)

    def _referent_at(self, k: int) -> Referent | None:
        if k not in self._referents:
            token, outer = self.doc[self._subject_tokens[k]], self._resolving
            self._resolving = k
            try:
                main_clause = token.head.dep_ in ("ROOT", "conj", "ccomp") and not self.quoted[token.i] \
                    and token.pos_ != "PRON" and token.i == min([token.i] + [c.i for c in token.conjuncts])
                self._referents[k] = self._referent(token) if main_clause else None
            finally:
                self._resolving = outer
        return self._referents[k]

    def _referent(self, subject: Token) -> Referent | None:
        named = None if subject.conjuncts else self._named_appos(subject)
        if named is not None:
            names = [self.full_name(n, named.start_char) for n in split_people(named.text)]
        elif subject.pos_ == "PROPN" or subject.ent_type_ in ("PERSON", "ORG") or acronym_like(subject):
            heads = [subject] + [t for t in subject.conjuncts if t.i > subject.i]
            names = self._names(heads, subject.idx)[0]
        else:
            return None
        names = [n for n in names if n]
        if not names:
            return None
        is_org = not any(n in self.cast.people for n in names) and subject.ent_type_ != "PERSON"
        return Referent(subject.idx, names, is_org)

    # -- names -------------------------------------------------------------------------------------------
    def person_entity(self, token: Token) -> Span | None:
        """The PERSON entity containing the token (as `names.person_entity`, from the cached entities)."""
        return self.entity_at.get(token.i) if token.ent_type_ == "PERSON" else None

    def entity(self, token: Token) -> Span:
        """The entity containing the token, else the token alone."""
        ent = self.entity_at.get(token.i)
        return ent if ent is not None else self.doc[token.i:token.i + 1]

    def full_name(self, name: str, before: int | None = None) -> str:
        """A surname shared by two people ("Murray") means the one the text names in full with it."""
        words = name_words(clean_name(name))
        if len(words) == 1:
            sharing = [p for p in self.cast.people if name_words(p)[-1].lower() == words[0].lower()]
            honorific = name.split()[0].lower().strip(".") if len(name.split()) > 1 else ""
            if honorific in _HONORIFIC_GENDER:   # “Lady Penhallow” is the wife, “Mr. Penhallow” the husband
                sharing = [p for p in sharing if self.gender.get(p) == _HONORIFIC_GENDER[honorific]] or sharing
            spelled = [p for p in sharing if p in self.text] if len(sharing) > 1 else sharing
            if len(spelled) == 1:
                return spelled[0]
            acted = next((s.names[0] for s in self.recent_subjects(before) if len(s.names) == 1 and s.names[0] in spelled),
                         None)
            if acted:   # two Kestrels named in full: the one the article is about
                return acted
        full = self.cast.full_name(name, before)
        return self._spelled_out(full) if len(name_words(full)) == 1 else full

    def _spelled_out(self, word: str) -> str:
        """A surname the NER never tagged: the first proper-noun chain in the text that ends with it."""
        if word not in self._spelled:
            self._spelled[word] = word
            for i in numpy.flatnonzero(self._attribute_array("ORTH") == get_string_id(word)).tolist():
                if not self.quoted[i]:
                    chain = clean_name(token_name(self.doc[i]).text)
                    if len(name_words(chain)) >= 2 and all(w[0].isupper() for w in name_words(chain)):
                        self._spelled[word] = chain
                        break
        return self._spelled[word]

    def _attribute_array(self, attr: str) -> numpy.ndarray:
        """One token attribute ("ORTH", "LOWER") for the whole doc, read once."""
        if attr not in self._arrays:
            self._arrays[attr] = self.doc.to_array(attr)
        return self._arrays[attr]

    def org_name(self, text: str) -> str:
        text = _POSSESSIVE_END.sub("", _LEADING_THE.sub("", text.strip()))
        return self.acronyms.get(text, text)

    # -- subjects ----------------------------------------------------------------------------------------
    def resolve(self, subject: Token, before: int) -> tuple[list[str], str | None]:
        """Full names and role for a subject token and the tokens conjoined with it."""
        lower = subject.lower_
        if lower in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
            return self.resolve(subject.head.head, before)
        heads = [subject] + [t for t in subject.conjuncts if t.i > subject.i]
        if lower in PERSON_PRONOUNS | GROUP_PRONOUNS and len(heads) == 1:
            return self.pronoun(lower, before), None
        if lower in ORG_PRONOUNS:
            return self.last_org(None, before), None
        named = self._named_appos(subject)
        if named is not None:
            names = [self.full_name(n, before) for n in split_people(named.text)]
            role = phrase_text(t for t in subject.subtree if t.i < named.start and not self.quoted[t.i])
            return [n for n in names if n], role.strip(" ,") or None
        family = self._family(subject, before)
        if family:
            return family, None
        if subject.pos_ != "PROPN" and subject.ent_type_ != "PERSON" and not acronym_like(subject):
            return self._description(subject, heads, before)
        return self._names(heads, before)

    def _family(self, subject: Token, before: int) -> list[str]:
        """“the Pennicks said”: everyone the article names with that surname."""
        if subject.pos_ != "PROPN" or not subject.text.endswith("s") or len(subject.conjuncts):
            return []
        stems = {subject.text[:-1], subject.text[:-2]}
        group = next((s.names for s in self.recent_subjects(before) if len(s.names) >= 2
                      and all(name_words(n)[-1] in stems for n in s.names)), None)
        return list(group) if group else [p for p in self.cast.people if name_words(p)[-1] in stems][:2] \
            if len([p for p in self.cast.people if name_words(p)[-1] in stems]) == 2 else []

    def group(self, size: int, before: int) -> list[str]:
        """“the couple”: the last group that was the subject of a sentence, else the last one named."""
        found = next((s.names for s in self.recent_subjects(before) if len(s.names) >= 2
                      and not s.is_org), None)
        return list(found) if found and (size == 2 or len(found) == size) else self.cast.resolve_group(size, before)

    def _described(self, subject: Token, before: int) -> list[str]:
        """“the developer added”: the person the text earlier called that (“developer Raymond Kestrel”)."""
        lowers = self._attribute_array("LOWER")
        for i in reversed(numpy.flatnonzero(lowers[:subject.i] == lowers[subject.i]).tolist()):
            token = self.doc[i]
            if self.quoted[i] or token.idx >= before:
                continue
            nxt = self.doc[token.i + 1] if token.i + 1 < len(self.doc) else None
            if nxt is not None and nxt.text == "," and token.i + 2 < len(self.doc):
                nxt = self.doc[token.i + 2]
            ent = self.person_entity(nxt) if nxt is not None else None
            if ent is None and token.dep_ == "appos":
                ent = self.person_entity(token.head)
            if ent is not None:
                return [self.full_name(n, ent.start_char) for n in split_people(ent.text)]
        return []

    def _names(self, heads: list[Token], before: int) -> tuple[list[str], str | None]:
        """Names of conjoined proper-noun subjects: people in full, organisations, titles set aside as roles."""
        names, roles = [], []
        for head in heads:
            ent = self.person_entity(head) or self._named_appos(head)
            if ent is not None:
                people = split_people(ent.text)
                found = [self.full_name(_with_honorific(ent) if len(people) == 1 else n, before) for n in people]
            elif head is not heads[-1] and is_title(head):
                roles.append(token_name(head).text)
                continue
            elif head.ent_type_ == "ORG" and len(self.entity(head)) > 1:
                found = [self.org_name(self.entity(head).text)]
            else:
                found = [self._proper_name(head, before)]
            names.extend(n for n in found if n and n not in names)
            if head.ent_type_ == "PERSON" or any(n in self.cast.people for n in found):
                roles.extend(roles_of(head))
        if len(names) >= 2 and len(heads) >= 2:   # "George and Amal" → each with the shared surname
            names = [self.full_name(n, before) for n in names]
            surname = name_words(names[-1])[-1] if len(name_words(names[-1])) >= 2 else None
            if surname:   # “Lena and Omar Haddad”: the first names share the last one's surname
                names = [f"{n} {surname}" if len(name_words(n)) == 1 else n for n in names]
        return names, "; ".join(roles) or None

    def _proper_name(self, head: Token, before: int) -> str:
        """A name the NER left untagged: a person's short name, or an organisation mentioned more recently."""
        raw = token_name(head).text
        name = clean_name(raw)
        if name in self.acronyms:
            return self.acronyms[name]
        tail = [t for c in head.children if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i == head.i + 1
                for t in c.subtree if t.i < head.i + 8 and not t.is_punct and t.dep_ != "appos"]
        if tail and any(t.ent_type_ == "ORG" or t.pos_ == "PROPN" for t in tail):   # “YMCA of the Palm Beaches”
            return self.org_name(" ".join([name] + [t.text for t in tail]))
        full = self.full_name(raw, before)
        if full in self.cast.people and len(name.split()) == 1:
            person = self.cast.most_recent(lambda m: full in m.names and not m.in_quote, before)
            org = next((o for o in reversed(self.orgs) if o.start < before and o.names[0].split()[0] == name), None)
            if org is not None and (person is None or org.start > person.start):   # “Sheehy” the company
                return org.names[0]
        return full

    def _named_appos(self, subject: Token) -> Span | None:
        """“the superintendent, Dr. Jane Roe” / “Chief Executive of X Jane Roe”: the person in apposition."""
        own = self.person_entity(subject)
        for child in subject.children:
            if child.dep_ == "appos" and not self.quoted[child.i]:
                ent = self.person_entity(child)
                if ent is None and child.pos_ == "PROPN" and subject.pos_ == "NOUN":   # “his wife, Lorraine,”
                    ent = token_name(child)
                between = self.doc[subject.i + 1:ent.start] if ent is not None else []
                if ent is not None and (own is None or not any(t.is_punct for t in between)):
                    return ent
        return None

    def pronoun(self, word: str, before: int) -> list[str]:
        """The speaker of the quote just before, unless someone else became the subject since."""
        group = word in GROUP_PRONOUNS
        last_quote: tuple[int, list[str]] | None = None
        for span, attribution in reversed(self.done):
            if span.start < before and attribution.speakers:
                if self.text.count("\n\n", span.end, before) <= 2 and (len(attribution.speakers) >= 2) == group:
                    last_quote = (span.end, attribution.speakers)
                break
        subject = next((s for s in self.recent_subjects(before) if not s.is_org
                        and (len(s.names) >= 2) == group and s.names), None)
        if subject and (last_quote is None or subject.start > last_quote[0]) \
                and self.text.count("\n\n", subject.start, before) <= 2:
            return list(subject.names)
        if last_quote:
            return list(last_quote[1])
        return self.cast.resolve_pronoun(word, before)

    def last_org(self, noun: str | None, before: int) -> list[str]:
        """“the university said”: the last organisation of that kind, else the last one that acted."""
        earlier = [o for o in self.orgs if o.start < before]
        if noun:
            kind = [o for o in earlier if noun in o.names[0].lower().split()]
            if kind:
                return list(kind[-1].names)
        acted = next((s for s in self.recent_subjects(before) if s.is_org), None)
        chosen = [acted] if acted else earlier
        return list(chosen[-1].names) if chosen else []

    def _description(self, subject: Token, heads: list[Token], before: int) -> tuple[list[str], str | None]:
        phrase = phrase_text(t for t in subject.subtree if not self.quoted[t.i]
                             and t.dep_ not in ("relcl", "acl") and t.i <= max(h.i for h in heads))
        determiner = next((c.lower_ for c in subject.children if c.dep_ in ("det", "poss")), "")
        owner = next((c for c in subject.children if c.dep_ == "poss" and c.lower_ not in PERSON_PRONOUNS
                      | GROUP_PRONOUNS | ORG_PRONOUNS), None)
        noun = subject.lemma_.lower()
        if determiner in ("a", "an", "another", "one", "some", "several", "two") or noun in UNNAMED_NOUNS \
                or subject.lower_ in UNNAMED_NOUNS or any(c.dep_ == "prep" and c.lower_ == "of" for c in subject.children
                                                          if subject.lower_ in ("one", "some", "many")):
            return [], phrase
        if noun in DOCUMENT_NOUNS:
            if owner is not None:
                return self.resolve(owner, before)[0], phrase
            last = next(self.recent_subjects(before), None)
            return (list(last.names) if last else []), phrase
        if noun in ORG_NOUNS and determiner in ("the", "its", "our", "their", "this"):
            return self.last_org(noun, before), None
        if subject.lower_ in GROUP_NOUNS:
            return self.group(2, before), phrase
        if len(heads) >= 2:
            return self.group(len(heads), before), phrase
        described = self._described(subject, before)
        if described and determiner in ("the", "this"):
            return described, phrase
        role = " ".join(t.text for t in subject.subtree if t.dep_ in ("compound", "amod") or t == subject).lower()
        if role in self.cast.roles:
            return [self.cast.roles[role]], phrase
        if subject.pos_ == "NOUN" and determiner in ("the", "our", "his", "her", "its", "their"):
            return self.pronoun("she", before), phrase
        return [], phrase


_HONORIFIC_GENDER = {"mr": "m", "sir": "m", "lord": "m", "mrs": "f", "ms": "f", "miss": "f", "lady": "f", "dame": "f"}
_RELATION_GENDER = {"wife": "f", "mother": "f", "daughter": "f", "sister": "f", "aunt": "f", "niece": "f",
                    "widow": "f", "grandmother": "f", "husband": "m", "father": "m", "son": "m", "brother": "m",
                    "uncle": "m", "nephew": "m", "widower": "m", "grandfather": "m"}
# Token texts (lower-cased) that state a gender: “mrs”, “Mrs.”, “wife”. (A dot either side of an
# honorific is dropped when it is read, as `lower_.strip(".")`.)
_GENDER_WORDS = frozenset({f"{a}{word}{b}" for word in _HONORIFIC_GENDER for a in ("", ".", "..")
                           for b in ("", ".", "..")} | set(_RELATION_GENDER))


def _with_honorific(ent: Span) -> str:
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is not None and before.lower_.strip(".") in _HONORIFIC_GENDER:
        return f"{before.text} {ent.text}"
    return ent.text


def _genders(doc: Doc, cast: Cast) -> dict[str, str]:
    """Gender the text states for a person: “his wife, Marguerite”, “Mrs. Olwen”, “her nephew, Colin Pratt”."""
    found: dict[str, str] = {}
    for i in token_indices(doc, "LOWER", _GENDER_WORDS):
        token = doc[i]
        gender = _HONORIFIC_GENDER.get(token.lower_.strip(".")) or _RELATION_GENDER.get(token.lower_)
        start = token.i + 1 + (token.i + 1 < len(doc) and doc[token.i + 1].text == ",")
        end = start
        while gender and end < len(doc) and end - start < 4 and doc[end].pos_ == "PROPN" and doc[end].text[0].isupper():
            end += 1
        if end - start >= 2 or end > start and token.lower_ in _RELATION_GENDER:   # not “Lady Penhallow”: which one?
            found.setdefault(cast.full_name(doc[start:end].text), gender)
    return found
