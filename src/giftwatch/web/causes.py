"""A gift's cause (education, health, arts ...), read from its purpose and recipient name.

Purposes are free text ("to build a robotics teaching lab"), one per gift, so charting them as they are gives
one bar per gift. Grouping them into a few broad causes, by words a fundraiser would file them under, lets a
donor page show where the giving goes. A gift matching no cause is "Other".
"""
from __future__ import annotations

import re
from typing import Any

OTHER = "Other"
# First match wins, so the more specific causes come first. Words are matched at word starts.
CAUSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Health", ("hospital", "hospice", "clinic", "medical", "health", "mental", "cancer", "nurs", "pediatric",
                "patient", "disease", "medicine")),
    ("Education", ("university", "college", "school", "institute of technology", "scholarship", "fellowship",
                   "student", "academ", "education", "campus", "tuition", "library", "libraries")),
    ("Arts & culture", ("theatre", "theater", "museum", "music", "orchestra", "opera", "art", "arts", "gallery",
                        "ballet", "dance", "cultur", "heritage")),
    ("Environment & animals", ("land trust", "conservation", "environment", "climate", "wildlife", "forest",
                               "park", "animal", "shelter for", "kennel", "coastal", "marine", "nature")),
    ("Human services", ("food bank", "food", "pantry", "hunger", "homeless", "housing", "shelter", "relief",
                        "poverty", "refugee", "community", "families", "youth", "children")),
    ("Religion", ("church", "parish", "cathedral", "mosque", "synagogue", "temple", "diocese", "ministry")),
)
_PATTERNS = [(label, re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + ")", re.IGNORECASE))
             for label, words in CAUSES]


def cause_of(gift: dict[str, Any]) -> str:
    """The broad cause of a gift: its purpose decides first, then its recipient's name."""
    for text in (gift.get("purpose"), gift.get("recipient")):
        if not text:
            continue
        for label, pattern in _PATTERNS:
            if pattern.search(text):
                return label
    return OTHER


CAUSE_LABELS = tuple(label for label, _ in CAUSES) + (OTHER,)
