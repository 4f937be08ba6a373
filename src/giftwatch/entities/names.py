"""Names of people and organisations: normal forms for comparing them, and what kind of thing a name names.

Pure string functions (no spaCy), so the store can use them on every rebuild without loading a pipeline.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "rev", "reverend",
                    "fr", "father", "hon", "judge", "rabbi", "imam", "lord", "lady", "sen", "senator", "rep",
                    "gov", "governor", "mayor", "president", "gen", "col", "capt", "lt", "sgt"})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "obe", "cbe", "mbe", "kbe", "dbe"})
# A name containing one of these words names an organisation of that kind (checked in this order).
ORG_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("foundation", frozenset({"foundation", "foundations", "endowment", "philanthropies", "philanthropy"})),
    ("trust", frozenset({"trust", "trusts"})),
    ("university", frozenset({"university", "college", "institute", "polytechnic", "conservatory"})),
    ("school", frozenset({"school", "schools", "academy", "seminary", "kindergarten", "preschool"})),
    ("hospital", frozenset({"hospital", "hospitals", "hospice", "clinic", "clinics", "health", "healthcare",
                            "infirmary", "medical"})),
    ("museum", frozenset({"museum", "gallery", "galleries", "zoo", "aquarium", "garden", "gardens"})),
    ("library", frozenset({"library", "libraries"})),
    ("arts organisation", frozenset({"theatre", "theater", "opera", "orchestra", "symphony", "ballet", "choir",
                                     "philharmonic", "festival", "arts"})),
    ("religious organisation", frozenset({"church", "cathedral", "parish", "synagogue", "mosque", "temple",
                                          "diocese", "ministries", "ministry", "congregation"})),
    ("government", frozenset({"county", "department", "government", "federal", "agency", "commission",
                              "authority", "municipality"})),
    ("company", frozenset({"inc", "llc", "ltd", "plc", "corp", "corporation", "company", "co", "group", "holdings",
                           "partners", "capital", "ventures", "industries", "enterprises", "development",
                           "developments", "brands", "systems", "labs", "media", "studios", "pharma",
                           "energy", "motors", "technologies", "gmbh", "sa", "ag", "maison", "associates",
                           "investments", "properties", "realty", "construction", "airlines", "insurance"})),
    ("charity", frozenset({"fund", "funds", "society", "association", "alliance", "coalition", "movement",
                           "center", "centre", "club", "league", "network", "project", "services", "shelter",
                           "pantry", "mission", "relief", "rescue", "union", "federation", "institute",
                           "initiative", "program", "programme", "council", "committee", "cause", "house",
                           "charities", "charity", "outreach", "sanctuary", "camp", "scouts", "ymca", "ywca",
                           "conservancy", "land", "campaign", "army", "boys", "girls", "youth", "hope"})),
    ("family", frozenset({"family", "families"})),
)
# Words too generic to identify an organisation on their own ("the foundation", "the university").
GENERIC_WORDS = frozenset().union(*(words for _, words in ORG_KINDS)) | {
    "the", "of", "and", "for", "a", "an", "at", "in", "on", "new", "national", "local", "community", "family",
    "public", "st", "saint", "north", "south", "east", "west"}
_CONNECTORS = frozenset({"de", "van", "von", "da", "bin", "al", "la", "le", "del", "della", "di", "du", "der"})
_ANONYMOUS = frozenset({"anonymous", "anonymous donor", "an anonymous donor", "unnamed donor", "unknown"})
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "at", "in", "on", "a", "an", "&"})
_PUNCTUATION = re.compile(r"[^\w\s&]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents: "Éva Łukasz" → "eva łukasz" (what two spellings of one name share)."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_words(name: str) -> list[str]:
    """The words that identify a name: folded, punctuation and possessive 's dropped, a leading "the" and titles
    ("Dr.", "Mrs") and trailing suffixes ("Jr.", "PhD") removed."""
    return list(_name_words(name))


@lru_cache(maxsize=65536)
def _name_words(name: str) -> tuple[str, ...]:
    text = re.sub(r"'s\b", "", fold(name))
    words = _SPACES.sub(" ", _PUNCTUATION.sub(" ", text)).split()
    while words and (words[0] in TITLES or words[0] == "the") and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in SUFFIXES:
        words = words[:-1]
    return tuple(words)


def normalize(name: str) -> str:
    """The form two mentions of one name share: "Dr. Miriam Sato" and "miriam sato" → "miriam sato"."""
    return " ".join(name_words(name))


def is_anonymous(name: str) -> bool:
    return fold(name).strip(" .") in _ANONYMOUS


def is_acronym(name: str) -> bool:
    """ "UCSC", "U.C.S.C.", "NFB": two to seven capital letters standing for a longer name."""
    letters = name.replace(".", "").replace("&", "").strip()
    return 2 <= len(letters) <= 7 and letters.isalpha() and letters.isupper()


def acronym(name: str) -> str | None:
    """Initials of a name's significant words: "University of California, Santa Cruz" → "UCSC"."""
    words = [w for w in re.split(r"[\s,\-–/]+", name) if w and w.casefold() not in _ACRONYM_SKIP]
    if len(words) < 2:
        return None
    return "".join(w[0] for w in words if w[0].isalnum()).upper()


