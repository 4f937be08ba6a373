"""The REST API's bodies and responses, as pydantic models, so /openapi.json describes every field."""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["donation", "pledge", "bequest", "grant", "matching", "in-kind"]


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, machine-readable: bad_request, invalid_input, unauthorized, forbidden, "
                                  "not_found, method_not_allowed, payload_too_large, bad_host, store_unavailable, "
                                  "model_missing, internal_error.")
    message: str = Field(description="What went wrong and what to do, for people.")


class ErrorResponse(BaseModel):
    """The one shape of every error the API returns."""

    error: ErrorDetail


class Edit(BaseModel):
    extracted: Any = Field(description="The value extraction gave, before the user's correction.")
    edit_id: int


class Record(BaseModel):
    model_config = ConfigDict(extra="ignore")

    article_id: str
    position: int = Field(description="The record's place in its article; with article_id it names the record.")
    published: str | None = None
    title: str | None = None
    source: str | None = None
    edited: dict[str, Edit] = Field(default_factory=dict, description="Fields a user corrected (and the "
                                                                      "extracted values); corrections survive "
                                                                      "re-extraction.")
    highlights: list[tuple[int, int]] | None = Field(
        None, description="Article detail only: [start, end) character spans of the evidence in the text.")


class Gift(Record):
    donors: list[str]
    donor_aliases: list[str] | None = None
    recipient: str | None = None
    recipient_aliases: list[str] | None = None
    amount: int | float | None = None
    amount_max: int | float | None = None
    currency: str | None = None
    amount_text: str | None = None
    kind: str | None = None
    date: str | None = None
    purpose: str | None = None
    in_name_of: list[str] | None = None
    evidence: str | None = None
    cause: str = Field(description="Broad cause read from the purpose and recipient (Education, Health ...).")


class Quote(Record):
    text: str
    speakers: list[str]
    speaker_role: str | None = None
    cue: str | None = None
    start: int | None = None
    end: int | None = None


class Page(BaseModel):
    total: int
    page: int
    per_page: int
    pages: int


class GiftPage(Page):
    items: list[Gift]
    sort: str
    order: str
    filters: dict[str, Any]


class QuotePage(Page):
    items: list[Quote]


class NameSummary(BaseModel):
    name: str
    gifts: int
    totals: dict[str, int | float] = Field(description="Sum of stated amounts per currency.")
    total_usd: int | float | None = None
    counterparties: list[str] = Field(description="Recipients of a donor, donors of a recipient.")
    first_date: str | None = None
    last_date: str | None = None


class NamePage(Page):
    items: list[NameSummary]


class Breakdown(BaseModel):
    label: str
    gifts: int
    totals: dict[str, int | float]


class Counterparty(BaseModel):
    name: str
    gifts: int
    totals: dict[str, int | float]


class Profile(BaseModel):
    name: str
    role: Literal["donor", "recipient"]
    gift_count: int
    totals: dict[str, int | float]
    total_usd: int | float | None = None
    first_date: str | None = None
    last_date: str | None = None
    by_year: list[Breakdown]
    by_cause: list[Breakdown]
    counterparties: list[Counterparty]
    chart_currency: str | None = None
    gifts: list[Gift]
    quotes: list[Quote]


class ArticleMeta(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    text: str


class ArticleDetail(BaseModel):
    article: ArticleMeta
    gifts: list[Gift]
    quotes: list[Quote]


class ArticleSummary(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    gifts: int
    quotes: int


class ArticlePage(Page):
    items: list[ArticleSummary]


class ArticleHit(BaseModel):
    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    snippet: str = Field(description="Text around the first match.")
    matches: list[tuple[int, int]] = Field(description="[start, end) of each match within the snippet.")


class Hits(BaseModel):
    total: int


class NameHits(Hits):
    items: list[NameSummary]


class QuoteHits(Hits):
    items: list[Quote]


class ArticleHits(Hits):
    items: list[ArticleHit]


class SearchResults(BaseModel):
    q: str
    donors: NameHits
    recipients: NameHits
    quotes: QuoteHits
    articles: ArticleHits


class Stats(BaseModel):
    articles: int
    gifts: int
    quotes: int
    corrections: int


class GiftCorrection(BaseModel):
    """Only the fields sent are corrected; null clears a field (an amount not stated, no date)."""

    model_config = ConfigDict(extra="forbid")

    donors: list[str] | None = None
    recipient: str | None = None
    amount: float | None = Field(None, ge=0)
    amount_max: float | None = Field(None, ge=0)
    currency: str | None = Field(None, description="ISO 4217, such as USD.")
    kind: Kind | None = None
    date: str | None = Field(None, description="ISO date at any precision: 2018, 2018-02, 2018-02-14.")
    purpose: str | None = None


class QuoteCorrection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speakers: list[str] | None = None
    speaker_role: str | None = None


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="The name to merge away (shown as `into` from now on).")
    into: str = Field(description="The name to keep.")


class MergeResult(BaseModel):
    name: str
    into: str


class CorrectionRecord(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: int
    target: Literal["gift", "quote"]
    article_id: str
    position: int
    field: str
    value: Any
    extracted: Any
    created_at: str
    applied: bool = Field(description="False when re-extraction no longer finds the record; the correction waits.")


class MergeRecord(BaseModel):
    name: str
    into: str
    created_at: str


class Corrections(BaseModel):
    edits: list[CorrectionRecord]
    merges: list[MergeRecord]


class ArticleInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, description="Plain text of the article body.")
    title: str | None = None
    published: str | None = Field(None, description="ISO date; gift dates are resolved against it.")
    id: str | None = Field(None, description="Default: derived from the title (or 'api') and a hash of the text.")
    source: str | None = None
    url: str | None = None


class ArticlesInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    articles: list[ArticleInput] = Field(min_length=1, max_length=100)


class ExtractedArticle(BaseModel):
    """A FORMAT.md record: the article with the gifts and quotes found in it."""

    model_config = ConfigDict(extra="allow")

    id: str
    title: str | None = None
    published: str | None = None
    source: str | None = None
    text: str
    gifts: list[dict[str, Any]]
    quotes: list[dict[str, Any]]


class ExtractResult(BaseModel):
    articles: list[ExtractedArticle]
    stored: dict[str, int] | None = Field(None, description="POST /api/articles only: added, updated, unchanged.")
