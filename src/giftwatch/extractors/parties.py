"""Donors and recipients: the names a token stands for, with descriptions resolved.

"the university" is the university the article named last, "the couple" the
last two people named together, "it" the organisation last named; a proper
name is taken whole ("the Young Center for Immigrant Children's Rights").
"""
from __future__ import annotations

import re
from bisect import insort
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from giftwatch.extractors.gender import PRONOUN_GENDER, genders
from giftwatch.extractors.names import (GROUP_NOUNS, PERSON_PRONOUNS, Cast, clean_name, person_entity,
                                     split_people)

ORG_NOUNS = {
    "university", "college", "school", "academy", "institute", "foundation", "fund", "trust", "hospital", "clinic",
    "center", "centre", "museum", "library", "movement", "organization", "organisation", "nonprofit", "charity",
    "society", "association", "club", "church", "company", "firm", "group", "program", "programme", "campaign",
    "alliance", "coalition", "council", "network", "bank", "pantry", "shelter", "house", "project", "initiative",
    "orchestra", "theater", "theatre", "zoo", "park", "agency", "department", "system", "district", "league",
    "corporation", "team", "cooperative", "co-op", "institution", "campus", "hub", "mission", "conservancy",
}
_ACRONYM = re.compile(r"^\s*\(([A-Z][A-Za-z0-9&.\-]{1,12})\)")
# A press release's boilerplate section: "About Acme Corp." on a line of its own (or "About the X: ...").
_ABOUT = re.compile(r"(?m)^About (?:[Tt]he )?(?P<name>[A-Z][^\n:]{1,80}?)(?:\s*:|\s*$)")


@dataclass
class Party:
    """A donor or recipient as the article names it."""

    names: list[str]
    aliases: list[str] = field(default_factory=list)
    is_person: bool = False
    described: bool = False   # came from a pronoun or a description

    def __bool__(self) -> bool:
        return bool(self.names)


SPOUSE_NOUNS = {"wife", "husband", "spouse", "partner"}
PARTICLES = {"de", "la", "du", "des", "del", "della", "di", "da", "do", "dos", "das", "von", "van", "der", "den",
             "le", "les", "et", "y"}
CONNECTORS = {"of", "for", "the", "and", "&", "on", "at", "’s", "'s", "-", "|", "in"} | PARTICLES
MAX_NAME_TOKENS = 12


def _name_word(token: Token) -> bool:
    if token.ent_type_ in ("DATE", "TIME", "MONEY", "PERCENT"):
        return False   # "… Foundation on Monday": a date is never part of a name
    text = token.text   # "mikeroweWORKS" and "i2M" count by their inner capitals
    capital = text[:1].isupper() or text[:1].isdigit() and token.i > 0 or (
        token.pos_ == "PROPN" and any(ch.isupper() for ch in text[1:]))
    return capital and token.pos_ not in ("VERB", "AUX", "PUNCT") or text in ("&", "|")


def _glued(doc: Doc, i: int, step: int) -> bool:
    """Tokens written without a space between them ("Buc-ee’s", "H-E-B") are one word of a name."""
    left, right = (i, i + step) if step > 0 else (i + step, i)
    return 0 <= left and right < len(doc) and doc[left].whitespace_ == "" and (
        doc[right].text == "-" or doc[left].text == "-")


def name_span(token: Token) -> Span:
    """The whole proper name a token belongs to, read off the surface: a run of capitalised
    words and the connectors between them ("March For Our Lives Movement", "Young Center for
    Immigrant Children's Rights"). A conjunction the parser split ("A and B") ends the run."""
    doc, sent = token.doc, token.sent
    conjuncts = {t.i for t in token.conjuncts}

    def joins(i: int, step: int) -> bool:
        word = doc[i]
        if _glued(doc, i - step, step) and word.text not in ("’s", "'s", "’", "'"):
            return True
        if _name_word(word):
            return i not in conjuncts
        if word.lower_ not in CONNECTORS or not (sent.start <= i + step < sent.end):
            return False
        after = doc[i + step]
        if after.lower_ in PARTICLES and after.lower_ != word.lower_ and sent.start <= i + 2 * step < sent.end:
            after = doc[i + 2 * step]   # "Médecins de la Rue": two particles in a row
        if word.lower_ == "in" and after.ent_type_ in ("GPE", "LOC"):
            return False   # "Musée des Tisserands in Roubaix": the place is not part of the name
        return _name_word(after) and after.i not in conjuncts and not (word.lower_ == "the" and step > 0)

    left = right = token.i
    while left - 1 >= sent.start and right - left < MAX_NAME_TOKENS and joins(left - 1, -1):
        left -= 1
    while right + 1 < sent.end and right - left < MAX_NAME_TOKENS and joins(right + 1, 1):
        right += 1
    while left < right and (doc[left].lower_ in CONNECTORS or not _name_word(doc[left])):
        left += 1
    while right > left and (doc[right].lower_ in CONNECTORS or not _name_word(doc[right])):
        right -= 1
    return doc[left:right + 1]


