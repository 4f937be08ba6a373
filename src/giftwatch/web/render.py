"""Page rendering: one Jinja2 environment with autoescaping always on, and the helpers templates use.

Article text, titles, names and quotes come from untrusted pages; templates only ever print them through
autoescaping (no `|safe` on data), and highlighted text arrives as pre-cut segments (see highlight.py).
"""
from __future__ import annotations

from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from giftwatch import __version__
from giftwatch.output import format_amount
from giftwatch.web import security
from giftwatch.web.charts import bar_chart
from giftwatch.web.corrections import GIFT_KINDS
from giftwatch.web.errors import Unauthorized
from giftwatch.web.highlight import segments
from giftwatch.web.queries import WebQueries

TEMPLATES = resources.files("giftwatch.web").joinpath("templates")


def _money(value: Any, currency: str | None = "USD", amount_max: Any = None) -> str:
    return format_amount(value, amount_max, currency) if value is not None else ""


def _totals(totals: dict[str, Any] | None) -> str:
    return ", ".join(format_amount(v, None, c if c != "unknown" else None) for c, v in (totals or {}).items())


def _path(value: str) -> str:
    return quote(value, safe="")


def _article_segments(view: dict[str, Any]) -> list[Any]:
    spans = [(s, e, f"g{g['position']}", "gift") for g in view["gifts"] for s, e in g["highlights"]]
    spans += [(s, e, f"q{q['position']}", "quote") for q in view["quotes"] for s, e in q["highlights"]]
    return segments(view["article"]["text"], spans)


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True)
    env.filters.update(money=_money, totals=_totals, path=_path, urlencode=urlencode)
    env.globals.update(version=__version__, kinds=GIFT_KINDS, bar_chart=bar_chart,
                       article_segments=_article_segments)
    return env


ENVIRONMENT = _environment()


class PageSession:
    """One page request: the queries, whether the visitor is signed in, and rendering with that context.
    Opened inside the (threadpool) function that serves the page, since SQLite connections are per thread."""

    def __init__(self, request: Request):
        self.request = request
        self.settings = request.app.state.settings
        self.q = WebQueries(self.settings.db)
        try:
            self.token_id = security.token_id(request, self.q.conn)
            if self.settings.read_requires_token and self.token_id is None \
                    and request.url.path not in ("/login", "/logout"):
                raise Unauthorized(
                    "This giftwatch server is shared beyond this computer, so reading needs a token too: "
                    "sign in with one from `giftwatch token create`.")
        except BaseException:
            self.q.close()
            raise

    def __enter__(self) -> "PageSession":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.q.close()

    @property
    def signed_in(self) -> bool:
        return self.token_id is not None

    def writer(self) -> int:
        return security.require_writer(self.request, self.q.conn)

    def render(self, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        return render(self.request, template, status=status, signed_in=self.signed_in, **context)


def render(request: Request, template: str, *, status: int = 200, signed_in: bool = False,
           **context: Any) -> HTMLResponse:
    html = ENVIRONMENT.get_template(template).render(request=request, path=request.url.path,
                                                      signed_in=signed_in, **context)
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})
