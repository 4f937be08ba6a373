"""Money mentions: the figures, currencies and spans a reader of a gift record relies on."""
from __future__ import annotations

import pytest

from giftwatch.extractors.amounts import Money, article_currency, find_amounts


def only(text: str, default_currency: str = "USD") -> Money:
    """The single money mention in `text`, checking its span is exact."""
    found = find_amounts(text, default_currency)
    assert len(found) == 1, found
    money = found[0]
    assert text[money.start:money.end] == money.text
    return money


@pytest.mark.parametrize("sentence, span, amount, currency", [
    ("The alumna gave $1.5 million to the nursing school.", "$1.5 million", 1_500_000, "USD"),
    ("It is a $100-million pledge to the hospital.", "$100-million", 100_000_000, "USD"),
    ("The club handed the shelter $2M on Friday.", "$2M", 2_000_000, "USD"),
    ("A $2m grant will refit the food bank.", "$2m", 2_000_000, "USD"),
    ("Volunteers raised $100K for the pantry.", "$100K", 100_000, "USD"),
    ("The bakery donated $27K in sales.", "$27K", 27_000, "USD"),
    ("The trust gave £2m to the hospice.", "£2m", 2_000_000, "GBP"),
    ("A donor left €500,000 to the orchestra.", "€500,000", 500_000, "EUR"),
    ("She left 2 million dollars to the library.", "2 million dollars", 2_000_000, "USD"),
    ("He bequeathed 10 million pounds to the college.", "10 million pounds", 10_000_000, "GBP"),
    ("The scouts received a $25,000 gift on Monday.", "$25,000", 25_000, "USD"),
    ("The veterans group got $8,004 from the raffle.", "$8,004", 8_004, "USD"),
    ("The firm's employees pledged $338,384.01 in total.", "$338,384.01", 338_384.01, "USD"),
    ("The endowment grew by $1.2 billion.", "$1.2 billion", 1_200_000_000, "USD"),
    ("The rancher gave $5 mil to the rodeo fund.", "$5 mil", 5_000_000, "USD"),
    ("An anonymous donor wrote a $5,000,000 check.", "$5,000,000", 5_000_000, "USD"),
    ("The app maker gave $3.5M to coding camps.", "$3.5M", 3_500_000, "USD"),
])
def test_figures_with_symbols_scales_and_currency_words(sentence, span, amount, currency):
    money = only(sentence)
    assert (money.text, money.amount, money.currency) == (span, amount, currency)
    assert money.amount_max is None and money.qualifier is None and money.per_period is None


@pytest.mark.parametrize("sentence, span, amount, currency", [
    ("The widow pledged five million dollars to the zoo.", "five million dollars", 5_000_000, "USD"),
    ("Students collected twenty-five thousand dollars.", "twenty-five thousand dollars", 25_000, "USD"),
    ("The estate gave one hundred thousand pounds.", "one hundred thousand pounds", 100_000, "GBP"),
    ("The singer gave half a million dollars to the clinic.", "half a million dollars", 500_000, "USD"),
    ("It was a half-million-dollar boost for the shelter.", "half-million-dollar", 500_000, "USD"),
    ("They gave one and a half million euros.", "one and a half million euros", 1_500_000, "EUR"),
    ("A million-dollar gift arrived.", "million-dollar", 1_000_000, "USD"),
])
def test_amounts_written_in_words(sentence, span, amount, currency):
    money = only(sentence)
    assert (money.text, money.amount, money.currency) == (span, amount, currency)


