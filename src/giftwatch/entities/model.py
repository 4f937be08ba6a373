"""Typed records for entities: one real person or organisation, however many articles and spellings name it."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

# The kinds an entity can have. Organisation kinds come from words in their names (entities/names.py).
PERSON_KINDS = ("person", "couple member")


@dataclass
class Relation:
    """A relation an article states: subject predicate object ("Noor Khalidi" executive_director_of
    "Westfield Community Food Bank"), with the article and sentence that state it."""

    subject: str          # entity key
    subject_name: str
    predicate: str        # spouse_of, executive_director_of, founder_of, gave_through, president_of, ...
    object: str           # entity key
    object_name: str
    article_id: str
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Relation":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass
class Entity:
    """A person or organisation: a stable key ("raymond-kestrel"), the canonical name, the other names articles
    use for it, its kind, the articles that name it and the relations they state."""

    key: str
    name: str
    kind: str
    aliases: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)

    @property
    def is_person(self) -> bool:
        return self.kind in PERSON_KINDS

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["relations"] = [r.to_dict() for r in self.relations]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Entity":
        known = {f.name for f in fields(cls)} - {"relations"}
        entity = cls(**{k: v for k, v in data.items() if k in known})
        entity.relations = [Relation.from_dict(r) for r in data.get("relations") or []]
        return entity
