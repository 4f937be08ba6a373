"""Money amounts in news text, found with precompiled regexes in one pass.

This runs on every article, so it avoids spaCy: a single master pattern finds
currency-marked figures ("$1.5 million", "£2m", "USD 5,000", "five million
dollars", "a seven-figure gift"), with any qualifier in front ("more than") and
any range ("between $1m and $2m"); small follow-up patterns read a period
("$50,000 a year for four years") right after the figure.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from giftwatch.extractors.lookback import ends_with

__all__ = ["Money", "find_amounts", "article_currency"]


@dataclass(frozen=True)
class Money:
    """One money mention; `text` is exactly `article_text[start:end]`.

    `amount` is in units of `currency` (the lower figure of a range, or the
    total when a per-period gift states how many periods). `per_period` is set
    ("year", "month", "week") only when the figure is per period and no count
    of periods lets us total it.
    """

    start: int
    end: int
    text: str
    amount: float | None
    amount_max: float | None
    currency: str | None
    qualifier: str | None
    per_period: str | None


# --- building blocks ---------------------------------------------------------

# Symbols and codes written before the figure. "$" alone is the caller's default.
_PREFIX_CURRENCY = {
    "$": None, "US$": "USD", "U.S.$": "USD", "USD": "USD",
    "C$": "CAD", "CA$": "CAD", "CAN$": "CAD", "Can$": "CAD", "CAD": "CAD",
    "A$": "AUD", "AU$": "AUD", "AUD": "AUD", "NZ$": "NZD", "NZD": "NZD",
    "HK$": "HKD", "HKD": "HKD", "S$": "SGD", "SGD": "SGD",
    "£": "GBP", "GBP": "GBP", "€": "EUR", "EUR": "EUR", "¥": "JPY", "JPY": "JPY",
    "₹": "INR", "Rs": "INR", "Rs.": "INR", "INR": "INR", "CHF": "CHF",
}
_CODES = ("USD|CAD|AUD|NZD|HKD|SGD|GBP|EUR|JPY|INR|CHF|CNY|ZAR|MXN|SEK|NOK|DKK")
_PREFIX = (r"(?<![A-Za-z0-9])(?:US\s?\$|U\.S\.\s?\$|CA\$|CAN\$|Can\$|C\$|AU\$|A\$|NZ\$|HK\$|S\$"
           r"|\$|£|€|¥|₹|Rs\.?|(?:" + _CODES + r")(?=\s?\d))")
# A figure: "5,000,000", "1.5", "338,384.01". A European decimal comma ("1,5")
# is refused outright rather than misread as 1.
_NUM = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![.,]?\d)"
_SCALE = (r"(?:[\s-]?(?i:trillion|billion|million|thousand|bn|mln|mn|mil)\b"
          r"|(?:MM|mm|[mMbBkK])\b)")
_SCALE_VALUES = {"trillion": 10**12, "billion": 10**9, "bn": 10**9, "b": 10**9,
                 "million": 10**6, "mln": 10**6, "mn": 10**6, "mil": 10**6, "m": 10**6,
                 "mm": 10**6, "thousand": 10**3, "k": 10**3}
# Currency named after the figure. "pounds" is also a weight: see _is_weight.
_POSTFIX = (r"(?:(?:\s+|-)(?P<{g}_word>(?:(?:U\.S\.|US|American|Canadian|Australian|New\s+Zealand"
            r"|Hong\s+Kong|Singapore)\s+)?dollars|(?:British\s+)?pounds(?:\s+sterling)?|euros"
            r"|yen|rupees|Swiss\s+francs)\b"
            r"|-(?P<{g}_adj>dollar|pound|euro)\b"
            r"|\s?(?P<{g}_code>" + _CODES + r")\b)")
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_WORD_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_WORD = "(?:" + "|".join(sorted([*_NUMBER_WORDS, "hundred", *_WORD_SCALES, "half", "a"],
                                key=len, reverse=True)) + r")\b"
# The first word is never "a": "a million-dollar gift" is the money "million-dollar". At most 12 more words
# ("one hundred and twenty-five thousand …"): unbounded, a long run of number words was retried from every
# word, quadratic (16 s for "five five five …" over 30,000 characters).
_WORDNUM = rf"(?<![\w-])(?i:(?!a\b){_WORD}(?:(?:\s+|-)(?:and\s+)?{_WORD}){{0,12}})"
_FIGURE_DIGITS = {"five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_QUALIFIERS = (r"more\s+than|less\s+than|up\s+to|at\s+least|at\s+most|as\s+much\s+as"
               r"|as\s+little\s+as|upwards\s+of|in\s+excess\s+of|close\s+to|just\s+over"
               r"|just\s+under|well\s+over|nearly|almost|about|around|approximately|approx\."
               r"|roughly|some|over|under|an\s+estimated|estimated")
# Ranges: "between A and B" only after "between"; otherwise a dash or "to".
_CONNECTOR = r"(?(btw)(?:\s+and\s+|\s*[-–—]\s*)|(?:\s*[-–—]\s*|\s+to\s+))"

_MONEY = re.compile(
    rf"""(?<![\w])(?:(?P<btw>(?i:between))\s+|(?P<qual>(?i:{_QUALIFIERS}))\s+)?
    (?P<body>
      (?P<p_cur>{_PREFIX})\s?(?P<p_num>{_NUM})(?P<p_scale>{_SCALE})?
        (?P<p_range>{_CONNECTOR}(?P<p_cur2>{_PREFIX})?\s?(?P<p_num2>{_NUM})(?P<p_scale2>{_SCALE})?)?
        (?:\s+(?P<p_code>{_CODES})\b)?
    | (?<![\w$£€¥₹.,])(?P<s_num>{_NUM})(?P<s_scale>{_SCALE})?
        (?P<s_range>{_CONNECTOR}(?P<s_num2>{_NUM})(?P<s_scale2>{_SCALE})?)?
        {_POSTFIX.format(g="s")}
    | (?(qual)(?i:a\s+)?)(?P<w_num>{_WORDNUM}){_POSTFIX.format(g="w")}
    | (?<![\w-])(?P<fig>(?i:five|six|seven|eight|nine|ten)|[5-9]|10)[\s-](?i:figures?)\b
    )""",
    re.VERBOSE,
)

_PERIOD = re.compile(
    r"(?:\s+(?:a|per|each|every)\s+|\s*/\s*)(?P<unit>year|yr|month|mo|week|wk)\b"
    r"(?!\s+(?:ago|earlier|later|before|after|old)\b)"
    r"|\s+(?P<adv>annually|yearly|per\s+annum|monthly|weekly)\b")
_PERIOD_UNITS = {"year": "year", "yr": "year", "annually": "year", "yearly": "year",
                 "per annum": "year", "month": "month", "mo": "month", "monthly": "month",
                 "week": "week", "wk": "week", "weekly": "week"}
_COUNT = re.compile(
    r",?\s+(?:for|over)\s+(?:the\s+(?:next|following)\s+|a\s+period\s+of\s+)?"
    r"(?P<count>\d{1,2}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"[\s-]+(?P<unit>year|month|week)s?\b")
# Periods per counted unit, e.g. 12 monthly payments in each counted year.
_PERIODS_PER_UNIT = {("year", "year"): 1, ("month", "month"): 1, ("week", "week"): 1,
                     ("month", "year"): 12, ("week", "year"): 52}

# Verbs after which "over" is a particle ("handed over $5m"), not a qualifier.
_OVER_VERBS = re.compile(r"(?i:\b(?:hand|turn|sign|pass|fork|shell)(?:s|ed|ing)?|given)\s+$")
# Words before a bare scale that make it vague ("a few thousand dollars").
_VAGUE_BEFORE = re.compile(r"(?i:\b(?:few|several|many|couple\s+of|tens\s+of|multi)[\s-]*)$")



def _code_by_figure(code: str) -> str:
    """A currency code that sits next to a figure ("CAD 5,000", "5,000 CAD"), not "CAD software"."""
    return rf"(?:{code}(?=\s?\d)|(?:(?<=\d)|(?<=\d\s)){code}\b)"


_DOLLAR_MARKERS = re.compile(
    r"(?<![A-Za-z])(?:(?P<CAD>CA\$|CAN\$|Can\$|C\$|" + _code_by_figure("CAD") + r"|Canadian\s+dollars?)"
    r"|(?P<AUD>AU\$|A\$|" + _code_by_figure("AUD") + r"|Australian\s+dollars?)"
    r"|(?P<NZD>NZ\$|" + _code_by_figure("NZD") + r"|New\s+Zealand\s+dollars?)"
    r"|(?P<HKD>HK\$|" + _code_by_figure("HKD") + r"|Hong\s+Kong\s+dollars?)"
    r"|(?P<SGD>S\$|" + _code_by_figure("SGD") + r"|Singapore\s+dollars?))")

_WORD_CURRENCY = {"pounds": "GBP", "euros": "EUR", "yen": "JPY", "rupees": "INR", "francs": "CHF"}
_DOLLAR_WORD_CURRENCY = {"us": "USD", "u.s.": "USD", "american": "USD", "canadian": "CAD",
                         "australian": "AUD", "new zealand": "NZD", "hong kong": "HKD",
                         "singapore": "SGD"}


# --- public API --------------------------------------------------------------

def article_currency(text: str) -> str:
    """The currency a bare "$" means in this article: USD unless another dollar is made clear.

    The most often marked non-US dollar wins ("C$", "CAD", "Canadian dollars"...).
    """
    counts = Counter(m.lastgroup for m in _DOLLAR_MARKERS.finditer(text))
    if not counts:
        return "USD"
    return counts.most_common(1)[0][0] or "USD"


def find_amounts(text: str, default_currency: str = "USD") -> list[Money]:
    """Every money mention in `text`, in order, without overlaps.

    A bare "$" or "dollars" is `default_currency`; pass `article_currency(text)`.
    Plain numbers, percentages and years carry no currency and are not money.
    """
    found: list[Money] = []
    pos = 0
    while True:
        match = _MONEY.search(text, pos)
        if match is None:
            return found
        money = _to_money(text, match, default_currency)
        if money is None:
            pos = match.start("body") + 1
            continue
        found.append(money)
        pos = money.end


# --- turning a match into Money ----------------------------------------------

def _to_money(text: str, m: re.Match, default: str) -> Money | None:
    """Read the figure(s), currency and qualifier of one match, or None if it is not money."""
    end = m.end("body")
    if m.group("p_num") is not None:
        parsed = _read_prefixed(m, default)
    elif m.group("s_num") is not None:
        parsed = _read_postfixed(text, m, default)
    elif m.group("w_num") is not None:
        parsed = _read_words(text, m, default)
    else:
        figure = m.group("fig").lower()
        digits = _FIGURE_DIGITS.get(figure) or int(figure)
        parsed = (float(10 ** (digits - 1)), float(10 ** digits - 1), default, None)
    if parsed is None:
        return None
    amount, amount_max, currency, range_end = parsed
    if not math.isfinite(amount) or (amount_max is not None and not math.isfinite(amount_max)):
        return None   # "$999…" with hundreds of digits is no sum of money (and no JSON number)
    if range_end is not None:  # the range part was refused: the money ends with the first figure
        end = range_end

    start, qualifier = _qualifier(text, m, has_range=amount_max is not None and range_end is None)
    amount, amount_max, per_period, end = _apply_period(text, end, amount, amount_max)
    return Money(start, end, text[start:end], amount, amount_max, currency, qualifier, per_period)


def _value(number: str, scale: str | None) -> float:
    """"1.5" with " million" -> 1500000.0, exactly (Decimal avoids 1199999999.9998)."""
    value = Decimal(number.replace(",", ""))
    if scale:
        value *= _SCALE_VALUES[scale.strip(" -").lower()]
    return float(value)


def _range(num1: str, scale1: str | None, num2: str | None, scale2: str | None,
           second_ok: bool) -> tuple[float, float | None, bool]:
    """Both ends of a range, or (first, None, True) when the second figure is not part of it.

    "$1-2 million" lends the second scale to the first; "$5 million to 12 schools"
    is no range (`second_ok` False), nor is a "range" that runs downhill.
    """
    if num2 is None:
        return _value(num1, scale1), None, False
    if not second_ok:
        return _value(num1, scale1), None, True
    first_scale = scale1
    if not scale1 and scale2 and Decimal(num1.replace(",", "")) <= Decimal(num2.replace(",", "")):
        first_scale = scale2
    low, high = _value(num1, first_scale), _value(num2, scale2)
    if high <= low:
        return _value(num1, scale1), None, True
    return low, high, False


def _second_figure_ok(m: re.Match, group: str, second_marked: bool) -> bool:
    """Whether the figure after a dash/"to"/"and" can close a range.

    An unmarked bare number closes one only after a dash or "and", and only when
    the first figure has no scale either ("$500-1,000", not "$5 million-12").
    """
    if second_marked or m.group(f"{group}_scale2"):
        return True
    connector = m.group(f"{group}_range")
    if connector.lstrip().lower().startswith("to"):
        return False
    return not m.group(f"{group}_scale")


def _read_prefixed(m: re.Match, default: str):
    low, high, refused = _range(m.group("p_num"), m.group("p_scale"), m.group("p_num2"),
                                m.group("p_scale2"),
                                m.group("p_range") is not None
                                and _second_figure_ok(m, "p", m.group("p_cur2") is not None))
    symbol = re.sub(r"\s", "", m.group("p_cur"))
    if refused:
        range_end = m.end("p_scale") if m.group("p_scale") else m.end("p_num")
        return low, None, _PREFIX_CURRENCY.get(symbol) or default, range_end
    currency = m.group("p_code") or _PREFIX_CURRENCY.get(symbol) or default
    return low, high, currency, None


def _postfix_currency(m: re.Match, group: str, default: str) -> str:
    """The currency named after a figure: a code, "-dollar", "Canadian dollars", "pounds"..."""
    code, adj, word = m.group(f"{group}_code"), m.group(f"{group}_adj"), m.group(f"{group}_word")
    if code:
        return code
    if adj:
        return {"dollar": default, "pound": "GBP", "euro": "EUR"}[adj.lower()]
    word = re.sub(r"\s+", " ", word.lower())
    if word.endswith("dollars"):
        return _DOLLAR_WORD_CURRENCY.get(word[: -len("dollars")].strip(), default)
    return next(iso for name, iso in _WORD_CURRENCY.items() if name in word)


def _is_weight(text: str, m: re.Match, group: str, has_scale: bool) -> bool:
    """"500 pounds of food" is a weight: pounds count as money only with a scale word."""
    word = (m.group(f"{group}_word") or m.group(f"{group}_adj") or "").lower()
    if "pound" not in word:
        return False
    return not has_scale or re.match(r"\s+of\b", text[m.end("body"):]) is not None


def _read_postfixed(text: str, m: re.Match, default: str):
    if _is_weight(text, m, "s", bool(m.group("s_scale") or m.group("s_scale2"))):
        return None
    low, high, refused = _range(m.group("s_num"), m.group("s_scale"), m.group("s_num2"),
                                m.group("s_scale2"),
                                m.group("s_range") is not None and _second_figure_ok(m, "s", False))
    if refused:  # "5 million to 12 dollars": the currency belongs to the second figure only
        return None
    return low, high, _postfix_currency(m, "s", default), None


def _read_words(text: str, m: re.Match, default: str):
    words = m.group("w_num")
    value = _words_value(words)
    if value is None or ends_with(_VAGUE_BEFORE, text, m.start("w_num")):
        return None
    has_scale = any(s in words.lower() for s in ("hundred", *_WORD_SCALES))
    if _is_weight(text, m, "w", has_scale):
        return None
    return value, None, _postfix_currency(m, "w", default), None


def _words_value(words: str) -> float | None:
    """"twenty-five thousand" -> 25000; "half a million" -> 500000; None if not a number."""
    tokens = [t for t in re.split(r"[\s-]+", words.lower()) if t != "and"]
    if not tokens or all(t in ("a", "half") for t in tokens):
        return None
    total, current, multiplier = Decimal(0), Decimal(0), Decimal(1)
    article_a = False  # the last token was "a" meaning "one", not the "a" of "and a half"
    for token in tokens:
        if token in _NUMBER_WORDS:
            current += _NUMBER_WORDS[token]
        elif token == "a":
            article_a = not current
            current = current or Decimal(1)
            continue
        elif token == "half":
            if current and not article_a:  # "two and a half million"
                current += Decimal("0.5")
            else:  # "half a million", "a half-million"
                current, multiplier = Decimal(0), Decimal("0.5")
        elif token == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _WORD_SCALES[token] * multiplier
            current, multiplier = Decimal(0), Decimal(1)
        article_a = False
    if multiplier != 1:
        return None
    return float(total + current)


def _qualifier(text: str, m: re.Match, has_range: bool) -> tuple[int, str | None]:
    """Where the mention starts and its qualifier, lower-cased with single spaces."""
    if m.group("btw") is not None:
        if has_range:
            return m.start(), "between"
        return m.start("body"), None
    qual = m.group("qual")
    if qual is None:
        return m.start("body"), None
    normal = re.sub(r"\s+", " ", qual.lower())
    if normal == "over" and ends_with(_OVER_VERBS, text, m.start()):
        return m.start("body"), None
    return m.start(), normal


def _apply_period(text: str, end: int, amount: float, amount_max: float | None):
    """Read "a year" (and "for four years") after the figure: total it, or note the period."""
    period = _PERIOD.match(text, end)
    if period is None:
        return amount, amount_max, None, end
    unit = _PERIOD_UNITS[re.sub(r"\s+", " ", (period.group("unit") or period.group("adv")).lower())]
    count = _COUNT.match(text, period.end())
    if count is not None:
        factor = _PERIODS_PER_UNIT.get((unit, count.group("unit")))
        raw = count.group("count").lower()
        periods = int(raw) if raw.isdigit() else _NUMBER_WORDS[raw]
        if factor is not None and periods > 0:
            times = factor * periods
            high = amount_max * times if amount_max is not None else None
            return amount * times, high, None, count.end()
    return amount, amount_max, unit, period.end()
