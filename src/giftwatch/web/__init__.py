"""The local web application (`giftwatch serve`): HTML pages and the REST API over one database.

    from giftwatch.web import create_app
    app = create_app("giftwatch.db")     # an ASGI app; `giftwatch serve` runs it with uvicorn
"""
from __future__ import annotations

from typing import Any


def create_app(db: str | None = None, **options: Any):
    """See giftwatch.web.app.create_app (imported lazily: the CLI should not load FastAPI to print --help)."""
    from giftwatch.web.app import create_app as build

    return build(db, **options)


__all__ = ["create_app"]
