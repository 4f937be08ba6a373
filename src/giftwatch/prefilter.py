"""A cheap pre-pass over raw text (no parse) that decides which articles need spaCy at all.

Most articles of a news crawl report no gift. Regexes cost a few hundred times less than the
parse, so an ingest runs them first: only an article that *can* hold a gift (a gift word, money
told as given, a named private funder) is parsed and fully extracted; the rest are stored without
gifts, and without quotes unless the ingest asks for every article's quotes. `giftwatch eval`
never uses this module: gold articles always get the full pipeline.

The words are the gift vocabulary of the extractors (gift verbs and nouns, kinds, tributes),
written as surface forms. On ../shared/corpus (press releases) the pre-pass sends about 7% of the
articles to spaCy, and the articles it turns away that the full pipeline would have found a
"gift" in were, when checked, shop gifts, investments and book contributions.
`tests/test_prefilter.py` checks that no gift article of the gold files and of the bundled test
data is turned away.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from giftwatch.extractors.quotemarks import quotations

# Words that announce a gift on their own, amount or not ("donated her papers to", "a bequest to").
_GIFT_WORD = re.compile(r"\b(?:donat(?:e|ed|es|ing|ion|ions|or|ors)|bequest|bequests|bequeath\w*|"
                        r"endow(?:s|ed|ing|ment|ments)?)\b", re.IGNORECASE)
# Words that announce a gift only beside money or a charitable cause: in press releases "gift" is mostly
# shopping ("the perfect gift", "gift cards"), "pledge" a promise, "philanthropic" a company's manner.
_GIFT_WORD_IN_CONTEXT = re.compile(r"\b(?:gift(?:s|ed)?|pledg(?:e|ed|es|ing)|philanthrop\w*)\b", re.IGNORECASE)
_CHARITABLE = re.compile(
    r"\b(?:foundation|charit\w*|non-?profits?|not-for-profit|501\(c\)|hospitals?|hospices?|universit\w*|colleges?|"
    r"schools?|museums?|librar\w*|church\w*|shelters?|food\s+banks?|funds?|scholarships?|campaign|relief|donors?|"
    r"trust|societ\w*|orchestras?|zoos?|clinics?|in\s+(?:memory|hono(?:u)?r)\s+of)\b", re.IGNORECASE)
_CONTEXT_REACH = 200

_GIFT_STEMS = ("donat", "beque", "endow")   # cheap tests before the regexes
_CONTEXT_STEMS = ("gift", "pledg", "philanthrop")

# Money as the amount extractor reads it: symbols, ISO codes, "five million dollars", "£2m", "$250K".
# Two regexes, because one that starts with a character class is searched many times faster; the
# second runs only on texts that name a currency in words.
_MONEY_SYMBOL = re.compile(r"[$£€¥₹]\s?\d[\d,.]*(?:\s?(?:[kKmM]|bn|thousand|million|billion)\b)?")
_MONEY_WORDS = re.compile(
    r"\b\d[\d,.]*\s?(?:k|m|bn|thousand|million|billion)?\s*(?:dollars|pounds|euros|USD|GBP|EUR|CAD|AUD)\b"
    r"|\b(?:hundred|thousand|million|billion)\s+(?:dollars|pounds|euros)\b|\b(?:six|seven|eight|nine)[- ]figure\b",
    re.IGNORECASE)
_CURRENCY_WORDS = ("dollar", "pound", "euro", "usd", "gbp", "eur", "cad", "aud", "figure")
_REACH = 80   # characters looked at either side of an amount, within its paragraph

# Money told as given, without a gift word; each pattern is tried on the words just before or just
# after an amount: "gave £2m to", "has given the school between $500,000 and", "left $1.8 million to",
# "received $750,000 from", "a $100,000 check", "a grant of $10,000", "will match every dollar ... up to
# $100,000", "$6 million from the Ellery Foundation", "$3 million in her will".
_SAME_SENTENCE = r"[^.!?]{0,80}$"   # from the verb to the amount, no sentence ends
_GIVEN_BEFORE = re.compile(r"\b(?:giv(?:e|es|en|ing)|gave|grant(?:s|ed|ing)?|match(?:es|ed|ing)?)\b" + _SAME_SENTENCE
                           + r"|\b(?:left|leaves?)\s+(?:(?:an?|the|about|nearly|more\s+than|over)\s+)?$",
                           re.IGNORECASE)
# Verbs that as often pay for business ("awarded a $5 million contract", "provides $50 off"): money after
# them counts only when it goes to someone named: "contributed $500 to Ronald McDonald House".
_PAID_BEFORE = re.compile(r"\b(?:provid(?:e|ed|es|ing)|commit(?:s|ted|ting)?|contribut(?:e|ed|es|ing)|"
                          r"award(?:s|ed|ing)?)\b" + _SAME_SENTENCE, re.IGNORECASE)
_TO_NAMED = re.compile(r"^[^.!?]{0,40}?\bto\s+(?:the\s+)?[A-Z]")
_RECEIVED_BEFORE = re.compile(r"\b(?:receiv(?:e|ed|es|ing)|accept(?:s|ed|ing)?|secur(?:e|ed|es|ing)|got|gets|"
                              r"wins?|won)\b" + _SAME_SENTENCE, re.IGNORECASE)
_FROM = re.compile(r"^[^.!?]{0,80}?\bfrom\b", re.IGNORECASE)
_GIFT_NOUN_AFTER = re.compile(r"^[^\n]{0,40}?\b(?:grants?|contributions?|commitments?|checks?|cheques?|"
                              r"match(?:es|ing)?|scholarships?)\b", re.IGNORECASE)
_GIFT_NOUN_OF = re.compile(r"\b(?:grants?|checks?|cheques?|contributions?|commitments?)\s+(?:of|worth|totaling|"
                           r"totalling)\s+(?:(?:about|nearly|almost|over|more\s+than)\s+)?$", re.IGNORECASE)
_BEQUEATHED_AFTER = re.compile(r"\bin\s+(?:his|her|their)\s+wills?\b|\bfrom\s+(?:the\s+)?(?:estate|late)\b",
                               re.IGNORECASE)
_FUNDER = r"(?:[A-Z][\w.&'’-]*\s+){1,6}(?:Foundation|Trust|Fund|Charities|Endowment)\b"
_FROM_FUNDER_AFTER = re.compile(rf"^[^\n]{{0,60}}?\bfrom\s+(?:the\s+)?{_FUNDER}")

# An amountless grant or funding named by its private funder: "funding came from the Richard King
# Mellon Foundation", "grants from the Community Foundation of Broward", "the X Trust funded".
_FUNDER_NAMES = ("Foundation", "Trust", "Fund", "Charities", "Endowment")
_FUNDER_WORD = re.compile(rf"\b(?:{'|'.join(_FUNDER_NAMES)})\b")
_FUNDING_BEFORE = re.compile(r"\b(?:[Gg]rants?|[Ff]unding|[Gg]enerosity)\b[^.\n]{0,80}\b(?:from|by|of)\s+(?:the\s+)?"
                             r"(?:[A-Z][\w.&'’-]*\s+){1,6}$")
_FUNDING_AFTER = re.compile(r"^[^.\n]{0,60}?\b(?:grant(?:s|ed)?|award(?:s|ed)|fund(?:s|ed)|support(?:s|ed))\b")


def _paragraph_window(text: str, start: int, end: int, reach: int) -> tuple[str, str]:
    """The text up to `reach` characters before `start` and after `end`, not crossing a line break."""
    low, high = max(0, start - reach), min(len(text), end + reach)
    newline_before, newline_after = text.rfind("\n", low, start), text.find("\n", end, high)
    before = text[newline_before + 1 if newline_before >= 0 else low:start]
    after = text[end:newline_after if newline_after >= 0 else high]
    return before, after


def _amounts(text: str, lowered: str) -> Iterator[re.Match]:
    yield from _MONEY_SYMBOL.finditer(text)
    if any(word in lowered for word in _CURRENCY_WORDS):
        yield from _MONEY_WORDS.finditer(text)


def _money_given(text: str, lowered: str) -> bool:
    for money in _amounts(text, lowered):
        before, after = _paragraph_window(text, money.start(), money.end(), _REACH)
        if (_GIVEN_BEFORE.search(before) or _GIFT_NOUN_AFTER.search(after) or _GIFT_NOUN_OF.search(before)
                or _PAID_BEFORE.search(before) and _TO_NAMED.search(after)
                or _RECEIVED_BEFORE.search(before) and _FROM.search(after)
                or _BEQUEATHED_AFTER.search(after) or _FROM_FUNDER_AFTER.search(after)):
            return True
    return False


def _named_funder(text: str) -> bool:
    if not any(word in text for word in _FUNDER_NAMES):
        return False
    for funder in _FUNDER_WORD.finditer(text):
        before, after = _paragraph_window(text, funder.start(), funder.end(), 160)
        if _FUNDING_BEFORE.search(before) or _FUNDING_AFTER.search(after):
            return True
    return False


def may_hold_gift(text: str) -> bool:
    """True when the text tells of giving as the extractors read it: a gift word, money told as given,
    or a named private funder. False means no gift worth keeping, so the article need not be parsed."""
    lowered = text.lower()
    if any(stem in lowered for stem in _GIFT_STEMS) and _GIFT_WORD.search(text):
        return True
    if any(stem in lowered for stem in _CONTEXT_STEMS) and _gift_word_in_context(text, lowered):
        return True
    return _money_given(text, lowered) or _named_funder(text)


def _gift_word_in_context(text: str, lowered: str) -> bool:
    """"gift", "pledge", "philanthropy" with money or a charitable body in the same paragraph."""
    for word in _GIFT_WORD_IN_CONTEXT.finditer(text):
        before, after = _paragraph_window(text, word.start(), word.end(), _CONTEXT_REACH)
        window = before + after
        if _CHARITABLE.search(window) or _MONEY_SYMBOL.search(window) or any(
                currency in window.lower() for currency in _CURRENCY_WORDS) and _MONEY_WORDS.search(window):
            return True
    return False


def has_quotations(text: str) -> bool:
    """True when the text holds at least one quotation (three or more words in quotation marks, not a
    title or nickname): an article without one yields no quote, parsed or not."""
    return bool(quotations(text))


PARSE = "parse"          # may hold a gift: parse, extract gifts and quotes
QUOTES_ONLY = "quotes"   # no gift vocabulary but a quotation, and every article's quotes were asked for
STORE = "store"          # nothing to parse for: store the article without gifts or quotes


def route(text: str, *, all_quotes: bool = False, prefilter: bool = True) -> str:
    """What an ingest does with an article: PARSE it, parse it for QUOTES_ONLY (with `all_quotes`), or
    STORE it as it is. With the pre-pass off, every article is parsed."""
    if not prefilter or may_hold_gift(text):
        return PARSE
    if all_quotes and has_quotations(text):
        return QUOTES_ONLY
    return STORE
