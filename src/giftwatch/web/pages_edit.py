"""The writing pages: sign in with a token, add articles (extract, review, then store), correct records, merge
names and undo corrections. Every post needs the sign-in cookie and must come from these pages (see security).
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from giftwatch.records import Article
from giftwatch.web import security, tables
from giftwatch.web.adding import extract, preview_view, read_submission
from giftwatch.web.errors import Forbidden, InvalidInput, NotFound
from giftwatch.web.render import PageSession

router = APIRouter(include_in_schema=False)
COOKIE_DAYS = 30
MAX_FILES = 50


async def _form(request: Request) -> dict[str, Any]:
    """The posted form; files as (name, bytes). Parts may be as large as the whole-request limit."""
    limit = request.app.state.settings.max_body_bytes
    async with request.form(max_files=MAX_FILES, max_fields=100, max_part_size=limit) as form:
        fields: dict[str, Any] = {"files": []}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                data = await value.read()
                if value.filename and data:
                    fields["files"].append((value.filename, data))
            else:
                fields[key] = value
        return fields


def _local(target: str | None, default: str = "/") -> str:
    """Only redirect to our own pages (a path, never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _see(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


# ---- signing in ---------------------------------------------------------------------------------------------

@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> Response:
    with PageSession(request) as s:
        return s.render("login.html", next=_local(next), error=None)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request) -> Response:
    form = await _form(request)
    token, target = str(form.get("token", "")).strip(), _local(form.get("next"))

    def check() -> Response:
        if not security.same_origin(request):
            raise Forbidden("Sign in from the giftwatch sign-in page itself.")
        with PageSession(request) as s:
            if tables.check_token(s.q.conn, token) is None:
                return s.render("login.html", next=target, status=401,
                                error="That token is not valid. Create one with `giftwatch token create` "
                                      "and paste the whole line it prints.")
        response = _see(target)
        response.set_cookie(security.COOKIE, token, max_age=COOKIE_DAYS * 86400, httponly=True,
                            samesite="strict", secure=request.url.scheme == "https", path="/")
        return response

    return await run_in_threadpool(check)


@router.post("/logout")
def logout(request: Request) -> Response:
    if not security.same_origin(request):
        raise Forbidden("Sign out from the giftwatch pages themselves.")
    response = _see("/")
    response.delete_cookie(security.COOKIE, path="/")
    return response


# ---- adding articles ----------------------------------------------------------------------------------------

@router.get("/add", response_class=HTMLResponse)
def add_form(request: Request) -> Response:
    with PageSession(request) as s:
        return s.render("add.html", error=None, form={})


@router.post("/add", response_class=HTMLResponse)
async def add_preview(request: Request) -> Response:
    form = await _form(request)

    def review() -> Response:
        with PageSession(request) as s:
            s.writer()
            try:
                found, problems = read_submission(str(form.get("text", "")), str(form.get("title", "")).strip(),
                                                  str(form.get("published", "")).strip(), form["files"])
            except InvalidInput as exc:
                return s.render("add.html", error=exc.message, form=form, status=exc.status)
            if not found:
                message = "; ".join(problems) or "Paste an article's text or choose files to upload."
                return s.render("add.html", error=message, form=form, status=422)
            articles = extract(found)
            pending_id = tables.save_pending(s.q.conn, {"articles": [a.to_dict() for a in articles],
                                                        "problems": problems})
            stored = s.q.store.stored_text_hashes([a.id for a in articles])
            return s.render("preview.html", pending_id=pending_id, problems=problems,
                            items=[{"view": preview_view(a), "stored": a.id in stored} for a in articles])

    return await run_in_threadpool(review)


@router.post("/add/{pending_id}/confirm")
def add_confirm(request: Request, pending_id: str) -> Response:
    with PageSession(request) as s:
        s.writer()
        payload = tables.load_pending(s.q.conn, pending_id)
        if payload is None:
            raise NotFound("This extraction has expired or was already stored; add the articles again.")
        articles = [Article.from_dict(record) for record in payload["articles"]]
        s.q.store.add_articles(articles)
        tables.drop_pending(s.q.conn, pending_id)
    if len(articles) == 1:
        return _see(f"/articles/{quote(articles[0].id, safe='')}?saved=added")
    return _see(f"/articles?added={len(articles)}")


@router.post("/add/{pending_id}/cancel")
def add_cancel(request: Request, pending_id: str) -> Response:
    with PageSession(request) as s:
        s.writer()
        tables.drop_pending(s.q.conn, pending_id)
    return _see("/add")


# ---- corrections --------------------------------------------------------------------------------------------

@router.post("/articles/{article_id:path}/gifts/{position:int}")
async def correct_gift(request: Request, article_id: str, position: int) -> Response:
    form = await _form(request)
    changes = {key: form[key] for key in ("donors", "recipient", "amount", "amount_max", "currency", "kind",
                                          "date", "purpose") if key in form}

    def save() -> Response:
        with PageSession(request) as s:
            s.q.correct_gift(article_id, position, changes, s.writer())
        return _see(f"/articles/{quote(article_id, safe='')}?saved=g{position}#g{position}")

    return await run_in_threadpool(save)


@router.post("/articles/{article_id:path}/quotes/{position:int}")
async def correct_quote(request: Request, article_id: str, position: int) -> Response:
    form = await _form(request)
    changes = {key: form[key] for key in ("speakers", "speaker_role") if key in form}

    def save() -> Response:
        with PageSession(request) as s:
            s.q.correct_quote(article_id, position, changes, s.writer())
        return _see(f"/articles/{quote(article_id, safe='')}?saved=q{position}#q{position}")

    return await run_in_threadpool(save)


@router.post("/merge")
async def merge(request: Request) -> Response:
    form = await _form(request)
    role = "recipients" if form.get("role") == "recipient" else "donors"

    def save() -> Response:
        with PageSession(request) as s:
            result = s.q.merge_names(str(form.get("name", "")), str(form.get("into", "")), s.writer())
        return _see(f"/{role}/{quote(result['into'], safe='')}?merged={quote(result['name'], safe='')}")

    return await run_in_threadpool(save)


@router.post("/corrections/{edit_id:int}/undo")
def undo_edit(request: Request, edit_id: int) -> Response:
    with PageSession(request) as s:
        s.writer()
        s.q.undo_edit(edit_id)
    return _see("/corrections")


@router.post("/merges/undo")
async def undo_merge(request: Request) -> Response:
    form = await _form(request)

    def save() -> Response:
        with PageSession(request) as s:
            s.writer()
            s.q.undo_merge(str(form.get("name", "")))
        return _see("/corrections")

    return await run_in_threadpool(save)
