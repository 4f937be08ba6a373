"""The web layer's own errors. Each carries an HTTP status and a stable machine-readable code, so the API can
answer with its one error shape ({"error": {"code", "message"}}) and the pages with the same message."""
from __future__ import annotations

from giftwatch.errors import GiftwatchError


class WebError(GiftwatchError):
    """A request the web layer refuses; `message` says what to do instead."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        if status:
            self.status = status


class InvalidInput(WebError):
    """A filter, correction or upload that cannot be used as given."""

    status = 422
    code = "invalid_input"


class NotFound(WebError):
    status = 404
    code = "not_found"


class Unauthorized(WebError):
    """No valid token: writing (and, off localhost, reading) needs one from `giftwatch token create`."""

    status = 401
    code = "unauthorized"


class Forbidden(WebError):
    status = 403
    code = "forbidden"


class PayloadTooLarge(WebError):
    status = 413
    code = "payload_too_large"
