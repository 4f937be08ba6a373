"""Typed records: Article, Gift, Quote. Their JSON form is the one in FORMAT.md."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


def _from_dict(cls, data: dict[str, Any]):
    """Build a record from a dict, ignoring keys the record does not know."""
    known = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Gift:
    """One transfer of money or property from donors to a recipient."""

    donors: list[str] = field(default_factory=list)
    donor_aliases: list[str] = field(default_factory=list)
    recipient: str | None = None
    recipient_aliases: list[str] = field(default_factory=list)
    amount: float | None = None
    amount_max: float | None = None
    currency: str | None = None
    amount_text: str | None = None
    kind: str = "donation"
    date: str | None = None
    purpose: str | None = None
    in_name_of: list[str] = field(default_factory=list)
    evidence: str = ""
    evidence_start: int | None = None
    evidence_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("amount", "amount_max"):
            value = data[key]
            if isinstance(value, float) and value.is_integer():
                data[key] = int(value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Gift":
        return _from_dict(cls, data)


@dataclass
class Quote:
    """A direct quotation and who said it."""

    text: str
    speakers: list[str] = field(default_factory=list)
    speaker_role: str | None = None
    cue: str | None = None
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Quote":
        return _from_dict(cls, data)


@dataclass
class Article:
    """A news article and, once extracted, the gifts and quotes found in it."""

    id: str
    text: str
    source: str | None = None
    published: str | None = None
    title: str | None = None
    url: str | None = None
    gifts: list[Gift] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "source": self.source,
            "published": self.published,
            "title": self.title,
            "text": self.text,
            "gifts": [g.to_dict() for g in self.gifts],
            "quotes": [q.to_dict() for q in self.quotes],
        }
        if self.url:
            data["url"] = self.url
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        article = _from_dict(cls, {k: v for k, v in data.items() if k not in ("gifts", "quotes")})
        article.gifts = [Gift.from_dict(g) for g in data.get("gifts") or []]
        article.quotes = [Quote.from_dict(q) for q in data.get("quotes") or []]
        return article
