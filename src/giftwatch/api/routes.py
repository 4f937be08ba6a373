"""The JSON REST API under /api. Same data and the same query functions as the pages (giftwatch.web.queries).

A gift or quote is named by its article and its position there (/api/articles/{id}/gifts/{position}); those
stay stable when the article is ingested again. Reading is open on localhost; writing needs
`Authorization: Bearer <token>` (from `giftwatch token create`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from giftwatch.api import models
from giftwatch.errors import GiftwatchError
from giftwatch.records import Article
from giftwatch.web import security
from giftwatch.web.adding import extract
from giftwatch.web.errors import InvalidInput, Unauthorized
from giftwatch.web.export import gifts_csv
from giftwatch.web.filters import MAX_PER_PAGE, GiftFilters, check_sort
from giftwatch.web.queries import WebQueries

_ERRORS = {status: {"model": models.ErrorResponse, "description": description} for status, description in (
    (400, "Bad request"), (401, "No valid token"), (403, "Forbidden"), (404, "Not found"),
    (413, "Request body too large"), (422, "Invalid input"), (503, "Database or model unavailable"))}
router = APIRouter(prefix="/api", tags=["giftwatch"], responses=_ERRORS)

PageNumber = Query(1, ge=1)
PerPage = Query(25, ge=1, le=MAX_PER_PAGE)


@contextmanager
def _session(request: Request, *, write: bool = False) -> Iterator[tuple[WebQueries, int | None]]:
    """The queries for one request, and the writer's token id (write=True requires one)."""
    with WebQueries(request.app.state.settings.db) as q:
        if write:
            yield q, security.require_writer(request, q.conn)
            return
        token_id = None
        if request.app.state.settings.read_requires_token:
            token_id = security.token_id(request, q.conn)
            if token_id is None:
                raise Unauthorized("This server is shared beyond this computer, so reading needs a token too: "
                                   "send `Authorization: Bearer <token>` (from `giftwatch token create`).")
        yield q, token_id