@pytest.mark.parametrize("sentence, span, currency", [
    ("The bank gave USD 5,000 to the mission.", "USD 5,000", "USD"),
    ("The bank gave 5,000 USD to the mission.", "5,000 USD", "USD"),
    ("A grant of GBP 2 million went to the theatre.", "GBP 2 million", "GBP"),
    ("The brewery gave EUR 300,000 to the festival.", "EUR 300,000", "EUR"),
    ("The mine gave CAD 50,000 to the hockey league.", "CAD 50,000", "CAD"),
    ("The winery gave AUD 50,000 to firefighters.", "AUD 50,000", "AUD"),
    ("The dairy gave NZD 50,000 to the marae.", "NZD 50,000", "NZD"),
    ("The fund gave US$5 million to the appeal.", "US$5 million", "USD"),
    ("The insurer gave C$2 million to the hospital.", "C$2 million", "CAD"),
    ("The miner gave CA$2 million to the hospital.", "CA$2 million", "CAD"),
    ("The airline gave A$2 million to bushfire relief.", "A$2 million", "AUD"),
    ("The dairy gave NZ$2 million to the marae.", "NZ$2 million", "NZD"),
    ("The trust gave Rs 50,000 to the school.", "Rs 50,000", "INR"),
    ("The trust gave ₹50,000 to the school.", "₹50,000", "INR"),
    ("The company gave ¥300,000 to the shrine.", "¥300,000", "JPY"),
    ("The mill gave $5,000 CAD to the arena.", "$5,000 CAD", "CAD"),
    ("The team gave 5 million Canadian dollars to the arena.", "5 million Canadian dollars", "CAD"),
])
def test_currency_codes_and_marked_dollars(sentence, span, currency):
    money = only(sentence)
    assert (money.text, money.currency) == (span, currency)


@pytest.mark.parametrize("sentence, span, qualifier, amount", [
    ("The couple gave more than $5 million to the clinic.", "more than $5 million", "more than", 5e6),
    ("Over $27K was collected at the gala.", "Over $27K", "over", 27_000),
    ("The foundation will give up to $10 million.", "up to $10 million", "up to", 1e7),
    ("The shop gave nearly $3,000 to the pantry.", "nearly $3,000", "nearly", 3_000),
    ("About $40,000 went to the shelter.", "About $40,000", "about", 40_000),
    ("He gave at least $1 million.", "at least $1 million", "at least", 1e6),
    ("It drew approximately $9,500.", "approximately $9,500", "approximately", 9_500),
    ("She gave almost $2 million.", "almost $2 million", "almost", 2e6),
    ("The bequest was roughly £4m.", "roughly £4m", "roughly", 4e6),
    ("The senator said it would save more than a trillion dollars.",
     "more than a trillion dollars", "more than", 1e12),
])
def test_qualifier_is_in_the_span_not_the_figure(sentence, span, qualifier, amount):
    money = only(sentence)
    assert (money.text, money.qualifier, money.amount) == (span, qualifier, amount)


def test_over_after_handed_is_not_a_qualifier():
    money = only("The league handed over $5 million to the charity.")
    assert (money.text, money.qualifier) == ("$5 million", None)


@pytest.mark.parametrize("sentence, span, low, high, qualifier", [
    ("The gift is between $1 million and $2 million.", "between $1 million and $2 million",
     1e6, 2e6, "between"),
    ("Analysts valued it at $1 million to $2 million.", "$1 million to $2 million", 1e6, 2e6, None),
    ("The estate is worth $1-2 million.", "$1-2 million", 1e6, 2e6, None),
    ("The estate is worth $1–$2 million.", "$1–$2 million", 1e6, 2e6, None),
    ("The estate is worth $1 million-$2 million.", "$1 million-$2 million", 1e6, 2e6, None),
    ("Tickets cost $500-1,000 each.", "$500-1,000", 500, 1_000, None),
    ("Between £1m and £2m will be given.", "Between £1m and £2m", 1e6, 2e6, "between"),
])
def test_ranges_give_lower_and_upper_figures(sentence, span, low, high, qualifier):
    money = only(sentence)
    assert (money.text, money.amount, money.amount_max, money.qualifier) == (span, low, high, qualifier)


def test_figure_followed_by_an_unrelated_number_is_not_a_range():
    money = only("The chain gave $5 million to 12 schools.")
    assert (money.text, money.amount, money.amount_max) == ("$5 million", 5e6, None)


def test_two_amounts_joined_by_and_without_between_stay_apart():
    found = find_amounts("The twins gave $1 million and their parents $2 million.")
    assert [(m.text, m.amount, m.amount_max) for m in found] == [
        ("$1 million", 1e6, None), ("$2 million", 2e6, None)]


