"""The reading pages: home, search, gifts table (and its CSV), donors, recipients, quotes, articles.

Every page takes its filters as plain query strings, so a filtered, sorted page is a link that can be shared
or bookmarked, and works without JavaScript. Handlers are plain functions (run in a worker thread) that open
the database for the request and close it when the page is rendered.
"""
from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from giftwatch.web.errors import InvalidInput, WebError
from giftwatch.web.export import gifts_csv
from giftwatch.web.filters import GiftFilters, check_page, check_sort
from giftwatch.web.render import PageSession

router = APIRouter(include_in_schema=False)
HOME_ROWS = 8


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    with PageSession(request) as s:
        gifts = s.q.gifts()
        return s.render("home.html", stats=s.q.stats(), gifts=gifts[:HOME_ROWS],
                        donors=s.q.donors()[:HOME_ROWS], recipients=s.q.recipients()[:HOME_ROWS])


@router.get("/favicon.ico")
def favicon() -> Response:
    """Browsers ask for it whatever the page links; answer with the icon rather than a logged 404."""
    icon = resources.files("giftwatch.web").joinpath("static", "icon.svg").read_bytes()
    return Response(icon, media_type="image/svg+xml", headers={"cache-control": "max-age=86400"})


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, q: str = "") -> Response:
    with PageSession(request) as s:
        if not q.strip():
            return s.render("search.html", q="", results=None, error=None)
        try:
            return s.render("search.html", q=q, results=s.q.search(q), error=None)
        except InvalidInput as exc:
            return s.render("search.html", q=q, results=None, error=exc.message, status=exc.status)


def _gift_query(request: Request) -> tuple[GiftFilters, str, str, int, int]:
    params = request.query_params
    filters = GiftFilters.parse(**{key: params.get(key) for key in (
        "donor", "recipient", "kind", "min_amount", "max_amount", "since", "until", "cause")})
    sort, order = check_sort(params.get("sort") or None, params.get("order") or None)
    page, per_page = check_page(params.get("page"), params.get("per_page"))
    return filters, sort, order, page, per_page


@router.get("/gifts", response_class=HTMLResponse)
def gifts(request: Request) -> Response:
    with PageSession(request) as s:
        form = {key: request.query_params.get(key, "") for key in (
            "donor", "recipient", "kind", "min_amount", "max_amount", "since", "until", "cause")}
        try:
            filters, sort, order, page, per_page = _gift_query(request)
        except InvalidInput as exc:
            return s.render("gifts.html", form=form, result=None, error=exc.message, status=exc.status)
        result = s.q.gift_page(filters, sort=sort, order=order, page=page, per_page=per_page)
        return s.render("gifts.html", form=form, result=result, error=None)


@router.get("/gifts.csv")
def gifts_download(request: Request) -> Response:
    with PageSession(request) as s:
        filters, sort, order, _, _ = _gift_query(request)
        body = gifts_csv(s.q.gifts(filters, sort=sort, order=order))
    return Response(body, media_type="text/csv; charset=utf-8",
                    headers={"content-disposition": 'attachment; filename="giftwatch-gifts.csv"'})


@router.get("/donors", response_class=HTMLResponse)
def donors(request: Request, q: str = "") -> Response:
    with PageSession(request) as s:
        return s.render("names.html", role="donor", rows=s.q.donors(q.strip() or None), filter=q)


@router.get("/recipients", response_class=HTMLResponse)
def recipients(request: Request, q: str = "") -> Response:
    with PageSession(request) as s:
        return s.render("names.html", role="recipient", rows=s.q.recipients(q.strip() or None), filter=q)


def _profile(request: Request, role: str, name: str) -> Response:
    with PageSession(request) as s:
        found = s.q.profile(role, name)
        names = [r["name"] for r in (s.q.donors() if role == "donor" else s.q.recipients())]
        return s.render("profile.html", p=found, other_names=[n for n in names if n != found["name"]],
                        merged=request.query_params.get("merged"))


@router.get("/donors/{name:path}", response_class=HTMLResponse)
def donor(request: Request, name: str) -> Response:
    return _profile(request, "donor", name)


@router.get("/recipients/{name:path}", response_class=HTMLResponse)
def recipient(request: Request, name: str) -> Response:
    return _profile(request, "recipient", name)


@router.get("/quotes", response_class=HTMLResponse)
def quotes(request: Request, speaker: str = "", text: str = "", page: str = "") -> Response:
    with PageSession(request) as s:
        try:
            number, per_page = check_page(page, 50)
        except InvalidInput as exc:
            raise WebError(exc.message, code=exc.code, status=exc.status) from None
        found = s.q.quotes(speaker=speaker.strip() or None, text=text.strip() or None)
        start = (number - 1) * per_page
        return s.render("quotes.html", speaker=speaker, text=text, quotes=found[start:start + per_page],
                        total=len(found), page=number, pages=max(1, -(-len(found) // per_page)))


@router.get("/articles", response_class=HTMLResponse)
def articles(request: Request) -> Response:
    with PageSession(request) as s:
        return s.render("articles.html", articles=s.q.articles())


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article(request: Request, article_id: str) -> Response:
    with PageSession(request) as s:
        view = s.q.article(article_id)
        return s.render("article.html", view=view, saved=request.query_params.get("saved"))


@router.get("/corrections", response_class=HTMLResponse)
def corrections(request: Request) -> Response:
    with PageSession(request) as s:
        return s.render("corrections.html", corrections=s.q.corrections())
