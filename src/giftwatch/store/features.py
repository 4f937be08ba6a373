"""The store's entity-level API (entities, deduplicated gifts, profiles, search, export, merge/split), the same
on every backend. Each reader first brings the derived tables up to date (store/derived.py)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from giftwatch.entities import Entity


class StoreFeatures:
    def refresh(self, force: bool = False) -> bool:
        """Rebuild entities, deduplicated gifts, quote links and the search index if articles or decisions
        changed since the last build. Returns whether it rebuilt."""
        from giftwatch.store.derived import refresh

        return refresh(self, force)

    def entities(self, *, name: str | None = None, kind: str | None = None,
                 limit: int | None = None) -> list[dict[str, Any]]:
        """Entities, most-mentioned first. Keys: key, name, kind, aliases, articles, gifts_given, gifts_received,
        quotes."""
        from giftwatch.store.catalog import entities

        return entities(self, name=name, kind=kind, limit=limit)

    def entity(self, ref: str) -> Entity:
        """The Entity a key or name means (StoreError listing the candidates when it is ambiguous)."""
        from giftwatch.store.catalog import entity

        return entity(self, ref)

    def find_entities(self, ref: str) -> list[dict[str, Any]]:
        from giftwatch.store.catalog import find_entities

        return find_entities(self, ref)

    def gift_groups(self, *, entity: str | None = None, role: str = "donor") -> list[dict[str, Any]]:
        """Deduplicated gifts, newest first, each with all its sources. `entity` (a key) with `role` "donor" or
        "recipient" keeps one entity's gifts."""
        from giftwatch.store.catalog import gift_groups

        return gift_groups(self, entity_key=entity, role=role)

    def donor_profile(self, name: str) -> dict[str, Any]:
        """What a person or organisation gave: totals, per year, per cause, recipients, gifts with their sources,
        and statements (see store/profiles.py)."""
        from giftwatch.store.profiles import profile

        return profile(self, name, "donor")

    def recipient_profile(self, name: str) -> dict[str, Any]:
        from giftwatch.store.profiles import profile

        return profile(self, name, "recipient")

    def search(self, query: str, *, kind: str | None = None, limit: int | None = 20) -> list[dict[str, Any]]:
        """Full-text search over quotes and gift evidence, best first."""
        from giftwatch.store.search import search

        return search(self, query, kind=kind, limit=limit)

    def export(self, fmt: str, path: str | Path, *, table: str = "gifts") -> int:
        """Write csv, jsonl, parquet or crm-csv; returns the rows written (docs/export.md)."""
        from giftwatch.store.export import export

        return export(self, fmt, path, table=table)

    def merge_entities(self, first: str, second: str) -> Entity:
        """Make two entities one; the decision is stored and survives re-ingest."""
        from giftwatch.store.catalog import merge_entities

        return merge_entities(self, first, second)

    def split_entity(self, ref: str, *, articles: list[str] = (), names: list[str] = ()) -> tuple[Entity, Entity]:
        """Move an entity's mentions in `articles` or written as `names` into an entity of their own, for good.
        Returns (what stayed, what was split off)."""
        from giftwatch.store.catalog import split_entity

        return split_entity(self, ref, articles=list(articles), names=list(names))

    def decisions(self) -> list[dict[str, Any]]:
        """Manual merge and split decisions, oldest first."""
        from giftwatch.store.catalog import decisions

        return decisions(self)
