"""User corrections, applied on read so that re-extraction never overwrites them.

A correction is kept apart from the extracted rows (table `user_edits`, one row per changed field) and laid
over the record each time it is read. A record is found again by its identity: the article id, its position
in the article's list and its anchor (a gift's evidence, a quote's text). When a re-extraction moves the
record, the anchor finds it at its new position; when it no longer exists, the correction waits unapplied.
Merging two names (`user_merges`) maps one spelling onto another wherever donors, recipients and speakers
are shown, grouped or filtered.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from giftwatch.web.errors import InvalidInput

GIFT_KINDS = ("donation", "pledge", "bequest", "grant", "matching", "in-kind")
ISO_DATE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
CURRENCY = re.compile(r"[A-Z]{3}")
MAX_NAME = 200
MAX_TEXT = 500
MAX_NAMES = 20

# field -> what a user may set it to; every other field of a record stays as extracted.
GIFT_FIELDS = ("donors", "recipient", "amount", "amount_max", "currency", "kind", "date", "purpose")
QUOTE_FIELDS = ("speakers", "speaker_role")


def _names(field: str, value: Any) -> list[str]:
    if isinstance(value, str):  # the pages send "A; B"
        value = [part for part in value.split(";")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput(f"{field} must be a list of names (in a form: names separated by ';').")
    names = list(dict.fromkeys(" ".join(v.split()) for v in value if v.strip()))
    if len(names) > MAX_NAMES or any(len(n) > MAX_NAME for n in names):
        raise InvalidInput(f"{field}: give at most {MAX_NAMES} names of at most {MAX_NAME} characters each.")
    return names


def _text(field: str, value: Any, limit: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text or null.")
    value = " ".join(value.split())
    if len(value) > limit:
        raise InvalidInput(f"{field} is too long: at most {limit} characters.")
    return value or None


def _amount(field: str, value: Any) -> float | int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str):
        try:
            value = float(value.replace(",", "").replace("_", "").strip())
        except ValueError:
            raise InvalidInput(f"{field} must be a number such as 1500000 (no currency sign), not {value!r}.") \
                from None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise InvalidInput(f"{field} must be a number of 0 or more, or empty for an unstated amount.")
    return int(value) if float(value).is_integer() else value


def check_gift_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes, cleaned; InvalidInput (saying what to send) for unknown fields or bad values."""
    unknown = set(changes) - set(GIFT_FIELDS)
    if unknown:
        raise InvalidInput(f"Cannot correct {', '.join(sorted(unknown))} of a gift; "
                           f"correctable fields are {', '.join(GIFT_FIELDS)}.")
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "donors":
            clean[field] = _names(field, value)
        elif field in ("amount", "amount_max"):
            clean[field] = _amount(field, value)
        elif field == "currency":
            text = _text(field, value, MAX_NAME)
            if text is not None and not CURRENCY.fullmatch(text.upper()):
                raise InvalidInput("currency must be an ISO 4217 code such as USD, GBP or EUR.")
            clean[field] = text.upper() if text else None
        elif field == "kind":
            if value not in GIFT_KINDS:
                raise InvalidInput(f"kind must be one of {', '.join(GIFT_KINDS)}.")
            clean[field] = value
        elif field == "date":
            text = _text(field, value, 10)
            if text is not None and not ISO_DATE.fullmatch(text):
                raise InvalidInput("date must be an ISO date such as 2018, 2018-02 or 2018-02-14, or empty.")
            clean[field] = text
        else:
            clean[field] = _text(field, value, MAX_NAME if field == "recipient" else MAX_TEXT)
    return clean


def check_quote_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(QUOTE_FIELDS)
    if unknown:
        raise InvalidInput(f"Cannot correct {', '.join(sorted(unknown))} of a quote; "
                           f"correctable fields are {', '.join(QUOTE_FIELDS)}.")
    return {field: _names(field, value) if field == "speakers" else _text(field, value, MAX_NAME)
            for field, value in changes.items()}


def check_merge(name: Any, into: Any) -> tuple[str, str]:
    names = [_text(label, value, MAX_NAME) for label, value in (("name", name), ("into", into))]
    if not all(names):
        raise InvalidInput("Give both names: the one to merge away and the one to keep.")
    if names[0].casefold() == names[1].casefold():
        raise InvalidInput("The two names are the same; choose two different names to merge.")
    return names[0], names[1]


class Merges:
    """Which spelling stands for which: merged-away name (case-insensitive) -> the name kept."""

    def __init__(self, pairs: Iterable[tuple[str, str]] = ()):
        self._into = {name.casefold(): into for name, into in pairs}

    def __bool__(self) -> bool:
        return bool(self._into)

    def canonical(self, name: str) -> str:
        """Follow merges to the name finally kept (a cycle stops where it would repeat)."""
        seen = {name.casefold()}
        while name.casefold() in self._into:
            name = self._into[name.casefold()]
            if name.casefold() in seen:
                break
            seen.add(name.casefold())
        return name

    def canonical_list(self, names: Iterable[str]) -> list[str]:
        merged: dict[str, str] = {}
        for name in names:
            kept = self.canonical(name)
            merged.setdefault(kept.casefold(), kept)
        return list(merged.values())

    def aliases_of(self, predicate) -> list[str]:
        """Merged-away names whose kept name satisfies `predicate`: they must be searched for too."""
        return [name for name in self._into if predicate(self.canonical(name))]

    def would_cycle(self, name: str, into: str) -> bool:
        return self.canonical(into).casefold() == name.casefold()


def apply_edits(record: dict[str, Any], edits: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The record with each edit's value laid over it (oldest first, so the newest wins). `edited` maps each
    changed field to what extraction said and the edit's id, so pages can show and undo it."""
    result = dict(record)
    edited: dict[str, dict[str, Any]] = {}
    for edit in sorted(edits, key=lambda e: e["id"]) if edits else ():
        field = edit["field"]
        edited.setdefault(field, {"extracted": record.get(field)})
        edited[field]["edit_id"] = edit["id"]
        result[field] = edit["value"]
    result["edited"] = edited
    return result


def apply_merges(record: dict[str, Any], merges: Merges, fields: Iterable[str]) -> dict[str, Any]:
    if not merges:
        return record
    result = dict(record)
    for field in fields:
        value = result.get(field)
        if isinstance(value, list):
            result[field] = merges.canonical_list(value)
        elif isinstance(value, str):
            result[field] = merges.canonical(value)
    return result


def locate(edit_position: int, anchor: str, records: list[tuple[int, str]]) -> int | None:
    """Where an edited record is now: the same position if its anchor still matches, else the record with the
    same anchor nearest to the old position, else None (the record is gone; the edit waits)."""
    for position, current in records:
        if position == edit_position and current == anchor:
            return position
    same = [position for position, current in records if current == anchor]
    return min(same, key=lambda p: abs(p - edit_position)) if same else None
