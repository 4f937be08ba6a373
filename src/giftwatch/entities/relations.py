"""Relations an article states between the people and organisations it names: "Noor Khalidi, executive director of
the Westfield Community Food Bank", "St. Agnes president Dr. Miriam Sato", "Walter Pennick and his wife, June".

Only names the article's records already hold are related (the caller passes them), so a pattern can never invent
a person; the evidence kept is the sentence that states the relation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_TITLES = {
    "executive director": "executive_director_of", "managing director": "director_of",
    "artistic director": "director_of", "medical director": "director_of", "founding director": "founder_of",
    "director": "director_of", "vice president": "vice_president_of", "president": "president_of",
    "chief executive officer": "chief_executive_of", "chief executive": "chief_executive_of",
    "ceo": "chief_executive_of", "chairwoman": "chair_of", "chairman": "chair_of", "chairperson": "chair_of",
    "co-chair": "chair_of", "chair": "chair_of", "co-founder": "founder_of", "cofounder": "founder_of",
    "founder": "founder_of", "dean": "dean_of", "trustee": "trustee_of", "board member": "trustee_of",
    "head": "head_of", "principal": "head_of", "rector": "head_of", "superintendent": "head_of",
    "vice chancellor": "chancellor_of", "chancellor": "chancellor_of", "provost": "provost_of",
    "treasurer": "treasurer_of",
}
_VERBS = {"founded": "founder_of", "co-founded": "founder_of", "established": "founder_of", "started": "founder_of",
          "chairs": "chair_of", "leads": "head_of", "runs": "head_of", "heads": "head_of", "directs": "director_of"}
_TITLE = "|".join(sorted((re.escape(t) for t in _TITLES), key=len, reverse=True))
_VERB = "|".join(re.escape(v) for v in _VERBS)
_HONORIFIC = r"(?:(?:Dr|Mr|Mrs|Ms|Prof|Rev|Sir|Dame)\.?\s+)?"
_SPOUSE_WORDS = r"wife|husband|spouse"
_COUPLE_CUES = re.compile(r"\b(?:couple|wife|husband|married|spouses?|widow|widower)\b", re.I)
_SENTENCE_END = re.compile(r"(?<!\bMr)(?<!\bMs)(?<!\bDr)(?<!\bSt)(?<!\bSr)(?<!\bJr)(?<!\bMrs)(?<!\bProf)(?<!\b[A-Z])"
                           r"[.!?][”\"’']?(?=\s)|\n\s*\n")


@dataclass(frozen=True)
class StatedRelation:
    """subject predicate object, as the article states it (names as the caller gave them)."""

    subject: str
    predicate: str
    object: str
    evidence: str


def _alternation(forms: dict[str, str]) -> str:
    return "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end]."""
    left = 0
    for match in _SENTENCE_END.finditer(text, 0, start):
        left = match.end()
    found = _SENTENCE_END.search(text, end)
    right = found.end() if found else len(text)
    return " ".join(text[left:right].split())


def title_predicate(title: str) -> str:
    return _TITLES.get(title.casefold()) or _VERBS.get(title.casefold(), "")


def find_relations(text: str, people: dict[str, str], orgs: dict[str, str]) -> list[StatedRelation]:
    """Roles (title of org), foundings and marriages stated in `text`. `people` maps each form a person is
    written in ("Raymond Kestrel", "Kestrel") to their full name; `orgs` maps each form of an organisation
    ("St. Agnes", "the hospital") to its name."""
    found: dict[tuple[str, str, str], StatedRelation] = {}

    def add(subject: str, predicate: str, obj: str, match: re.Match) -> None:
        if subject != obj and predicate:
            found.setdefault((subject, predicate, obj),
                             StatedRelation(subject, predicate, obj, _sentence(text, match.start(), match.end())))

    if people and orgs:
        person, org = _alternation(people), _alternation(orgs)
        role_patterns = (  # (pattern, group holding the title or verb)
            rf"\b(?P<p>{person}),?\s+(?:the\s+|its\s+|a\s+|who\s+is\s+(?:the\s+)?)?(?P<t>{_TITLE})"
            rf"(?:\s+and\s+[\w-]+)?\s+(?:of|at|for)\s+(?:the\s+)?(?P<o>{org})\b",
            rf"\b(?P<o>{org})(?:'s|’s)?\s+(?P<t>{_TITLE}),?\s+{_HONORIFIC}(?P<p>{person})\b",
            rf"\b(?P<t>{_TITLE})\s+(?:of|at)\s+(?:the\s+)?(?P<o>{org}),\s+{_HONORIFIC}(?P<p>{person})\b",
            rf"\b(?P<p>{person}),?\s+who\s+(?P<t>{_VERB})\s+(?:the\s+)?(?P<o>{org})\b",
            rf"\b(?P<o>{org}),?\s+(?:which\s+|that\s+)?(?:was\s+)?(?P<t>founded|co-founded|established)\s+"
            rf"(?:in\s+\d{{4}}\s+)?by\s+{_HONORIFIC}(?P<p>{person})\b",
        )
        for pattern in role_patterns:
            for match in re.finditer(pattern, text, flags=re.I):
                add(_lookup(people, match["p"]), title_predicate(match["t"]), _lookup(orgs, match["o"]), match)
    if len(set(people.values())) >= 2:
        person = _alternation(people)
        spouse_patterns = (
            rf"\b(?P<a>{person})(?:,[^,.;“”\"]{{1,100}},)?,?\s+(?:and\s+)?(?:his|her|their)\s+(?:{_SPOUSE_WORDS}),?\s+"
            rf"(?P<b>{person})\b",
            rf"\b(?P<b>{person}),\s+(?P<a>{person})(?:'s|’s)\s+(?:{_SPOUSE_WORDS})\b",
        )
        for pattern in spouse_patterns:
            for match in re.finditer(pattern, text):
                a, b = _lookup(people, match["a"]), _lookup(people, match["b"])
                add(a, "spouse_of", b, match)
    return list(found.values())


def role_relation(role: str, people_name: str, orgs: dict[str, str]) -> tuple[str, str] | None:
    """(predicate, org name) from a quote's speaker role: "executive director of the food bank", "St. Agnes
    president", "chairs the foundation". None when the role names no title or no organisation of the article."""
    title = re.search(rf"\b(?:{_TITLE}|{_VERB})\b", role, flags=re.I)
    if not title or not orgs:
        return None
    for form in sorted(orgs, key=len, reverse=True):
        if re.search(rf"\b{re.escape(form)}\b", role, flags=re.I):
            return title_predicate(title.group(0)), orgs[form]
    return None


def couple_stated(text: str) -> bool:
    """Does the article speak of a couple (so two donors sharing a family name are spouses, not siblings)?"""
    return bool(_COUPLE_CUES.search(text))


def _folded(forms: dict[str, str]) -> dict[str, str]:
    return {k.casefold(): v for k, v in forms.items()}


def _lookup(forms: dict[str, str], written: str) -> str:
    return forms.get(written) or _folded(forms)[written.casefold()]
