"""Property-based tests: whatever string comes in (news-like fragments mixed with arbitrary Unicode, quotation
marks of every style, money and dates), the extractors answer without an exception, every offset lies inside
the text and points at what it claims, and `giftwatch.extract` returns records of the FORMAT.md shape that
serialise to strict JSON."""
from __future__ import annotations

import datetime as dt
import json
import math
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import giftwatch
from giftwatch.extractors.amounts import find_amounts
from giftwatch.extractors.dates import find_dates
from giftwatch.extractors.quotemarks import DOUBLE_MARKS, SINGLE_CLOSE, SINGLE_OPEN, find_quote_spans
from giftwatch.records import Gift, Quote

FRAGMENTS = [
    "“", "”", '"', "'", "‘", "’", "«", "»", "„", "″", "$", "£", "€", "US$", "¥", "1,000", "5 million", "$2.5m",
    "between $1m and $2m", "$50,000 a year for four years", "five thousand dollars", "500 pounds of food",
    "said", "told reporters", "Maria Lopez", "the Harlan Trust", "Dr. Ada Obi", "she", "they", "gave", "donated",
    "pledged", "a bequest", "to the", "Vale Hospital", "Foundation", "in memory of", "January 5, 2020", "last week",
    "Today", "on Tuesday", "in May", "2019", "over", "about", "-", "—", "…", ".", ",", "?", "!", ":", "(", ")",
    "\n", "\n\n", " ", "  ", "\t", "\r\n", "\u00a0", "\u2028", "é", "ß", "İ", "🎁", "慈善", "שלום", "\u0301",
    "\x00", "\x1b", "\ufeff", "<b>", "</p>", "&amp;", "'; DROP TABLE gifts;--",
]
GIFT_KEYS = {f for f in Gift.__dataclass_fields__}
QUOTE_KEYS = {f for f in Quote.__dataclass_fields__}
ARTICLE_KEYS = {"id", "source", "published", "title", "text", "gifts", "quotes"}
KINDS = {"donation", "pledge", "bequest", "grant", "matching", "in-kind"}
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

news_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=80).map("".join)
any_text = st.one_of(news_like, st.text(max_size=300))
published = st.one_of(st.none(), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))
                      .map(dt.date.isoformat), st.text(max_size=12))
FAST = settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
PIPELINE = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def _valid_iso(value: str) -> bool:
    if not ISO_DATE.fullmatch(value):
        return False
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


@FAST
@given(any_text)
def test_quote_spans_lie_between_quotation_marks_inside_the_text(text):
    spans = find_quote_spans(text)
    marks = DOUBLE_MARKS + SINGLE_OPEN + SINGLE_CLOSE + "'"
    for span in spans:
        assert 0 <= span.open_mark < span.start < span.end <= len(text)
        assert text[span.open_mark] in marks
        assert span.close_mark is None or (span.end <= span.close_mark < len(text) and text[span.close_mark] in marks)
        inside = text[span.start:span.end]
        assert inside and inside == inside.strip()
    assert [s.open_mark for s in spans] == sorted(s.open_mark for s in spans)


@FAST
@given(any_text, st.sampled_from(["USD", "GBP", "EUR", "CAD"]))
def test_amounts_are_exact_slices_with_finite_values(text, currency):
    found = find_amounts(text, default_currency=currency)
    previous_end = 0
    for money in found:
        assert previous_end <= money.start < money.end <= len(text)
        assert text[money.start:money.end] == money.text
        assert money.amount is not None and math.isfinite(money.amount) and money.amount >= 0
        assert money.amount_max is None or (math.isfinite(money.amount_max) and money.amount_max > money.amount)
        assert money.currency is None or re.fullmatch(r"[A-Z]{3}", money.currency)
        previous_end = money.end


@FAST
@given(any_text, published)
def test_dates_are_exact_slices_with_iso_values(text, published_on):
    for mention in find_dates(text, published_on):
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start:mention.end] == mention.text
        assert mention.value is None or _valid_iso(mention.value)


def check_record(article: giftwatch.Article) -> None:
    """What every consumer of `extract` relies on: FORMAT.md keys and types, offsets into the text, strict JSON."""
    text = article.text
    record = article.to_dict()
    assert set(record) == ARTICLE_KEYS
    json.dumps(record, allow_nan=False)   # no NaN or Infinity: every JSON reader can read it
    for gift in record["gifts"]:
        assert set(gift) == GIFT_KEYS
        for key in ("donors", "donor_aliases", "recipient_aliases", "in_name_of"):
            assert isinstance(gift[key], list) and all(isinstance(n, str) and n for n in gift[key]), (key, gift)
        for key in ("recipient", "amount_text", "purpose", "currency"):
            assert gift[key] is None or isinstance(gift[key], str), (key, gift)
        assert gift["kind"] in KINDS
        assert gift["date"] is None or _valid_iso(gift["date"])
        for key in ("amount", "amount_max"):
            value = gift[key]
            assert value is None or (isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0)
        assert (gift["amount"] is None) == (gift["currency"] is None), gift
        assert isinstance(gift["evidence"], str)
        start, end = gift["evidence_start"], gift["evidence_end"]
        if start is not None or end is not None:
            assert 0 <= start <= end <= len(text), gift
    for quote in record["quotes"]:
        assert set(quote) == QUOTE_KEYS
        assert isinstance(quote["text"], str) and quote["text"]
        assert isinstance(quote["speakers"], list) and all(isinstance(n, str) and n for n in quote["speakers"])
        assert quote["speaker_role"] is None or isinstance(quote["speaker_role"], str)
        assert quote["cue"] is None or isinstance(quote["cue"], str)
        assert 0 <= quote["start"] < quote["end"] <= len(text), quote
        assert text[quote["start"]:quote["end"]] == quote["text"], quote


@PIPELINE
@given(any_text, st.one_of(st.none(), st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
                           .map(dt.date.isoformat)))
def test_extract_returns_valid_records_for_any_text(text, published_on):
    check_record(giftwatch.extract(text, published=published_on))


def test_a_gift_story_with_hostile_noise_still_gives_its_gift():
    """The properties above hold for noise; this anchors them to a real finding in the same code path."""
    text = ("The Harlan Trust donated $250,000 to Vale Hospital on Tuesday. \x1b \ufeff "
            "“We are grateful,” said Dr. Ada Obi, the hospital’s director. 🎁")
    article = giftwatch.extract(text, published="2024-05-02")
    check_record(article)
    assert [(g.donors, g.recipient, g.amount) for g in article.gifts] == [(["Harlan Trust"], "Vale Hospital", 250000)]
    assert [q.speakers for q in article.quotes] == [["Ada Obi"]]