def _page(items: list[Any], page: int, per_page: int) -> dict[str, Any]:
    start = (page - 1) * per_page
    return {"items": items[start:start + per_page], "total": len(items), "page": page, "per_page": per_page,
            "pages": max(1, -(-len(items) // per_page))}


@router.get("/stats", response_model=models.Stats, summary="How many articles, gifts, quotes and corrections")
def stats(request: Request) -> Any:
    with _session(request) as (q, _):
        return q.stats()


@router.get("/search", response_model=models.SearchResults,
            summary="Donors, recipients, quotes (text or speaker) and articles containing q")
def search(request: Request, q: str = Query(..., min_length=2, max_length=200)) -> Any:
    with _session(request) as (queries, _):
        found = queries.search(q)
    hits = []
    for hit in found["articles"]["items"]:
        text, matches = "", []
        for segment in hit["snippet"]:
            if segment.marked:
                matches.append((len(text), len(text) + len(segment.text)))
            text += segment.text
        hits.append({**hit, "snippet": text, "matches": matches})
    return {**found, "articles": {**found["articles"], "items": hits}}


def _gift_filters(donor: str | None, recipient: str | None, kind: models.Kind | None, min_amount: float | None,
                  max_amount: float | None, since: str | None, until: str | None, cause: str | None) -> GiftFilters:
    return GiftFilters.parse(donor=donor, recipient=recipient, kind=kind, min_amount=min_amount,
                             max_amount=max_amount, since=since, until=until, cause=cause)


SortField = Literal["date", "amount", "donor", "recipient", "kind", "published"]


@router.get("/gifts", response_model=models.GiftPage, summary="Gifts, filtered, sorted and paginated")
def gifts(request: Request, donor: str | None = None, recipient: str | None = None, kind: models.Kind | None = None,
          min_amount: float | None = Query(None, ge=0), max_amount: float | None = Query(None, ge=0),
          since: str | None = Query(None, description="ISO date: 2018, 2018-02 or 2018-02-14"),
          until: str | None = None, cause: str | None = Query(None, description="Purpose or cause contains this"),
          sort: SortField = "date", order: Literal["asc", "desc"] | None = None,
          page: int = PageNumber, per_page: int = PerPage) -> Any:
    filters = _gift_filters(donor, recipient, kind, min_amount, max_amount, since, until, cause)
    sort, order = check_sort(sort, order)
    with _session(request) as (q, _):
        return q.gift_page(filters, sort=sort, order=order, page=page, per_page=per_page)


@router.get("/gifts.csv", summary="The same gifts as CSV (every matching row)",
            responses={200: {"content": {"text/csv": {}}, "description": "CSV with a header row"}})
def gifts_as_csv(request: Request, donor: str | None = None, recipient: str | None = None,
                 kind: models.Kind | None = None, min_amount: float | None = Query(None, ge=0),
                 max_amount: float | None = Query(None, ge=0), since: str | None = None, until: str | None = None,
                 cause: str | None = None, sort: SortField = "date",
                 order: Literal["asc", "desc"] | None = None) -> Response:
    filters = _gift_filters(donor, recipient, kind, min_amount, max_amount, since, until, cause)
    sort, order = check_sort(sort, order)
    with _session(request) as (q, _):
        body = gifts_csv(q.gifts(filters, sort=sort, order=order))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="giftwatch-gifts.csv"'})


@router.get("/quotes", response_model=models.QuotePage, summary="Quotes by speaker and text")
def quotes(request: Request, speaker: str | None = None, text: str | None = None, page: int = PageNumber,
           per_page: int = PerPage) -> Any:
    with _session(request) as (q, _):
        return _page(q.quotes(speaker=speaker, text=text), page, per_page)


@router.get("/donors", response_model=models.NamePage, summary="Donors with totals, biggest USD total first")
def donors(request: Request, q: str | None = Query(None, description="Name contains this"),
           page: int = PageNumber, per_page: int = PerPage) -> Any:
    with _session(request) as (queries, _):
        return _page(queries.donors(q), page, per_page)


@router.get("/donors/{name:path}", response_model=models.Profile, summary="One donor: totals, gifts, quotes")
def donor(request: Request, name: str) -> Any:
    with _session(request) as (q, _):
        return q.profile("donor", name)


@router.get("/recipients", response_model=models.NamePage, summary="Recipients with totals received")
def recipients(request: Request, q: str | None = None, page: int = PageNumber, per_page: int = PerPage) -> Any:
    with _session(request) as (queries, _):
        return _page(queries.recipients(q), page, per_page)


@router.get("/recipients/{name:path}", response_model=models.Profile, summary="One recipient")
def recipient(request: Request, name: str) -> Any:
    with _session(request) as (q, _):
        return q.profile("recipient", name)


@router.get("/articles", response_model=models.ArticlePage, summary="Stored articles, newest first")
def articles(request: Request, page: int = PageNumber, per_page: int = PerPage) -> Any:
    with _session(request) as (q, _):
        return _page(q.articles(), page, per_page)


@router.get("/articles/{article_id:path}/gifts/{position}", response_model=models.Gift, summary="One gift")
def gift(request: Request, article_id: str, position: int) -> Any:
    with _session(request) as (q, _):
        return q.gift(article_id, position)


@router.patch("/articles/{article_id:path}/gifts/{position}", response_model=models.Gift,
              summary="Correct a gift (kept as a user edit that re-extraction does not overwrite)")
def correct_gift(request: Request, article_id: str, position: int, body: models.GiftCorrection) -> Any:
    with _session(request, write=True) as (q, token_id):
        return q.correct_gift(article_id, position, body.model_dump(exclude_unset=True), token_id)


@router.get("/articles/{article_id:path}/quotes/{position}", response_model=models.Quote, summary="One quote")
def quote(request: Request, article_id: str, position: int) -> Any:
    with _session(request) as (q, _):
        return q.quote(article_id, position)


@router.patch("/articles/{article_id:path}/quotes/{position}", response_model=models.Quote,
              summary="Correct a quote's speakers or role")
def correct_quote(request: Request, article_id: str, position: int, body: models.QuoteCorrection) -> Any:
    with _session(request, write=True) as (q, token_id):
        return q.correct_quote(article_id, position, body.model_dump(exclude_unset=True), token_id)


@router.get("/articles/{article_id:path}", response_model=models.ArticleDetail,
            summary="An article's text with its gifts and quotes and where each was found")
def article(request: Request, article_id: str) -> Any:
    with _session(request) as (q, _):
        return q.article(article_id)


def _articles(body: models.ArticlesInput) -> list[Article]:
    from giftwatch.readers.text import normalize_published, normalize_text, stable_id

    found = []
    for n, item in enumerate(body.articles, 1):
        text = normalize_text(item.text)
        if not text:
            raise InvalidInput(f"Article {n} has no text; send the article's body as `text`.")
        try:
            published = normalize_published(item.published)
        except GiftwatchError as exc:
            raise InvalidInput(f"Article {n}: {exc}") from None
        found.append(Article(id=item.id or stable_id(item.title or "api", text), text=text, title=item.title,
                             published=published, source=item.source, url=item.url))
    return found


@router.post("/extract", response_model=models.ExtractResult,
             summary="Extract gifts and quotes from articles without storing them (to review first)")
def extract_only(request: Request, body: models.ArticlesInput) -> Any:
    with _session(request, write=True):
        return {"articles": [a.to_dict() for a in extract(_articles(body))], "stored": None}


@router.post("/articles", response_model=models.ExtractResult, status_code=201,
             summary="Extract gifts and quotes from articles and store them")
def add_articles(request: Request, body: models.ArticlesInput) -> Any:
    with _session(request, write=True) as (q, _):
        extracted = extract(_articles(body))
        stored = q.store.add_articles(extracted)
        return {"articles": [a.to_dict() for a in extracted], "stored": stored}


@router.get("/corrections", response_model=models.Corrections, summary="Every correction and name merge")
def corrections(request: Request) -> Any:
    with _session(request) as (q, _):
        return q.corrections()


@router.delete("/corrections/{edit_id}", status_code=204, summary="Undo one correction")
def undo_correction(request: Request, edit_id: int) -> Response:
    with _session(request, write=True) as (q, _):
        q.undo_edit(edit_id)
    return Response(status_code=204)


@router.post("/merges", response_model=models.MergeResult, status_code=201,
             summary="Merge two names: show `name` as `into` for donors, recipients and speakers")
def merge(request: Request, body: models.MergeRequest) -> Any:
    with _session(request, write=True) as (q, token_id):
        return q.merge_names(body.name, body.into, token_id)


@router.delete("/merges/{name:path}", status_code=204, summary="Undo a merge")
def undo_merge(request: Request, name: str) -> Response:
    with _session(request, write=True) as (q, _):
        q.undo_merge(name)
    return Response(status_code=204)
