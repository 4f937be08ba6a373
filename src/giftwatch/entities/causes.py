"""The cause a gift serves, for "giving per cause" in profiles: keyword rules over the gift's purpose, its
recipient's name and kind. Coarse on purpose (the categories fundraisers use), and "other" when nothing says."""
from __future__ import annotations

import re

from giftwatch.entities.names import fold

# First match wins, over the recipient's name, then its kind, then the gift's purpose.
CAUSES: tuple[tuple[str, str], ...] = (
    ("health", r"hospital|hospice|medical|health|clinic|cancer|neonatal|intensive care|patients?|nurs(?:e|ing)|"
               r"disease|mental|pediatric|paediatric|surgery|cardiac|icu\b"),
    ("education", r"universit|college|school|scholarship|student|tuition|academ|education|institute of "
                  r"technology|professorship|teaching|classroom|campus|literacy|library|libraries"),
    ("arts and culture", r"museum|theat(?:re|er)|music|orchestra|symphony|opera|ballet|arts?\b|gallery|"
                         r"cultur|heritage|concert|choir|film"),
    ("human services", r"food|hunger|pantry|shelter|homeless|housing|poverty|meals?|relief|refugee|"
                       r"boys & girls|youth|children'?s? services|families in need|club"),
    ("environment", r"land trust|conservation|environment|climate|wildlife|forest|river|watershed|park|"
                    r"ocean|preserve|habitat|nature"),
    ("religion", r"church|parish|synagogue|mosque|temple|diocese|ministr|faith|congregation"),
    ("animals", r"animal|shelter for (?:dogs|cats)|humane society|veterinar|zoo\b"),
    ("civil rights and advocacy", r"rights|justice|advocacy|march for|equality|democracy|gun control"),
)
_COMPILED = tuple((cause, re.compile(rf"\b(?:{pattern})", re.I)) for cause, pattern in CAUSES)
_KIND_CAUSE = {"hospital": "health", "university": "education", "school": "education", "library": "education",
               "museum": "arts and culture", "arts organisation": "arts and culture",
               "religious organisation": "religion"}


def classify_cause(purpose: str | None, recipient: str | None, recipient_kind: str | None = None) -> str:
    """What the recipient is says most (a theatre's gift for "student matinees" is arts); then the purpose."""
    for text in (recipient, purpose):
        if text:
            for cause, pattern in _COMPILED:
                if pattern.search(fold(text)):
                    return cause
        if text is recipient and recipient_kind in _KIND_CAUSE:
            return _KIND_CAUSE[recipient_kind]
    return "other"


_MEMORIAL = re.compile(r"\b(?:in (?:loving )?memory of|in memoriam|memorial|late|who died|passed away)\b", re.I)
_HONOR = re.compile(r"\b(?:in hono(?:u)?r of|honou?ring|in recognition of|in tribute to)\b", re.I)


def tribute_type(in_name_of: list[str], evidence: str | None) -> str | None:
    """"memorial" (in memory of someone who has died), "honor" (in honour or in the name of someone), or None
    when the gift honours nobody."""
    if not in_name_of:
        return None
    if evidence and _MEMORIAL.search(evidence):
        return "memorial"
    return "honor"