def org_kind(name: str) -> str | None:
    """The kind of organisation a name's words say it is, or None when nothing in it names one."""
    words = set(name_words(name))
    if "&" in name or is_acronym(name):
        fallback = "company" if "&" in name else "organisation"
    else:
        fallback = None
    for kind, markers in ORG_KINDS:
        if words & markers:
            return kind
    if "bank" in words:
        return "charity" if words & {"food", "blood", "diaper", "clothing"} else "company"
    return fallback


def is_generic(name: str) -> bool:
    """True for names that cannot identify one organisation by themselves ("the foundation", "City Council")."""
    words = name_words(name)
    return not words or all(w in GENERIC_WORDS for w in words)


def looks_like_person(name: str) -> bool:
    """One to four capitalised words with no organisation word: "Raymond Kestrel", "Kestrel", "Amal"."""
    if org_kind(name):
        return False
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    words = [w for w in words if fold(w).strip(".") not in TITLES] or words
    return 1 <= len(words) <= 4 and all(w[0].isupper() or w in _CONNECTORS for w in words)


def looks_like_personal_name(name: str) -> bool:
    """Stricter, for names only ever given as recipients (mostly organisations): "First Last" or
    "First M. Last", with no connecting word ("Médecins de la Rue" is a charity)."""
    words = name.split()
    return looks_like_person(name) and 2 <= len(words) <= 3 and not any(w in _CONNECTORS for w in words)


def entity_kind(name: str, role: str | None = None) -> str:
    """person, or the organisation kind; a speaker or honoree is a person unless the name says otherwise."""
    kind = org_kind(name)
    if kind:
        return kind
    if role in {"speaker", "honoree"} or looks_like_person(name):
        return "person"
    return "organisation"


@lru_cache(maxsize=65536)
def person_parts(name: str) -> tuple[str, tuple[str, ...], str] | None:
    """(first, middles, last) of a full personal name, or None for a single word."""
    words = _name_words(name)
    if len(words) < 2:
        return None
    return words[0], tuple(words[1:-1]), words[-1]


def same_person_name(a: str, b: str) -> bool:
    """Full names that can be one person: equal first and last names, and middle names that do not disagree
    ("John F. Smith" = "John Smith" = "John Fitzgerald Smith"; not "John Q. Smith" = "John F. Smith")."""
    pa, pb = person_parts(a), person_parts(b)
    if pa is None or pb is None or pa[0] != pb[0] or pa[2] != pb[2]:
        return False
    if not pa[1] or not pb[1]:
        return True
    return len(pa[1]) == len(pb[1]) and all(x[0] == y[0] and (len(x) == 1 or len(y) == 1 or x == y)
                                           for x, y in zip(pa[1], pb[1]))


def slug(name: str) -> str:
    """A readable key for an entity: "Raymond Kestrel" → "raymond-kestrel"."""
    text = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")
    return text[:60].strip("-") or "entity"
