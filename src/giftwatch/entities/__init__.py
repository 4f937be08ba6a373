"""Entities: one record per real person or organisation, and one per real gift, across all stored articles.

`build_index(articles, decisions)` is pure (no database): the store runs it after articles or manual decisions
change and keeps its result. The evidence each join needs is documented in resolve.py (people and
organisations) and dedupe.py (gifts).
"""
from giftwatch.entities.finalize import EntityIndex, GiftGroup
from giftwatch.entities.index import build_index
from giftwatch.entities.model import Entity, Relation
from giftwatch.entities.resolve import Decision

__all__ = ["Decision", "Entity", "EntityIndex", "GiftGroup", "Relation", "build_index"]
