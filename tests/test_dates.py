"""Date mentions: what a gift's `date` becomes once resolved against the publication date."""
from __future__ import annotations

import pytest

from giftwatch.extractors.dates import DateMention, find_dates, resolve_date

SUMMER = "2018-06-20"    # a Wednesday
NEW_YEAR = "2025-01-05"  # a Sunday, days after a year boundary


def dates(text: str, published: str | None) -> list[tuple[str, str | None]]:
    """(text, value) of every mention, checking each span is exact."""
    found = find_dates(text, published)
    assert all(isinstance(d, DateMention) and text[d.start:d.end] == d.text for d in found)
    return [(d.text, d.value) for d in found]


@pytest.mark.parametrize("sentence, published, expected", [
    ("In February, the couple gave $500,000 to the movement.", SUMMER, [("February", "2018-02")]),
    ("In November, the bank opened its matching fund.", SUMMER, [("November", "2017-11")]),
    ("The hospice got the cheque in June.", SUMMER, [("June", "2018-06")]),
    ("In December, the alumni gave $2 million.", NEW_YEAR, [("December", "2024-12")]),
    ("The estate was settled in February.", None, [("February", None)]),
    ("Since May, the pantry has fed 300 families.", SUMMER, [("May", "2018-05")]),
    ("Donations doubled last November.", SUMMER, [("last November", "2017-11")]),
    ("Donations rose last February.", "2018-02-10", [("last February", "2017-02")]),
    ("The drive resumes next February.", SUMMER, [("next February", "2019-02")]),
    ("Work began in mid-February.", SUMMER, [("mid-February", "2018-02")]),
])
def test_lone_months_take_the_year_of_the_publication_or_the_one_before(sentence, published, expected):
    assert dates(sentence, published) == expected


@pytest.mark.parametrize("sentence, published, expected", [
    ("The check was presented on February 14.", SUMMER, [("February 14", "2018-02-14")]),
    ("The check was presented on Feb. 14.", SUMMER, [("Feb. 14", "2018-02-14")]),
    ("The check was presented on 14 February.", SUMMER, [("14 February", "2018-02-14")]),
    ("The check was presented on the 14th of February.", SUMMER, [("14th of February", "2018-02-14")]),
    ("The gift was signed February 14, 2017.", SUMMER, [("February 14, 2017", "2017-02-14")]),
    ("The gift was signed February 14, 2017.", None, [("February 14, 2017", "2017-02-14")]),
    ("The gift was signed on February 14.", None, [("February 14", None)]),
    ("On February 7th, all proceeds go to the fund.", "2025-02-03", [("February 7th", "2025-02-07")]),
    ("The gala on December 20 raised $1 million.", NEW_YEAR, [("December 20", "2024-12-20")]),
    ("The walk on January 15 will raise funds.", "2025-12-20", [("January 15", "2026-01-15")]),
    ("Pledges came in Feb 2019.", SUMMER, [("Feb 2019", "2019-02")]),
    ("In May 2024, the roofers finished the job.", SUMMER, [("May 2024", "2024-05")]),
    ("The deal closed on 2025-03-04, or 3/4/2025.", SUMMER, [("2025-03-04", "2025-03-04"),
                                                              ("3/4/2025", "2025-03-04")]),
])
def test_month_and_day(sentence, published, expected):
    assert dates(sentence, published) == expected


@pytest.mark.parametrize("sentence, published, expected", [
    ("Today, the foundation will donate $100,000.", SUMMER, [("Today", "2018-06-20")]),
    ("The firm today announced a $100,000 donation.", SUMMER, [("today", "2018-06-20")]),
    ("The firm today announced a $100,000 donation.", "2018-06", [("today", "2018-06")]),
    ("The mayor thanked the donors yesterday.", SUMMER, [("yesterday", "2018-06-19")]),
    ("The mayor thanked the donors yesterday.", NEW_YEAR, [("yesterday", "2025-01-04")]),
    ("The pledge was signed last week.", SUMMER, [("last week", "2018-06")]),
    ("The pledge was signed last week.", NEW_YEAR, [("last week", "2024-12")]),
    ("The pledge is being signed this week.", SUMMER, [("this week", "2018-06")]),
    ("The chain gave $5,000 earlier this month.", SUMMER, [("earlier this month", "2018-06")]),
    ("Last month, the couple gave $70 million.", SUMMER, [("Last month", "2018-05")]),
    ("Last month, the couple gave $70 million.", NEW_YEAR, [("Last month", "2024-12")]),
    ("The school received a gift last year.", SUMMER, [("last year", "2017")]),
    ("The stores gave $351,000 this year.", SUMMER, [("this year", "2018")]),
    ("The stores gave $351,000 this year.", None, [("this year", None)]),
])
def test_relative_words(sentence, published, expected):
    assert dates(sentence, published) == expected