@pytest.mark.parametrize("sentence, span, low, high", [
    ("It was a seven-figure gift to the college.", "seven-figure", 1_000_000, 9_999_999),
    ("The six-figure donation surprised staff.", "six-figure", 100_000, 999_999),
    ("The gift ran to eight figures.", "eight figures", 10_000_000, 99_999_999),
])
def test_figure_words_give_a_range(sentence, span, low, high):
    money = only(sentence)
    assert (money.text, money.amount, money.amount_max, money.currency) == (span, low, high, "USD")


@pytest.mark.parametrize("sentence, span, amount, per_period", [
    ("The scholarship pays $50,000 a year for four years.", "$50,000 a year for four years", 200_000, None),
    ("The bank will give $10,000 per year over 5 years.", "$10,000 per year over 5 years", 50_000, None),
    ("The firm gives $2,000 a month for three years.", "$2,000 a month for three years", 72_000, None),
    ("The scholarship pays $50,000 a year.", "$50,000 a year", 50_000, "year"),
    ("The mill gives $100,000 annually to the union.", "$100,000 annually", 100_000, "year"),
    ("Members give $20 per month.", "$20 per month", 20, "month"),
])
def test_per_period_gifts_are_totalled_when_the_periods_are_counted(sentence, span, amount, per_period):
    money = only(sentence)
    assert (money.text, money.amount, money.per_period) == (span, amount, per_period)


def test_a_year_ago_is_not_a_period():
    money = only("A $2 million gift a year ago built the wing.")
    assert (money.text, money.per_period) == ("$2 million", None)


def test_total_over_years_without_a_period_is_left_alone():
    money = only("The family pledged $10 million over five years.")
    assert (money.text, money.amount, money.per_period) == ("$10 million", 1e7, None)


@pytest.mark.parametrize("sentence", [
    "Bandcamp gave 100% of its proceeds to the relief fund.",
    "In 2025 the club shipped 500 first aid kits to the coast.",
    "Call the hotline at 555-867-5309 to volunteer.",
    "The pantry received 500 pounds of food from the farm.",
    "The firm gave a few thousand dollars to local teams.",
    "It was a multimillion-dollar campaign.",
    "The trust gave €1,5 million to the opera.",
])
def test_things_that_are_not_money(sentence):
    assert find_amounts(sentence) == []


def test_bare_dollar_takes_the_default_currency():
    assert only("The club gave $40,000 to the arena.", "CAD").currency == "CAD"
    assert only("The club gave 40,000 dollars to the arena.", "AUD").currency == "AUD"
    assert only("The club gave US$40,000 to the arena.", "CAD").currency == "USD"


def test_offsets_are_exact_in_a_longer_article():
    text = ("Philanthropist Jo Reyes has donated $38 million to the college.\n\n"
            "The gift follows a $20 million donation in 2020 and more than £1.1M from her trust. "
            "Last month, she gave nearly $3,000 a month for two years to a clinic.")
    found = find_amounts(text)
    assert [m.text for m in found] == ["$38 million", "$20 million", "more than £1.1M",
                                       "nearly $3,000 a month for two years"]
    assert all(text[m.start:m.end] == m.text for m in found)
    assert found[-1].amount == 72_000


@pytest.mark.parametrize("text, expected", [
    ("The Calgary firm gave $2 million (C$2.7 million) to the hospital.", "CAD"),
    ("The gift, worth 5 million Canadian dollars, went to the arena.", "CAD"),
    ("The miner gave A$3 million; the state added $1 million.", "AUD"),
    ("The dairy gave NZ$2 million to the marae.", "NZD"),
    ("The Chicago firm gave $2 million to the hospital.", "USD"),
    ("It gave US$2 million to the clinic.", "USD"),
    ("The Ohio maker of CAD software gave $2 million to the college.", "USD"),
    ("The Toronto bank gave 50,000 CAD to the arena and $20,000 to the pool.", "CAD"),
])
def test_article_currency(text, expected):
    assert article_currency(text) == expected
