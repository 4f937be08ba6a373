"""Is a page English? A stopword-ratio test: fast, offline, and enough for "skip what is not English".

English prose is about a third function words ("the", "of", "and", "said"); French, German, Spanish,
Dutch, Italian, Portuguese, Danish and Swedish languages have their own, and other scripts have no
Latin letters to speak of. Words shared between languages ("a", "in", "die", "also") are left out of
both lists so they count for neither.
"""
from __future__ import annotations

import re

_ENGLISH = frozenset("""
the of and to is that for it was with as by at he she his her be are this from or an have has had not
but they we you i their which will were been said who its would all about also can after than up out
one new when there what our into over more other some such these those them him only could should
most may just like how then because while before through where between both being each any very
""".split()) - {"also"}
_OTHER = frozenset("""
le la les des du une est et dans pour qui sur pas avec ce cette sont au aux par plus ou nous vous
der die das und ist nicht mit von den dem zu ein eine auf sich des ist für wir sie auch oder wird
el los las que del por una con para como pero sus más sobre este esta está son ser fue hay muy
het een van dat niet met zijn voor op ook maar aan bij wordt naar
il di che non per una sono della alla delle gli nel anche questo come più
os não uma com para mais pelo pela seu sua são foi também ao da em
och att det som är på för av med till den inte har ett jag
og er af til ikke fra kan hvor eller blev
""".split()) - _ENGLISH
_WORD = re.compile(r"[^\W\d_]+")
MIN_WORDS = 20   # below this a page says too little to judge; it is kept
_MAX_CHARS = 20_000   # the opening of a long page is enough to judge it


def is_english(text: str) -> bool:
    """True for English text (and for text too short to tell); False for other languages and scripts."""
    sample = text[:_MAX_CHARS]
    words = _WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return True
    letters = sum(len(w) for w in words)
    latin = sum(1 for w in words for ch in w if "a" <= ch <= "z")
    if latin < 0.6 * letters:   # Cyrillic, Greek, Arabic, CJK, ...
        return False
    english = sum(1 for w in words if w in _ENGLISH) / len(words)
    other = sum(1 for w in words if w in _OTHER) / len(words)
    return english >= 0.06 and english >= other
