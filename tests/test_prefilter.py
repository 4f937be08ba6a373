"""The pre-pass: every article that holds a gift is parsed; plain news is not."""
from __future__ import annotations

import json

import pytest

from giftwatch.prefilter import PARSE, QUOTES_ONLY, STORE, has_quotations, may_hold_gift, route
from tests.conftest import DATA


def gift_articles(path) -> list[dict]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r for r in records if r["gifts"]]


def test_no_gold_gift_article_is_turned_away(shared):
    articles = [a for name in ("seed.jsonl", "dev.jsonl") for a in gift_articles(shared / "gold" / name)]
    assert len(articles) >= 40
    assert [a["id"] for a in articles if not may_hold_gift(a["text"])] == []


def test_no_gift_article_of_our_own_test_data_is_turned_away():
    articles = gift_articles(DATA / "sample_gold.jsonl") + gift_articles(DATA / "patterns_gold.jsonl")
    assert [a["id"] for a in articles if not may_hold_gift(a["text"])] == []


@pytest.mark.parametrize("sentence", [
    "Teodora Lindqvist donated her grandfather's fishing boats to the Harbour Maritime Museum.",
    "The Vance family has given £2m to the Kingsmere Hospice to build a day centre.",
    "Osric Pell gave the Marlow Youth Orchestra between $40,000 and $60,000 last spring.",
    "The late Agnes Bright left $900,000 to the Fenwick Animal Shelter.",
    "Juniper Valley Clinic received $310,000 from the Castellan Family Foundation on Monday.",
    "Staff presented the Riverside Food Pantry with a $12,500 check on Friday.",
    "The Harwood Trust announced a grant of €80,000 for the village school's new roof.",
    "Brightwater Bank contributed $5,000 to Meadowlands Habitat for Humanity.",
    "Crowne Mills will match employee gifts up to $50,000 this year.",
    "Funding for the new wing came from the Ellery Whitcombe Foundation and other private donors.",
    "Calloway Motors is proud to support the Eastside Boys & Girls Club with a $15,000 contribution.",
    "Retired teacher Rose Aldane left the town library $250,000 in her will.",
    "The Hale family's gift to Riverside Children's Hospital will pay for a new playroom.",
    "Ansel and Mira Doyle have pledged their collection of maps to the county museum.",
])
def test_gift_wordings_are_parsed(sentence):
    assert may_hold_gift(sentence)
    assert route(sentence) == PARSE


@pytest.mark.parametrize("sentence", [
    "Shoppers can pick up holiday gift cards and gift sets at the Maplewood store this weekend.",
    "Northgate Systems was awarded a $14 million contract by the county to upgrade its radio network.",
    "The new plan provides $50 off the first month for customers who switch before June.",
    "The ferry departures leave the east pier at 8:15 p.m. Fares stay at $4.50.",
    "Quarterly revenue rose 12% to $48.3 million, the company said, and it expects growth to continue.",
    "The council voted to repave eighteen streets at a cost of $3.1 million from the road budget.",
    "She has contributed to three books on coastal ecology and won the Halden Prize for science writing.",
    "Our holiday collection has the perfect gift for every coffee lover on your list.",
    "The company pledged to cut its emissions in half by 2030, its chief executive said.",
    "Born into a philanthropic family, Pell studied architecture before founding the firm.",
])
def test_plain_news_is_not_parsed(sentence):
    assert not may_hold_gift(sentence)
    assert route(sentence) == STORE


def test_all_quotes_parses_quotations_without_gift_words():
    story = ('The library will open on Sundays from May. "People have asked for this for years," said '
             "director Owen Halvorsen.")
    assert has_quotations(story) and not may_hold_gift(story)
    assert route(story) == STORE
    assert route(story, all_quotes=True) == QUOTES_ONLY
    assert route('The sign read "Open".', all_quotes=True) == STORE   # one word in marks is no quotation
    assert route("Any text at all.", prefilter=False) == PARSE