def acronym_after(span: Span) -> str | None:
    last = span.doc[span.end - 1]   # the text right after the name (Doc.text would rebuild the article)
    after = last.whitespace_ + "".join(t.text_with_ws for t in span.doc[span.end:span.end + 5])
    match = _ACRONYM.match(after[:16])
    return match.group(1) if match else None


class PartyResolver:
    """Turns donor/recipient tokens into names, remembering organisations as it goes."""

    def __init__(self, doc: Doc, cast: Cast):
        self.doc, self.cast = doc, cast
        self.orgs: list[tuple[int, str]] = []
        self.groups: list[tuple[int, list[str]]] = []   # couples and families named as givers so far
        self._genders: dict[str, str] | None = None   # worked out the first time a he/she needs them
        self.sections = [(m.start(), clean_org(m["name"].rstrip(" .®"))) for m in _ABOUT.finditer(doc.text)]
        for ent in doc.ents:
            if ent.label_ == "ORG":
                name = clean_org(name_span(ent.root).text if ent.root.pos_ == "PROPN" else ent.text)
                if name:
                    self.orgs.append((ent.start_char, name))

    def remember_org(self, start: int, name: str) -> None:
        insort(self.orgs, (start, name))   # kept sorted by position; a re-sort per gift was quadratic

    def resolve(self, token: Token, speakers: list[str] | None = None, follow_conjuncts: bool = True) -> Party:
        """Names for the party a token stands for, following conjunctions ("A and B") unless told not to."""
        lower = token.lower_
        if lower in ("we", "us", "our", "i", "my") and speakers:
            return Party(list(speakers), is_person=True, described=True)
        if lower in ("this", "that", "these", "those"):
            return Party([])   # "This is not just a gift": a demonstrative names nobody
        if lower in PERSON_PRONOUNS:
            names = self._sentence_subject(token) or self._pronoun_person(lower, token.idx)
            for kin in (t for t in token.conjuncts if t.lower_ in SPOUSE_NOUNS):   # "He and his wife"
                names = names + self._spouse(kin, names)
            return Party(names, is_person=True, described=True)
        if lower == "their" and token.dep_ == "poss":
            ahead = self._sentence_subject(token)   # "With their new gift, the Vances will …"
            if ahead:
                return Party(ahead, is_person=True, described=True)
        if lower in ("it", "its", "they", "their", "which", "who", "that"):
            if lower in ("which", "who", "that") and token.head.dep_ == "relcl":
                return self.resolve(token.head.head, speakers)
            org = self._recent_org(None, token.idx)
            if lower in ("it", "its"):
                org = self._same_sentence_org(token) or self._previous_subject_org(token) or \
                    self._section_org(token.idx) or org
            if lower in ("they", "their"):
                group = self.cast.resolve_pronoun("they", token.idx)
                if group and (not org or self._mentioned_after(group, org, token.idx)):
                    return Party(group, is_person=True, described=True)
            return Party([org] if org else [], described=True)
        if token.pos_ != "PROPN" and not _name_word(token):
            return self._description(token)
        family = self._family(token)
        if family:
            return Party(family, is_person=True, described=True)
        heads = [token] + ([t for t in token.conjuncts if t.i > token.i] if follow_conjuncts else [])
        people = [person_entity(h) for h in heads]
        if any(people) or len(heads) > 1 and any(h.lower_ in SPOUSE_NOUNS for h in heads):
            names = []
            for head, ent in zip(heads, people):
                if head.lower_ in SPOUSE_NOUNS:   # "Harold Brandt … and his wife, Celia"
                    names.extend(self._spouse(head, names))
                    continue
                found = split_people(ent.text if ent is not None else name_span(head).text)
                names.extend(self.cast.full_name(n, token.idx) for n in found)
            names = _unique(_share_surname(names))
            if len(names) >= 2:
                self.groups.append((token.idx, names))
            return Party(names, is_person=True)
        names, aliases = [], []
        for head in heads:
            span = name_span(head)
            name = clean_org(span.text)
            if not name:
                continue
            full = self._titled_person(name, token.idx)
            if full:
                names.append(full)
                continue
            names.append(name)
            self.remember_org(span.start_char, name)
            acronym = acronym_after(span)
            if acronym:
                aliases.append(acronym)
        return Party(_unique(names), aliases)

    def from_span(self, span: Span) -> Party:
        """An organisation named by a stretch of text read at the surface (an item of a list)."""
        name = clean_org(span.text)
        if not name:
            return Party([])
        self.remember_org(span.start_char, name)
        acronym = acronym_after(span)
        return Party([name], [acronym] if acronym else [])

    def _family(self, token: Token) -> list[str]:
        """"the Brandts" → the people of that family name the article has named (a couple first)."""
        text = token.text
        if not (text.endswith("s") and len(text) > 3 and token.tag_ == "NNPS" or text.endswith("s") and any(
                c.lower_ == "the" for c in token.children)):
            return []
        surname = text[:-1]
        for _, names in reversed([g for g in self.groups if g[0] < token.idx]):
            if all(n.split()[-1] == surname for n in names):
                return names
        return [p for p in self.cast.people if p.split()[-1] == surname]

    def _sentence_subject(self, pronoun: Token) -> list[str]:
        """"Combined with her recent gift to X, Scott has given …", "With their new gift, the Vances will …":
        a possessive before the person or family the sentence is about refers forward to them."""
        if pronoun.dep_ != "poss":
            return []
        root = pronoun.sent.root
        subjects = [c for c in root.children if c.dep_ == "nsubj" and c.i > pronoun.i]
        subjects += [c for s in subjects for c in s.conjuncts if c.i > pronoun.i]   # a misparsed subject
        for subject in subjects:
            if subject.pos_ != "PROPN":
                continue
            if pronoun.lower_ == "their":
                family = self._family(subject)
                if family:
                    return family
                continue
            ent = person_entity(subject)
            name = self.cast.full_name(ent.text if ent is not None else subject.text, subject.idx)
            if name in self.cast.people or any(name in m.names for m in self.cast.mentions):
                return [name]
        return []

    def _pronoun_person(self, pronoun: str, before: int) -> list[str]:
        """he/she → the last single person named outside quotes whom the article does not write of
        with the other pronoun."""
        gender = PRONOUN_GENDER.get(pronoun)
        if gender is None:
            return self.cast.resolve_pronoun(pronoun, before)
        if self._genders is None:
            self._genders = genders(self.doc, self.cast)
        found = self.cast.most_recent(lambda m: len(m.names) == 1 and not m.in_quote and self._genders.get(
            m.names[0], gender) == gender, before)
        return list(found.names) if found else []

    def _spouse(self, kin: Token, partners: list[str]) -> list[str]:
        """"his wife, Celia" → Celia and the partner's family name; "his wife" alone → the person of that
        family name the article names besides the partner."""
        family = partners[0].split()[-1] if partners and len(partners[0].split()) >= 2 else None
        named = next((c for c in kin.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
        if named is not None:
            name = clean_name(name_span(named).text)
            if len(name.split()) == 1 and family:
                name = f"{name} {family}"
            return [self.cast.full_name(name, kin.idx)]
        if family is None:
            return []
        return [p for p in self.cast.people if p.split()[-1] == family and p not in partners][:1]

    def _titled_person(self, name: str, before: int) -> str | None:
        """A person the tagger took for an organisation: "Philanthropist MacKenzie Scott",
        "Former U.S. Senator Benjamin Cardin of Maryland"."""
        if len(name.split()) < 2:
            return None   # "Crankstart" is the foundation, not a person the article happens to name alike
        for candidate in (name, re.sub(r"\s+of\s+[A-Z][\w.'’ -]*$", "", name)):
            full = self.cast.full_name(candidate, before)
            if full in self.cast.people:
                return full
        return None

    def _description(self, token: Token) -> Party:
        lower = token.lemma_.lower()
        family = next((c for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN"), None)
        if lower == "family" and family is not None:   # "the Tanaka family" is a name of its own
            return Party([f"{clean_name(name_span(family).text)} family"], is_person=True)
        owner = next((c for c in token.children if c.dep_ == "poss" and c.lower_ not in PERSON_PRONOUNS
                      and c.lower_ not in ("its", "their", "our")), None)
        if owner is not None and lower not in GROUP_NOUNS:   # "the hospice's endowment" goes to the hospice
            return self.resolve(owner)
        if lower in GROUP_NOUNS:   # "the couple": the last two people named together, by the NER or by us
            group = self.cast.resolve_group(2, token.idx)
            ours = next(((start, names) for start, names in reversed(self.groups) if start < token.idx), None)
            if ours and (not group or self.cast.most_recent(lambda m: m.names == group, token.idx).start < ours[0]):
                group = ours[1]
            return Party(group, is_person=True, described=True)
        named = next((c for c in token.children if c.dep_ == "compound" and c.pos_ == "PROPN" and
                      c.ent_type_ not in ("PERSON", "GPE", "DATE")), None)
        if named is not None and not any(t.ent_type_ == "PERSON" for t in token.subtree):
            return self.resolve(named, follow_conjuncts=False)   # "the Larkin High School robotics team"
        determiner = next((c.lower_ for c in token.children if c.dep_ in ("det", "poss")), "")
        if lower in ORG_NOUNS and determiner in ("the", "this", "our", "its", "their"):
            org = self._recent_org(lower, token.idx)
            return Party([org] if org else [], described=True)
        for child in token.subtree:   # "philanthropists Lee and Valerie Shapiro"
            if child.ent_type_ == "PERSON" and child.i != token.i and (child.pos_ == "PROPN" or _name_word(child)):
                return self.resolve(child)
        return Party([])

    def _recent_org(self, noun: str | None, before: int) -> str | None:
        for start, name in reversed(self.orgs):
            if start >= before:
                continue
            if noun is None or noun in name.lower() or noun in ("organization", "organisation", "nonprofit",
                                                                "charity", "group"):
                return name
        return None

    def _same_sentence_org(self, token: Token) -> str | None:
        """"Acme said it will give": an organisation named earlier in the pronoun's own sentence."""
        org = self._recent_org(None, token.idx)
        at = max((s for s, n in self.orgs if n == org and s < token.idx), default=-1)
        return org if at >= token.sent.start_char else None

    def _previous_subject_org(self, token: Token, depth: int = 0) -> str | None:
        """"it" at the start of a sentence is most often the organisation the sentence before was about:
        its subject, followed back through further "it"s."""
        start = token.sent.start
        while start > 0 and token.doc[start - 1].is_space:
            start -= 1
        gap = "".join(t.text_with_ws for t in token.doc[start - 1:token.sent.start]) if start else ""
        if start == 0 or depth > 3 or "\n\n" in gap:
            return None   # a new paragraph starts a new topic
        before = token.doc[start - 1].sent
        subject = next((c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None:
            return None
        if subject.lower_ == "it":
            return self._previous_subject_org(subject, depth + 1)
        if subject.pos_ != "PROPN" or person_entity(subject) is not None:
            return None
        name = clean_org(name_span(subject).text)
        return name if name and not self._titled_person(name, token.idx) else None

    def _section_org(self, before: int) -> str | None:
        """Inside an "About Acme Corp." section, "it" is Acme Corp."""
        heading = next(((s, n) for s, n in reversed(self.sections) if s < before), None)
        return heading[1] if heading and heading[1] else None

    def _mentioned_after(self, group: list[str], org: str, before: int) -> bool:
        person = self.cast.most_recent(lambda m: m.names == group, before)
        org_at = max((s for s, n in self.orgs if n == org and s < before), default=-1)
        return person is not None and person.start > org_at


def clean_org(text: str) -> str:
    text = re.sub(r"^(?:[Tt]he|a|an)\s+", "", text.strip(" ,;:-–—\n\"“”‘’()"))   # "A Bed 4 Me Foundation" keeps its A
    text = re.sub(r"[’']s$", "", text)
    first = text.split()[0] if text.split() else ""
    return text if first[:1].isupper() or any(ch.isupper() for ch in first[1:]) else ""


def _share_surname(names: list[str]) -> list[str]:
    """"Jon and Helaine Ayers" → Jon Ayers, Helaine Ayers: a lone first name takes the family name that follows."""
    if len(names) < 2 or len(names[-1].split()) < 2:
        return names
    surname = names[-1].split()[-1]
    return [f"{n} {surname}" if len(n.split()) == 1 and n[:1].isupper() else n for n in names]


def _unique(items: list[str]) -> list[str]:
    seen, out = set(), []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out
