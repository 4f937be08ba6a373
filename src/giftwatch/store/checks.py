"""Checks and small conversions shared by the store backends: what may be stored, and how values read back."""
from __future__ import annotations

import hashlib
import re
from dataclasses import fields, is_dataclass, replace
from typing import Any

from giftwatch.errors import StoreError
from giftwatch.records import Article

_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def number(value: Any) -> Any:
    """Whole floats as ints, the way records.Gift.to_dict writes amounts."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def check_date(name: str, value: str | None) -> None:
    if value is not None and not (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        raise StoreError(f"{name} must be an ISO date such as 2018, 2018-02 or 2018-02-14, not {value!r}.")


def check_limit(limit: int | None) -> int | None:
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise StoreError(f"limit must be a whole number of rows, 0 or more, not {limit!r}.")
    return limit


def check_article(article: Article) -> None:
    """Refuse records that could not be stored faithfully, before anything of the article is written."""
    if not isinstance(article.id, str) or not article.id:
        raise StoreError(f"Every article needs a non-empty string id, not {article.id!r}.")

    def fail(what: str) -> None:
        raise StoreError(f"Article {article.id!r}: {what}. Fix the record and store it again.")

    if not isinstance(article.text, str):
        fail("text must be a string")
    for label, items in (("gift", article.gifts), ("quote", article.quotes)):
        if not isinstance(items, list):
            fail(f"{label}s must be a list")
    for n, gift in enumerate(article.gifts, 1):
        for key in ("amount", "amount_max"):
            value = getattr(gift, key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
                fail(f"gift {n}: {key} must be a number or null, not {value!r}")
        for key in ("donors", "donor_aliases", "recipient_aliases", "in_name_of"):
            names = getattr(gift, key)
            if names is not None and not (isinstance(names, list) and all(isinstance(x, str) for x in names)):
                fail(f"gift {n}: {key} must be a list of names")
    for n, quote in enumerate(article.quotes, 1):
        if not isinstance(quote.text, str):
            fail(f"quote {n}: text must be a string")
        if quote.speakers is not None and not (
                isinstance(quote.speakers, list) and all(isinstance(x, str) for x in quote.speakers)):
            fail(f"quote {n}: speakers must be a list of names")


def without_nul(value: Any) -> Any:
    """The value with each NUL character (which PostgreSQL text cannot hold) made U+FFFD, one character for
    one so stored offsets stay right; strings, lists, tuples, dicts and records are looked into."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd") if "\x00" in value else value
    if isinstance(value, (list, tuple)):
        return type(value)(without_nul(v) for v in value)
    if isinstance(value, dict):
        return {k: without_nul(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: without_nul(getattr(value, f.name)) for f in fields(value)})
    return value
