"""What a caller tells the readers about a dump, and what they tell back about pages they passed over.

`FieldMap` names the fields of a JSON Lines or CSV dump that hold giftwatch's article fields
(`--field text=body --field id=uuid`); `SkipCounts` counts crawl records that are not articles
(non-English pages, images, error pages), which are too many and too ordinary to report one by one.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from giftwatch.errors import GiftwatchError

ARTICLE_FIELDS = ("id", "text", "title", "published", "url", "source")


@dataclass(frozen=True)
class FieldMap:
    """Which record key holds each article field; a dotted key (`meta.date`) reaches into nested JSON."""

    keys: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, specs: Iterable[str] | Mapping[str, str] | None) -> "FieldMap":
        """From `FIELD=NAME` strings (or a mapping); raises GiftwatchError saying what is wrong."""
        if specs is None:
            return cls()
        if isinstance(specs, FieldMap):
            return specs
        pairs = list(specs.items()) if isinstance(specs, Mapping) else [_split(spec) for spec in specs]
        keys: dict[str, str] = {}
        for name, key in pairs:
            if name not in ARTICLE_FIELDS:
                raise GiftwatchError(f"unknown article field {name!r} in --field {name}={key}: "
                                     f"choose from {', '.join(ARTICLE_FIELDS)}")
            if not key:
                raise GiftwatchError(f"--field {name}= names no column: give it as {name}=COLUMN")
            keys[name] = key
        return cls(keys)

    def key(self, name: str) -> str:
        """The record key that holds article field `name`."""
        return self.keys.get(name, name)

    def value(self, record: Mapping[str, object], name: str) -> object:
        """The value of article field `name` in a record, or None when the record lacks it."""
        key = self.key(name)
        if key in record or "." not in key:
            return record.get(key)
        current: object = record
        for part in key.split("."):
            if not isinstance(current, Mapping) or part not in current:
                return None
            current = current[part]
        return current

    @property
    def renamed(self) -> bool:
        return any(self.key(name) != name for name in ARTICLE_FIELDS)


def _split(spec: str) -> tuple[str, str]:
    name, sep, key = spec.partition("=")
    if not sep:
        raise GiftwatchError(f"--field {spec!r} is not FIELD=NAME: write for example --field text=body")
    return name.strip(), key.strip()


@dataclass
class SkipCounts:
    """Records of a crawl passed over as not articles, counted by reason ("not English", "not HTML")."""

    reasons: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.reasons[reason] += 1

    @property
    def total(self) -> int:
        return sum(self.reasons.values())

    def summary(self) -> str:
        """"12 crawl records passed over (8 not English, 4 not HTML)", or "" when none were."""
        if not self.total:
            return ""
        parts = ", ".join(f"{count} {reason}" for reason, count in self.reasons.most_common())
        return f"{self.total} crawl record{'s' if self.total != 1 else ''} passed over ({parts})"
