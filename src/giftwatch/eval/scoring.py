"""The FORMAT.md scoring rules ("How giftwatch eval compares").

These must give exactly the numbers of the reference scorer
(`../shared/tools/score.py`), so every detail that changes a count is kept
on purpose: the order in which names are compared, the greedy pairing order,
the fuzzy fallback when a quote is not found verbatim and the rounding.
Standard library only, like the reference.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any, Callable, TypeVar

from giftwatch.errors import GiftwatchError, GoldFormatError

# Titles dropped from names so "Dr. Maria Woltjen" is "Maria Woltjen".
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame",
                        "rev", "reverend", "lord", "lady"})
FUZZY_NAME_THRESHOLD = 90  # token-set similarity (0-100) at which two names match
AMOUNT_TOLERANCE = 0.01  # amounts within 1% of the larger one are equal
QUOTE_OVERLAP_THRESHOLD = 0.5  # word-position intersection over union for a quote match
DIGITS = 4  # scores are rounded to this many decimal places

# Curly and angled quotation marks become straight ones before quotes are located.
_STRAIGHTEN_QUOTES = str.maketrans({c: '"' for c in "“”„‟«»″"} | {c: "'" for c in "‘’‚‛′"})
_WORD = re.compile(r"\w+")

Item = TypeVar("Item")
Other = TypeVar("Other")


# --- names -------------------------------------------------------------------------------------

def name_words(name: str | None) -> list[str]:
    """Words of a name as compared: no accents, case, punctuation, leading "the" or titles.

    A name made only of titles ("Dr.") keeps them, so it still has words to compare.
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = re.sub(r"[^\w\s]", " ", plain).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return [w for w in words if w not in HONORIFICS] or words


def _similarity(a: str, b: str) -> float:
    return 100 * SequenceMatcher(None, a, b).ratio()


def token_set_similarity(words_a: Sequence[str], words_b: Sequence[str]) -> float:
    """Fuzzy similarity (0-100) of two word sets, insensitive to word order and repeats.

    The shared words, sorted, are compared with each side's full sorted word list;
    the best of the three comparisons counts (the classic "token set ratio").
    """
    set_a, set_b = set(words_a), set(words_b)
    shared = " ".join(sorted(set_a & set_b))
    side_a = f"{shared} {' '.join(sorted(set_a - set_b))}".strip()
    side_b = f"{shared} {' '.join(sorted(set_b - set_a))}".strip()
    scores = [_similarity(side_a, side_b)]
    if shared:
        scores += [_similarity(shared, side_a), _similarity(shared, side_b)]
    return max(scores)


def name_match(a: str | None, b: str | None) -> bool:
    """Whether two names refer to the same giver, recipient or speaker (FORMAT.md name rule).

    True when one name's words are all among the other's ("Clooney" and "George
    Clooney") or their token-set similarity is at least 90. The fuzzy part is not
    perfectly symmetric, so callers keep the reference's argument order.
    """
    words_a, words_b = name_words(a), name_words(b)
    if not words_a or not words_b:
        return False
    if set(words_a) <= set(words_b) or set(words_b) <= set(words_a):
        return True
    return token_set_similarity(words_a, words_b) >= FUZZY_NAME_THRESHOLD


def _any_name_match(names: Iterable[str | None], candidates: Sequence[str | None]) -> bool:
    return any(name_match(name, candidate) for name in names for candidate in candidates)


def same_names(predicted: Iterable[str | None] | None, gold: Iterable[str | None] | None) -> bool:
    """Whether two name lists agree as sets: each name on one side matches one on the other."""
    predicted = [p for p in predicted or [] if p]
    gold = [g for g in gold or [] if g]
    return (all(any(name_match(p, g) for p in predicted) for g in gold)
            and all(any(name_match(p, g) for g in gold) for p in predicted))


# --- gifts -------------------------------------------------------------------------------------

def amounts_equal(a: Any, b: Any) -> bool:
    """Equal within 1% of the larger amount, or both unknown (null)."""
    if a is None or b is None:
        return a is None and b is None
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= AMOUNT_TOLERANCE * max(abs(a), abs(b))


def _recipient_names(gift: dict) -> list[str]:
    return [gift.get("recipient") or ""] + (gift.get("recipient_aliases") or [])


def gift_match(predicted: dict, gold: dict) -> bool:
    """Same amount, a matching recipient (or alias) and one predicted donor among gold's givers."""
    gold_givers = (gold.get("donors") or []) + (gold.get("donor_aliases") or [])
    return (amounts_equal(predicted.get("amount"), gold.get("amount"))
            and _any_name_match(_recipient_names(predicted), _recipient_names(gold))
            and _any_name_match(predicted.get("donors") or [], gold_givers))


