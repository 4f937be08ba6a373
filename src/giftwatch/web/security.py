"""What keeps the local server safe to run: strict headers, a request-size limit, a Host check, and tokens.

- Every response carries a Content-Security-Policy that allows only giftwatch's own script and style files:
  even if article text slipped through escaping, a browser would not run it.
- Request bodies over the limit are refused (413) before they are read into memory.
- Bound to localhost, the server answers only requests addressed to localhost, so a web page elsewhere cannot
  reach it through a DNS name that resolves to 127.0.0.1 (DNS rebinding).
- Writing needs a token: `Authorization: Bearer <token>` for the API; in the browser, the token is given once
  on the sign-in page and kept in an HttpOnly, SameSite=Strict cookie, and form posts must come from the
  server's own pages (Origin check).
"""
from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from giftwatch.web import tables
from giftwatch.web.errors import Forbidden, PayloadTooLarge, Unauthorized

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # "no-referrer" would make form posts send Origin: null
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
COOKIE = "giftwatch_token"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_MAX_BODY = 10 * 1024 * 1024


class SecurityMiddleware:
    """Adds the security headers, checks the Host header and limits request bodies (pure ASGI, so it sees
    the body stream before anything buffers it)."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int, allowed_hosts: tuple[str, ...] | None):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.allowed_hosts = allowed_hosts  # None: any host

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []),
                                      *[(k, v) for k, v in HEADERS if k not in present]]
            await send(message)

        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if self.allowed_hosts is not None and _host_name(headers.get("host", "")) not in self.allowed_hosts:
            await _refuse(scope, send_with_headers, 400, "bad_host",
                          "This server answers only requests to its own address (such as http://127.0.0.1:8000). "
                          "Open it by that address, or start it with --host to serve other names.")
            return
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await _refuse(scope, send_with_headers, 413, PayloadTooLarge.code, too_large(self.max_body_bytes))
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    # an HTTPException, so body parsers pass it on instead of calling it a parse error
                    raise HTTPException(413, too_large(self.max_body_bytes))
            return message

        await self.app(scope, limited_receive, send_with_headers)


def too_large(limit: int) -> str:
    return (f"The request is larger than this server accepts ({limit // (1024 * 1024)} MB). Send fewer or smaller "
            "articles at a time, or ingest large corpora with `giftwatch ingest`.")


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[1:host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


async def _refuse(scope: Scope, send: Send, status: int, code: str, message: str) -> None:
    """An error answered before the app runs: JSON for the API, a short text page otherwise."""
    if scope.get("path", "").startswith("/api") or scope.get("path") == "/openapi.json":
        body, kind = json.dumps({"error": {"code": code, "message": message}}).encode(), b"application/json"
    else:
        body, kind = f"Error: {message}\n".encode(), b"text/plain; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def bearer_token(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def request_token(request: Request) -> str | None:
    """The API's bearer token, else (for the pages) the sign-in cookie."""
    return bearer_token(request) or request.cookies.get(COOKIE)


def same_origin(request: Request) -> bool:
    """A browser form post comes from our own pages: its Origin (or Referer) is this server."""
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None  # no header at all: not a browser form post (SameSite=Strict covers browsers)
    parts = urlsplit(origin)
    return (parts.scheme, parts.netloc.lower()) == (request.url.scheme, request.headers.get("host", "").lower())


def token_id(request: Request, conn: sqlite3.Connection) -> int | None:
    """The id of the valid token this request carries, or None."""
    return tables.check_token(conn, request_token(request))


def require_writer(request: Request, conn: sqlite3.Connection) -> int:
    """The token id allowed to write, or Unauthorized/Forbidden saying how to get one."""
    if bearer_token(request) is None and request.cookies.get(COOKIE) and not same_origin(request):
        raise Forbidden("This form was sent from another site; use the giftwatch pages themselves.")
    found = token_id(request, conn)
    if found is None:
        given = request_token(request) is not None
        raise Unauthorized(("That token is not valid (revoked, or from another database). " if given else
                            "Changing data needs a token. ")
                           + "Create one with `giftwatch token create`, then send it as `Authorization: Bearer "
                             "<token>` (API) or enter it on the sign-in page (/login).")
    return found
