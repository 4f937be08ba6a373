"""The giftwatch web application: HTML pages and the JSON REST API (/api, described at /openapi.json) over one
database, both answering from the same query functions (giftwatch.web.queries).

Errors have one shape. The API answers {"error": {"code": "...", "message": "..."}} with the HTTP status; the
pages show the same message on an error page. Codes: bad_request, invalid_input, unauthorized, forbidden,
not_found, method_not_allowed, payload_too_large, bad_host, store_unavailable, model_missing, internal_error.
"""
from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from importlib import resources

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from giftwatch import __version__
from giftwatch.errors import GiftwatchError, ModelNotFoundError, ReadError, StoreError
from giftwatch.store import DB_ENV, DEFAULT_DB
from giftwatch.web import security
from giftwatch.web.errors import WebError

log = logging.getLogger("giftwatch.web")

_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          413: "payload_too_large", 422: "invalid_input"}


@dataclass(frozen=True)
class Settings:
    db: str
    read_requires_token: bool = False
    max_body_bytes: int = security.DEFAULT_MAX_BODY
    allowed_hosts: tuple[str, ...] | None = security.LOCAL_HOSTS


def create_app(db: str | None = None, *, read_requires_token: bool = False,
               max_body_bytes: int = security.DEFAULT_MAX_BODY,
               allowed_hosts: tuple[str, ...] | None = security.LOCAL_HOSTS) -> FastAPI:
    """The application for database `db` (default $GIFTWATCH_DB, else ./giftwatch.db). `allowed_hosts` are the
    host names requests may be addressed to (None: any); `read_requires_token` closes reading too."""
    from giftwatch.api.routes import router as api_router
    from giftwatch.web.pages import router as page_router
    from giftwatch.web.pages_edit import router as edit_router
    from giftwatch.web.queries import WebQueries

    db = db or os.environ.get(DB_ENV) or DEFAULT_DB
    with WebQueries(db):  # fail now, with the store's message, if the database cannot be used; creates tables
        pass
    app = FastAPI(title="giftwatch", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/openapi.json", description=_DESCRIPTION)
    app.state.settings = Settings(db, read_requires_token, max_body_bytes, allowed_hosts)
    app.add_middleware(security.SecurityMiddleware, max_body_bytes=max_body_bytes, allowed_hosts=allowed_hosts)
    static = resources.files("giftwatch.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(api_router)
    app.include_router(edit_router)
    app.include_router(page_router)
    app.add_exception_handler(WebError, _web_error)
    app.add_exception_handler(GiftwatchError, _library_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
    return app


_DESCRIPTION = """Gifts, donors, recipients, quotes and articles extracted from news by giftwatch.

Reading is open on localhost. Writing (adding articles, corrections, merges) needs a token from
`giftwatch token create`, sent as `Authorization: Bearer <token>`.

Every error has one shape: `{"error": {"code": "not_found", "message": "what went wrong and what to do"}}`."""


def error_response(request: Request, status: int, code: str, message: str) -> Response:
    """JSON for the API (and clients asking for JSON), an HTML error page for the browser."""
    wants_json = request.url.path.startswith("/api") or request.url.path == "/openapi.json" or \
        "text/html" not in request.headers.get("accept", "")
    if wants_json:
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)
    from giftwatch.web.render import render

    # The error page must render even when the database is the problem, so it does not look the cookie up.
    signed_in = bool(request.cookies.get(security.COOKIE))
    return render(request, "error.html", status=status, signed_in=signed_in, code=code, message=message,
                  status_code=status)


async def _web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    return error_response(request, exc.status, exc.code, exc.message)


async def _library_error(request: Request, exc: Exception) -> Response:
    if isinstance(exc, ReadError):
        return error_response(request, 422, "invalid_input", str(exc))
    if isinstance(exc, StoreError):
        return error_response(request, 503, "store_unavailable", str(exc))
    if isinstance(exc, ModelNotFoundError):
        return error_response(request, 503, "model_missing", str(exc))
    return error_response(request, 400, "bad_request", str(exc))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "There is nothing at this address. Start from the home page or the API description at "
                     "/openapi.json.",
                405: f"{request.method} is not allowed here; see /openapi.json for the methods each path takes."}
    message = exc.detail if isinstance(exc.detail, str) and exc.status_code not in messages else \
        messages.get(exc.status_code, str(exc.detail))
    return error_response(request, exc.status_code, _CODES.get(exc.status_code, "error"), message)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors()[:5]:
        where = " ".join(str(part) for part in error.get("loc", ()) if part != "body")
        problems.append(f"{where}: {error.get('msg', 'invalid')}".strip(": "))
    return error_response(request, 422, "invalid_input", "Invalid request: " + "; ".join(problems) + ".")


async def _unexpected_error(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error serving %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error",
                          "Something went wrong on the server (details are in its log). Try again; if it keeps "
                          "happening, report it with the server log.")
