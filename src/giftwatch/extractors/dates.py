"""Date mentions in news text, resolved against the publication date.

One precompiled pattern, one pass. Words that are only sometimes dates are
held to context: "May" and "March" (verbs, names) count alone only after "in",
"since", "last"...; weekday names only when capitalised; a bare year only
after "in", "since", "of", "fiscal"... so "$2019" and "2019 Main Street" stay
out. Values are ISO at the precision the text gives ("2018", "2018-02",
"2018-02-14"), or None when no year can be known.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from giftwatch.extractors.lookback import ends_with

__all__ = ["DateMention", "find_dates", "resolve_date"]


@dataclass(frozen=True)
class DateMention:
    """One date mention; `text` is exactly `article_text[start:end]`."""

    start: int
    end: int
    text: str
    value: str | None


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_MONTH_NUMBERS = {name: i for i, name in enumerate(_MONTHS, 1)}
_MONTH_NUMBERS.update({name[:3]: i for i, name in enumerate(_MONTHS, 1)})
_MONTH_NUMBERS["Sept"] = 9
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

_MONTH_FULL = r"(?:" + "|".join(_MONTHS) + r")\b"
# "Feb." or "Feb" but never "May." swallowing a sentence's full stop.
_MONTH = (r"(?:" + _MONTH_FULL + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
          r"(?:\.|\b))")
_WEEKDAY = r"(?:" + "|".join(_WEEKDAYS) + r")\b"
_YEAR = r"(?:19|20)\d\d(?![\d%]|[.,]\d|s\b)"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\d%:]|,\d{3}\b)"
# Words after which a lone month or year is a date ("in May", "since 2019").
_CONTEXT = (r"in|on|since|during|until|till|through|throughout|by|from|before|after|of|"
            r"fiscal(?:\s+year)?|as\s+of")
_STREET = r"\s+(?:[A-Z]\w*\s+)+(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Way)\b"

_DATE = re.compile(
    rf"""(?<![\w-])(?:(?P<ctx>(?i:{_CONTEXT}))\s+)?(?:the\s+(?=\d))?
    (?P<d>
      (?<![\d/])(?P<iso_y>(?:19|20)\d\d)-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>0[1-9]|[12]\d|3[01])(?!\d)
    | (?<![\d/])(?P<us_m>1[0-2]|0?[1-9])/(?P<us_d>3[01]|[12]\d|0?[1-9])/(?P<us_y>(?:19|20)\d\d)(?!\d)
    | (?:{_WEEKDAY},?\s+)?(?P<md_m>{_MONTH})\s*(?P<md_d>{_DAY})(?:,?\s+(?P<md_y>{_YEAR}))?
    | (?:{_WEEKDAY},?\s+)?(?<![\d$£€.,])(?P<dm_d>{_DAY})\s+(?:of\s+)?(?P<dm_m>{_MONTH})
        (?:,?\s+(?P<dm_y>{_YEAR}))?
    | (?P<my_mod>(?i:early|late|mid)[\s-]+)?(?P<my_m>{_MONTH}),?\s+(?:of\s+)?(?P<my_y>{_YEAR})
    | FY\s?(?P<fy_y>(?:19|20)\d\d)(?!\d)
    | (?P<ma_mod>(?i:this\s+past|last|this|next|early|late|mid)[\s-]+)?
        (?(ma_mod)|(?(ctx)|(?!)))(?P<ma_m>{_MONTH_FULL})(?!\s+(?:For|of\s+Dimes|Madness)\b)
    | (?P<y_mod>(?i:early|late|mid|spring|summer|fall|autumn|winter)[\s-]+)?
        (?(y_mod)|(?(ctx)|(?!)))(?P<y_y>{_YEAR})(?!{_STREET})
    | (?P<rel>(?i:(?:earlier\s+)?today|yesterday|tomorrow|tonight
        |(?:earlier\s+|later\s+)?this\s+(?:week|weekend|month|year)
        |(?:this\s+past|last|next)\s+(?:week|weekend|month|year)
        |(?:this\s+past|last|this|next)\s+(?:spring|summer|fall|autumn|winter)))\b
    | (?P<wd_mod>(?i:this\s+past|last|past|this|next)\s+)?(?P<wd>{_WEEKDAY})
    )""",
    re.VERBOSE,
)
# Day names inside holiday names: "Giving Tuesday" is not "last Tuesday".
_HOLIDAY_BEFORE = re.compile(r"\b(?:Giving|Black|Cyber|Good|Ash|Super|Easter|Palm|Holy|Small\s+Business)"
                             r"\s+$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\"“”'‘’(\n])\s*$")
_NEWSPAPER_BEFORE = re.compile(r"\bUSA\s+$")


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """Every date mention in `text`, in order, with its value resolved against `published`.

    `published` is "YYYY-MM-DD", "YYYY-MM", "YYYY" or None; a value that cannot be
    read as one is treated as unknown, so only explicit years resolve.
    """
    anchor = _Anchor.parse(published)
    found = []
    for m in _DATE.finditer(text):
        if not _is_date(text, m):
            continue
        start, end = m.span("d")
        found.append(DateMention(start, end, text[start:end], _resolve(m, anchor)))
    return found


def resolve_date(expression: str, published: str | None) -> str | None:
    """The ISO value of one date expression ("In February", "last week", "Feb. 14, 2017").

    A lone month or weekday ("February") is accepted here even without context,
    since the caller has already decided it is a date.
    """
    for mention in find_dates(expression, published):
        return mention.value
    bare = expression.strip().rstrip(".,")
    if bare in _MONTHS:
        return resolve_date("in " + bare, published)
    return None


# --- resolution ----------------------------------------------------------------

@dataclass(frozen=True)
class _Anchor:
    """The publication date and how precisely it is known ("year", "month" or "day")."""

    day: date | None
    precision: str | None

    @classmethod
    def parse(cls, published: str | None) -> "_Anchor":
        if not published:
            return cls(None, None)
        m = re.match(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", published)
        if m is None:
            return cls(None, None)
        year, month, day = m.group(1), m.group(2), m.group(3)
        try:
            return cls(date(int(year), int(month or 1), int(day or 1)),
                       "day" if day else "month" if month else "year")
        except ValueError:
            return cls(None, None)

    def at(self, when: date, precision: str) -> str:
        """`when` written at the finer-grained of `precision` and what the anchor supports."""
        order = ["year", "month", "day"]
        level = min(order.index(precision), order.index(self.precision or "year"))
        return when.isoformat()[: (4, 7, 10)[level]]


def _is_date(text: str, m: re.Match) -> bool:
    """Reject matches whose words are names here: "Giving Tuesday", "USA Today", "Today show"."""
    start = m.start("d")
    if m.group("wd") is not None and ends_with(_HOLIDAY_BEFORE, text, start):
        return False
    rel = m.group("rel")
    if rel is not None and rel[0].isupper() and m.group("ctx") is None:
        if ends_with(_NEWSPAPER_BEFORE, text, start) or not ends_with(_SENTENCE_START, text, start):
            return False
    return True


def _resolve(m: re.Match, anchor: _Anchor) -> str | None:
    g = m.group
    if g("iso_y"):
        return _exact(int(g("iso_y")), int(g("iso_m")), int(g("iso_d")))
    if g("us_y"):
        return _exact(int(g("us_y")), int(g("us_m")), int(g("us_d")))
    if g("md_m"):
        return _month_day(_month(g("md_m")), _day(g("md_d")), g("md_y"), anchor)
    if g("dm_m"):
        return _month_day(_month(g("dm_m")), _day(g("dm_d")), g("dm_y"), anchor)
    if g("my_m"):
        return f"{g('my_y')}-{_month(g('my_m')):02d}"
    if g("fy_y"):
        return g("fy_y")
    if g("ma_m"):
        return _lone_month(_month(g("ma_m")), (g("ma_mod") or "").lower().split(), anchor)
    if g("y_y"):
        return g("y_y")
    if g("rel"):
        return _relative(" ".join(g("rel").lower().split()), anchor)
    return _weekday(_WEEKDAYS.index(g("wd")), (g("wd_mod") or "").lower().split(), anchor)


def _month(name: str) -> int:
    name = name.rstrip(".")
    return _MONTH_NUMBERS.get(name) or _MONTH_NUMBERS[name[:3]]


def _day(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _exact(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:  # "February 30"
        return None


# An undated day this far after publication is an upcoming event; later ones were last year's.
_UPCOMING_DAYS = 92


def _month_day(month: int, day: int, year: str | None, anchor: _Anchor) -> str | None:
    """"February 14" takes the latest year that puts it no more than ~3 months after publication."""
    if year is not None:
        return _exact(int(year), month, day)
    if anchor.day is None:
        return None
    if anchor.precision != "day":  # only the month is known: "February 14" follows "In February"
        return _exact(int(_lone_month(month, [], anchor)[:4]), month, day)
    for candidate_year in (anchor.day.year + 1, anchor.day.year, anchor.day.year - 1):
        value = _exact(candidate_year, month, day)
        if value and date.fromisoformat(value) <= anchor.day + timedelta(days=_UPCOMING_DAYS):
            return value
    return None


def _lone_month(month: int, modifiers: list[str], anchor: _Anchor) -> str | None:
    """"In February": this year's, unless February is still ahead, then last year's."""
    if anchor.day is None:
        return None
    year, now = anchor.day.year, anchor.day.month
    if anchor.precision == "year" or "this" in modifiers and "past" not in modifiers:
        pass
    elif "next" in modifiers:
        year += month <= now
    elif "last" in modifiers or "past" in modifiers:
        year -= month >= now
    elif month > now:
        year -= 1
    return f"{year}-{month:02d}"


def _relative(phrase: str, anchor: _Anchor) -> str | None:
    """"today", "last week", "this year"... at the precision the phrase carries."""
    if anchor.day is None:
        return None
    today = anchor.day
    words = phrase.split()
    unit = words[-1]
    if unit in ("today", "tonight"):
        return anchor.at(today, "day")
    if unit in ("yesterday", "tomorrow"):
        return anchor.at(today + timedelta(days=-1 if unit == "yesterday" else 1), "day")
    step = -1 if ("last" in words or "past" in words) else 1 if "next" in words else 0
    if unit in _SEASON_MONTHS:
        return _season_year(_SEASON_MONTHS[unit], step, today)
    if unit == "year":
        return str(today.year + step)
    if unit == "month":
        month_index = today.year * 12 + today.month - 1 + step
        return f"{month_index // 12}-{month_index % 12 + 1:02d}"
    if unit == "weekend" and step == -1:  # the Saturday just gone
        return anchor.at(today - timedelta(days=(today.weekday() - 5) % 7 or 7), "month")
    return anchor.at(today + timedelta(days=7 * step), "month")


# First and last month of each season (northern hemisphere; winter is dated by its December).
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}


def _season_year(months: tuple[int, int], step: int, today: date) -> str:
    """"last fall" in February 2025 is 2024; "this spring" is the published year; "next summer" the coming one."""
    first, last = months
    year = today.year
    if step < 0 and (last >= today.month or first > last):
        year -= 1   # that season has not ended yet this year, so the last one was a year ago
    elif step > 0 and first <= today.month:
        year += 1
    return str(year)


def _weekday(weekday: int, modifiers: list[str], anchor: _Anchor) -> str | None:
    """"on Monday", "last Tuesday": the latest such day on or before publication; "next": after."""
    if anchor.day is None:
        return None
    today = anchor.day
    if "next" in modifiers:
        when = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    else:
        when = today - timedelta(days=(today.weekday() - weekday) % 7)
    return anchor.at(when, "day")
