"""Gift-table filters and sorting, with the store's meaning (giftwatch.store.Store), applied in Python too.

The store narrows the rows in SQL; the same test is then run on each row after user corrections are laid
over it, so a corrected amount or donor is filtered on what the user sees, not on what extraction said.
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

from giftwatch.web.causes import cause_of
from giftwatch.web.corrections import GIFT_KINDS, ISO_DATE
from giftwatch.web.errors import InvalidInput

SORT_FIELDS = ("date", "amount", "donor", "recipient", "kind", "published")
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 25


@dataclass(frozen=True)
class GiftFilters:
    """Every filter optional; given ones combine with AND. Names and cause are case-insensitive substrings;
    since/until are ISO dates of any precision (a gift's date, else its article's published date)."""

    donor: str | None = None
    recipient: str | None = None
    kind: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    since: str | None = None
    until: str | None = None
    cause: str | None = None

    @classmethod
    def parse(cls, **given: Any) -> "GiftFilters":
        """From query parameters (strings; blank means not given); InvalidInput says which one is wrong."""
        values: dict[str, Any] = {}
        for key in ("donor", "recipient", "cause"):
            text = " ".join(str(given.get(key) or "").split())
            values[key] = text or None
        kind = (given.get("kind") or "").strip() or None
        if kind is not None and kind not in GIFT_KINDS:
            raise InvalidInput(f"kind must be one of {', '.join(GIFT_KINDS)}, not {kind!r}.")
        values["kind"] = kind
        for key in ("min_amount", "max_amount"):
            values[key] = _number(key, given.get(key))
        for key in ("since", "until"):
            text = (given.get(key) or "").strip() or None
            if text is not None and not ISO_DATE.fullmatch(text):
                raise InvalidInput(f"{key} must be an ISO date such as 2018, 2018-02 or 2018-02-14, not {text!r}.")
            values[key] = text
        if values["min_amount"] is not None and values["max_amount"] is not None \
                and values["min_amount"] > values["max_amount"]:
            raise InvalidInput("min_amount is larger than max_amount; swap them or leave one empty.")
        return cls(**values)

    def as_params(self) -> dict[str, Any]:
        """The filters that are set, for links that keep them (pagination, sorting, CSV)."""
        return {key: _plain(value) for key, value in asdict(self).items() if value is not None}

    def store_args(self) -> dict[str, Any]:
        """The part the store can do in SQL (it has no max_amount or cause)."""
        return {"donor": self.donor, "recipient": self.recipient, "since": self.since, "until": self.until,
                "min_amount": self.min_amount, "kind": self.kind}

    def matches(self, gift: dict[str, Any]) -> bool:
        if self.donor and not _contains([*gift.get("donors", []), *(gift.get("donor_aliases") or [])],
                                         self.donor):
            return False
        if self.recipient and not _contains([gift.get("recipient"), *(gift.get("recipient_aliases") or [])],
                                            self.recipient):
            return False
        if self.kind and (gift.get("kind") or "").casefold() != self.kind.casefold():
            return False
        amount = gift.get("amount")
        if self.min_amount is not None and (amount is None or amount < self.min_amount):
            return False
        if self.max_amount is not None and (amount is None or amount > self.max_amount):
            return False
        day = gift_day(gift)
        if self.since and (day is None or day + "~" < self.since):
            return False
        if self.until and (day is None or day > self.until + "~"):
            return False
        if self.cause and not _contains([gift.get("purpose"), cause_of(gift)], self.cause):
            return False
        return True


def gift_day(gift: dict[str, Any]) -> str | None:
    """The date a gift is filed under: its own, else its article's published date (as the store does)."""
    value = gift.get("date") or gift.get("published")
    return value[:10] if value else None


def _contains(values: list[Any], needle: str) -> bool:
    folded = needle.casefold()
    return any(isinstance(v, str) and folded in v.casefold() for v in values)


def _number(key: str, value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        raise InvalidInput(f"{key} must be a number such as 100000, not {value!r}.") from None
    if not math.isfinite(number) or number < 0:
        raise InvalidInput(f"{key} must be a number of 0 or more.")
    return number


def _plain(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def check_sort(sort: str | None, order: str | None) -> tuple[str, str]:
    sort = sort or "date"
    order = order or ("asc" if sort in ("donor", "recipient", "kind") else "desc")
    if sort not in SORT_FIELDS:
        raise InvalidInput(f"sort must be one of {', '.join(SORT_FIELDS)}, not {sort!r}.")
    if order not in ("asc", "desc"):
        raise InvalidInput("order must be asc or desc.")
    return sort, order


def check_page(page: Any, per_page: Any) -> tuple[int, int]:
    try:
        page_number = int(page) if page not in (None, "") else 1
        size = int(per_page) if per_page not in (None, "") else DEFAULT_PER_PAGE
    except (TypeError, ValueError):
        raise InvalidInput("page and per_page must be whole numbers.") from None
    if page_number < 1 or not 1 <= size <= MAX_PER_PAGE:
        raise InvalidInput(f"page must be 1 or more and per_page between 1 and {MAX_PER_PAGE}.")
    return page_number, size


def sort_gifts(gifts: list[dict[str, Any]], sort: str, order: str) -> list[dict[str, Any]]:
    """Sorted by one field; rows without a value for it always come last, ties newest then largest first."""
    def value(gift: dict[str, Any]) -> Any:
        if sort == "date":
            return gift_day(gift)
        if sort == "donor":
            return "; ".join(gift.get("donors") or []).casefold() or None
        if sort == "recipient":
            return (gift.get("recipient") or "").casefold() or None
        return gift.get(sort)

    tie_broken = sorted(gifts, key=lambda g: (gift_day(g) is None, _desc(gift_day(g)), -(g.get("amount") or 0)))
    present = [g for g in tie_broken if value(g) is not None]
    missing = [g for g in tie_broken if value(g) is None]
    present.sort(key=value, reverse=order == "desc")
    return present + missing


def _desc(day: str | None) -> tuple[int, ...]:
    """Sort key that puts later ISO dates first."""
    return tuple(-ord(ch) for ch in day or "")