def all_donors_found(predicted: dict, gold: dict) -> bool:
    """Every gold donor is among the predicted ones, or a predicted donor is a gold donor alias.

    (The alias case credits a prediction that names the foundation a couple gave through.)
    """
    predicted_donors = predicted.get("donors") or []
    every_gold_donor = all(any(name_match(gold_donor, p) for p in predicted_donors)
                           for gold_donor in gold.get("donors") or [])
    return every_gold_donor or _any_name_match(predicted_donors, gold.get("donor_aliases") or [])


# --- quotes ------------------------------------------------------------------------------------

def _normalise_spacing_and_marks(text: str) -> str:
    return " ".join(text.translate(_STRAIGHTEN_QUOTES).split())


def quote_word_positions(article_text: str, quote_text: str | None) -> set[int]:
    """Indices of the article's words that a quote covers, so quotes compare by overlap.

    The quote is found verbatim (first occurrence) after white space and quotation
    marks are normalised; failing that, it is placed by its longest block in common
    with the article, provided that block is long enough (8 characters and a third
    of the quote). An empty set means the quote cannot be placed.
    """
    text = _normalise_spacing_and_marks(article_text)
    quote = _normalise_spacing_and_marks(quote_text or "").strip(" \"'")
    if not quote:
        return set()
    start = text.find(quote)
    if start < 0:
        block = SequenceMatcher(None, text, quote, autojunk=False).find_longest_match(
            0, len(text), 0, len(quote))
        if block.size < max(8, len(quote) // 3):
            return set()
        start = max(block.a - block.b, 0)
    end = start + len(quote)
    word_starts = (m.start() for m in _WORD.finditer(text))
    return {index for index, offset in enumerate(word_starts) if start <= offset < end}


def words_overlap(predicted: set[int], gold: set[int]) -> bool:
    """Intersection over union of word positions reaches the threshold (both placed)."""
    return bool(predicted and gold) and len(predicted & gold) / len(predicted | gold) >= QUOTE_OVERLAP_THRESHOLD


# --- pairing and counting ----------------------------------------------------------------------

def pair_greedily(predicted: Sequence[Item], gold: Sequence[Other],
                  matches: Callable[[Item, Other], bool]) -> list[tuple[Item, Other]]:
    """Pair each gold item, in order, with the first unused prediction that matches it."""
    used: set[int] = set()
    pairs = []
    for gold_item in gold:
        for index, predicted_item in enumerate(predicted):
            if index not in used and matches(predicted_item, gold_item):
                used.add(index)
                pairs.append((predicted_item, gold_item))
                break
    return pairs


def precision_recall_f1(hits: int, n_predicted: int, n_gold: int) -> tuple[float, float, float]:
    """Rounded P, R, F1. Predicting nothing when there is nothing to find is perfect."""
    precision = hits / n_predicted if n_predicted else (1.0 if not n_gold else 0.0)
    recall = hits / n_gold if n_gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, DIGITS), round(recall, DIGITS), round(f1, DIGITS)


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, DIGITS) if total else None