@pytest.mark.parametrize("sentence, published, expected", [
    ("The university announced on Monday it got $63 million.", SUMMER, [("Monday", "2018-06-18")]),
    ("The university announced Monday it got $63 million.", SUMMER, [("Monday", "2018-06-18")]),
    ("The university announced on Wednesday it got $63 million.", SUMMER, [("Wednesday", "2018-06-20")]),
    ("The check was handed over last Tuesday.", SUMMER, [("last Tuesday", "2018-06-19")]),
    ("The check came before Sunday's race.", "2024-04-19", [("Sunday", "2024-04-14")]),
    ("The check was signed on Friday.", NEW_YEAR, [("Friday", "2025-01-03")]),
    ("The ceremony is next Monday.", SUMMER, [("next Monday", "2018-06-25")]),
    ("A ceremony was held on Monday, March 3, at the hall.", SUMMER, [("Monday, March 3", "2018-03-03")]),
    ("A ceremony was held on Tuesday, July 29, in the park.", "2025-08-06", [("Tuesday, July 29", "2025-07-29")]),
    ("The ceremony was on Monday.", None, [("Monday", None)]),
])
def test_weekdays_are_the_latest_such_day_up_to_publication(sentence, published, expected):
    assert dates(sentence, published) == expected


@pytest.mark.parametrize("sentence, expected", [
    ("In 2019, the bank gave $2 million.", [("2019", "2019")]),
    ("His previous gift in 2019 set up a chair.", [("2019", "2019")]),
    ("The clinic has served the city since 1962.", [("1962", "1962")]),
    ("Sales during 2023 funded the grant.", [("2023", "2023")]),
    ("Fiscal 2024 giving rose.", [("2024", "2024")]),
    ("The FY2021 report lists the gift.", [("FY2021", "2021")]),
    ("The gift arrived in late 2019.", [("late 2019", "2019")]),
])
def test_years_with_context(sentence, expected):
    assert dates(sentence, SUMMER) == expected


@pytest.mark.parametrize("sentence", [
    "The gift may help the clinic hire two nurses.",
    "Students will march to the capitol with March For Our Lives.",
    "The donation went to March of Dimes.",
    "Donors gave $2019 in small bills.",
    "The office at 2019 Main Street is closing.",
    "The charity's offices are in 2019 Main Street.",
    "In 2,019 cases the fund paid out.",
    "In the late 1960s the order founded the school.",
    "The drive ran on Giving Tuesday.",
    "She told USA Today about the gift.",
    "The clinic raised funds in the spring.",
    "The couple recently gave to the clinic.",
    "Volunteers work on mondays.",
])
def test_words_that_are_not_dates_here(sentence):
    assert find_dates(sentence, SUMMER) == []


def test_march_the_name_and_march_the_date_in_one_sentence():
    text = "March For Our Lives will hold its rally on March 24, the organizers said."
    assert dates(text, "2018-02-20") == [("March 24", "2018-03-24")]


def test_mentions_come_in_text_order_with_exact_offsets():
    text = ("On Wednesday, Morgan State said it received $63 million. "
            "The gift follows a $20 million donation in 2020. Last month, Scott gave $70 million.")
    assert dates(text, "2025-10-17") == [("Wednesday", "2025-10-15"), ("2020", "2020"),
                                         ("Last month", "2025-09")]


@pytest.mark.parametrize("expression, published, expected", [
    ("In February", "2018-06-20", "2018-02"),
    ("In November", "2018-06", "2017-11"),
    ("February", "2018-06-20", "2018-02"),
    ("In February", None, None),
    ("February 14, 2017", None, "2017-02-14"),
    ("today", "2018-06-20", "2018-06-20"),
    ("last week", "2025-01-05", "2024-12"),
    ("in December", "2025-01-05", "2024-12"),
    ("in the spring", "2018-06-20", None),
    ("recently", "2018-06-20", None),
    ("last Tuesday", "not a date", None),
])
def test_resolve_date(expression, published, expected):
    assert resolve_date(expression, published) == expected


@pytest.mark.parametrize("sentence, published, expected", [
    ("The trust awarded the grant last fall.", "2025-02-26", [("last fall", "2024")]),
    ("The trust awarded the grant last fall.", "2025-12-10", [("last fall", "2025")]),
    ("The gift arrived this spring.", "2025-09-17", [("this spring", "2025")]),
    ("The wing opens next summer.", "2025-07-01", [("next summer", "2026")]),
    ("The wing opens next summer.", "2025-03-01", [("next summer", "2025")]),
    ("The appeal ran last winter.", "2025-03-01", [("last winter", "2024")]),
])
def test_seasons_take_the_year_they_fall_in(sentence, published, expected):
    assert dates(sentence, published) == expected