@dataclass
class _Tally:
    """Running counts over documents; turned into the score dict at the end."""

    docs: int = 0
    missing_docs: int = 0
    gifts_gold: int = 0
    gifts_pred: int = 0
    gifts_matched: int = 0
    gifts_dated: int = 0
    date_ok: int = 0
    kind_ok: int = 0
    currency_ok: int = 0
    in_name_of_ok: int = 0
    all_donors_ok: int = 0
    quotes_gold: int = 0
    quotes_pred: int = 0
    quotes_matched: int = 0
    speakers_ok: int = 0
    per_doc: list[dict] = field(default_factory=list)

    def add_gifts(self, predicted: list[dict], gold: list[dict]) -> int:
        pairs = pair_greedily(predicted, gold, gift_match)
        self.gifts_pred += len(predicted)
        self.gifts_gold += len(gold)
        self.gifts_matched += len(pairs)
        for pred_gift, gold_gift in pairs:
            if gold_gift.get("date"):
                self.gifts_dated += 1
                self.date_ok += (pred_gift.get("date") or "") == gold_gift["date"]
            self.kind_ok += pred_gift.get("kind") == gold_gift.get("kind")
            self.currency_ok += pred_gift.get("currency") == gold_gift.get("currency")
            self.in_name_of_ok += same_names(pred_gift.get("in_name_of"), gold_gift.get("in_name_of"))
            self.all_donors_ok += all_donors_found(pred_gift, gold_gift)
        return len(pairs)

    def add_quotes(self, article_text: str, predicted: list[dict], gold: list[dict]) -> tuple[int, int]:
        placed_pred = [(q, quote_word_positions(article_text, q.get("text"))) for q in predicted]
        placed_gold = [(q, quote_word_positions(article_text, q.get("text"))) for q in gold]
        pairs = pair_greedily(placed_pred, placed_gold, lambda p, g: words_overlap(p[1], g[1]))
        speakers_ok = sum(same_names(p.get("speakers"), g.get("speakers")) for (p, _), (g, _) in pairs)
        self.quotes_pred += len(predicted)
        self.quotes_gold += len(gold)
        self.quotes_matched += len(pairs)
        self.speakers_ok += speakers_ok
        return len(pairs), speakers_ok

    def add_document(self, gold: dict, predicted: dict | None) -> None:
        self.docs += 1
        if predicted is None:
            self.missing_docs += 1
            predicted = {}
        pred_gifts, gold_gifts = predicted.get("gifts") or [], gold.get("gifts") or []
        pred_quotes, gold_quotes = predicted.get("quotes") or [], gold.get("quotes") or []
        gifts_matched = self.add_gifts(pred_gifts, gold_gifts)
        quotes_matched, speakers_ok = self.add_quotes(gold["text"], pred_quotes, gold_quotes)
        self.per_doc.append({
            "id": gold["id"],
            "gifts": f"{gifts_matched}/{len(gold_gifts)} (pred {len(pred_gifts)})",
            "quotes": f"{quotes_matched}/{len(gold_quotes)} (pred {len(pred_quotes)})",
            "speakers_ok": speakers_ok,
        })

    def scores(self) -> dict[str, Any]:
        gift_p, gift_r, gift_f1 = precision_recall_f1(self.gifts_matched, self.gifts_pred, self.gifts_gold)
        quote_p, quote_r, quote_f1 = precision_recall_f1(self.quotes_matched, self.quotes_pred, self.quotes_gold)
        attr_p, attr_r, attr_f1 = precision_recall_f1(self.speakers_ok, self.quotes_pred, self.quotes_gold)
        return {
            "docs": self.docs, "missing_docs": self.missing_docs,
            "gift_p": gift_p, "gift_r": gift_r, "gift_f1": gift_f1,
            "gifts_gold": self.gifts_gold, "gifts_pred": self.gifts_pred,
            "gift_date_acc": _share(self.date_ok, self.gifts_dated),
            "gift_kind_acc": _share(self.kind_ok, self.gifts_matched),
            "gift_currency_acc": _share(self.currency_ok, self.gifts_matched),
            "gift_in_name_of_acc": _share(self.in_name_of_ok, self.gifts_matched),
            "gift_all_donors_acc": _share(self.all_donors_ok, self.gifts_matched),
            "quote_p": quote_p, "quote_r": quote_r, "quote_f1": quote_f1,
            "quotes_gold": self.quotes_gold, "quotes_pred": self.quotes_pred,
            "speaker_acc": _share(self.speakers_ok, self.quotes_matched),
            "attribution_p": attr_p, "attribution_r": attr_r, "attribution_f1": attr_f1,
            "per_doc": list(self.per_doc),
        }


# --- public entry points -----------------------------------------------------------------------

def pair_documents(gold: Iterable[dict], predicted: Iterable[dict]) -> list[tuple[dict, dict | None]]:
    """Each gold record with the prediction of the same id (the last one if repeated), or None."""
    predicted_by_id: dict[Any, dict] = {}
    for number, record in enumerate(predicted, start=1):
        if not isinstance(record, dict) or "id" not in record:
            raise GiftwatchError(
                f"prediction record {number} has no 'id': each predicted record must be a FORMAT.md "
                "article dict carrying the id of the gold article it was made from")
        predicted_by_id[record["id"]] = record
    pairs = []
    for number, record in enumerate(gold, start=1):
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
            raise GoldFormatError(
                f"gold record {number} lacks an 'id' or a 'text' string: give every gold article both "
                "(see FORMAT.md)")
        pairs.append((record, predicted_by_id.get(record["id"])))
    return pairs


def score_pairs(pairs: Iterable[tuple[dict, dict | None]]) -> dict[str, Any]:
    """Scores over (gold, prediction-or-None) document pairs; lets several files be pooled."""
    tally = _Tally()
    for gold, predicted in pairs:
        tally.add_document(gold, predicted)
    return tally.scores()


def score(gold: list[dict], pred: list[dict]) -> dict[str, Any]:
    """Score predicted records against gold ones; same keys and values as the reference scorer.

    Predictions are joined to gold by `id`; a gold article without a prediction
    counts as predicting nothing, and predictions for unknown ids are ignored.
    """
    return score_pairs(pair_documents(gold, pred))
