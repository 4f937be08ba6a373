"""Find quoted spans by their quotation marks, whatever the style.

Pure character scanning, no parse: straight and curly double quotes, mixed
and unbalanced marks, guillemets, British single quotes, and paragraphs that
open a quote without closing it (a quotation running over paragraphs).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

OPENERS = "“„‟«"
CLOSERS = "”»"
AMBIGUOUS = '"″'
DOUBLE_MARKS = OPENERS + CLOSERS + AMBIGUOUS
SINGLE_OPEN = "‘‹"
SINGLE_CLOSE = "’›"
_BEFORE_OPEN = set(" \t\n([{—–-/:;,")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SENTENCE_END = ".!?…"
_MINOR_WORDS = frozenset({"a", "an", "the", "of", "for", "and", "or", "in", "on", "at", "to", "by", "with", "from",
                          "de", "vs"})
_DOUBLE_MARK = re.compile(f"[{DOUBLE_MARKS}]")
_SINGLE_MARK = re.compile(f"[{SINGLE_OPEN}{SINGLE_CLOSE}']")
_SINGLE_OPENER = re.compile(f"[{SINGLE_OPEN}']")
_WORD_PLAY = re.compile(r"(?<=\w)\(\w{1,3}\)")
_NICKNAME_CUE = re.compile(r"\b(?:known|dubbed|nicknamed|billed|branded|titled|entitled|styled|so-called|aka|a\.k\.a\.)"
                           r"(?:\s+as)?(?:\s+(?:the|a|an))?[ \t]*$", re.IGNORECASE)
_CALLED = re.compile(r"\b(?:called|calls|call|described|describes|termed|deemed)\s+(?:the|this|that|his|her|their|its)\s*$",
                     re.IGNORECASE)
_WORK_NOUN = re.compile(r"\b(?:paper|book|novel|memoir|article|song|album|film|movie|documentary|series|show|"
                        r"podcast|poem|play|musical|exhibit|exhibition|study|thesis|dissertation|lecture|talk|"
                        r"column|op-ed|headline|theme|motto|slogan|hashtag)[ \t]*$", re.IGNORECASE)


@dataclass(frozen=True)
class QuoteSpan:
    """Offsets of the words between one pair of quotation marks."""

    start: int            # first character inside the marks
    end: int              # one past the last character inside the marks
    open_mark: int        # offset of the opening mark
    close_mark: int | None  # offset of the closing mark; None when the paragraph ends first
    paragraph: int

    @property
    def closed(self) -> bool:
        return self.close_mark is not None


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blank lines separate them; single lines when there are none."""
    splitter = _PARAGRAPH_BREAK if _PARAGRAPH_BREAK.search(text) else re.compile(r"\n\s*")
    spans, start = [], 0
    for match in splitter.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _opens(text: str, i: int, start: int) -> bool:
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return (prev in _BEFORE_OPEN or prev in OPENERS + SINGLE_OPEN) and not nxt.isspace()


def _closes(text: str, i: int, start: int) -> bool:
    prev = text[i - 1] if i > start else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    return not prev.isspace() and (nxt.isspace() or nxt in ",.;:!?)]—–-…" + CLOSERS + SINGLE_CLOSE)


def _scan_double(text: str, start: int, end: int, index: int) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for mark in _DOUBLE_MARK.finditer(text, start, end):   # only the marks matter: skip the words
        i, ch = mark.start(), mark.group()
        opens, closes = _opens(text, i, start), _closes(text, i, start)
        if ch in OPENERS:
            is_open = not (closes and not opens) or open_at is None and not closes
        elif ch in CLOSERS:
            is_open = opens and not closes and open_at is None
        else:  # a straight mark: its neighbours decide, then the state
            is_open = opens if opens != closes else open_at is None
        if open_at is None:
            if is_open:
                open_at = i
        elif not is_open or ch in AMBIGUOUS:
            spans.append(QuoteSpan(open_at + 1, i, open_at, i, index))
            open_at = None
        else:  # a second opener: the first quote was never closed
            spans.append(QuoteSpan(open_at + 1, i, open_at, None, index))
            open_at = i
    if open_at is not None:
        spans.append(QuoteSpan(open_at + 1, end, open_at, None, index))
    return spans


def _scan_single(text: str, start: int, end: int, index: int) -> list[QuoteSpan]:
    """British style: ‘…’ as outer marks; apostrophes inside and after words are not marks."""
    spans: list[QuoteSpan] = []
    open_at: int | None = None
    for mark in _SINGLE_MARK.finditer(text, start, end):
        i, ch = mark.start(), mark.group()
        if ch in SINGLE_OPEN or (ch == "'" and open_at is None):
            if open_at is None and _opens(text, i, start) and text[i + 1:i + 2].isalnum() | (text[i + 1:i + 2] in OPENERS):
                open_at = i
        elif (ch in SINGLE_CLOSE or ch == "'") and open_at is not None:
            prev = text[i - 1]
            nxt = text[i + 1] if i + 1 < end else " "
            possessive = prev in "sS" and nxt == " " and text[i + 2:i + 3].islower()
            if not nxt.isalnum() and not possessive:
                spans.append(QuoteSpan(open_at + 1, i, open_at, i, index))
                open_at = None
    if open_at is not None:
        spans.append(QuoteSpan(open_at + 1, end, open_at, None, index))
    return spans


def find_quote_spans(text: str) -> list[QuoteSpan]:
    """Every quoted span in the text, in order, trimmed of surrounding white space."""
    found: list[QuoteSpan] = []
    for index, (start, end) in enumerate(paragraphs(text)):
        if _DOUBLE_MARK.search(text, start, end):
            spans = _scan_double(text, start, end, index)
        elif _SINGLE_OPENER.search(text, start, end):
            spans = _scan_single(text, start, end, index)
        else:
            spans = []
        for span in spans:
            s, e = span.start, span.end
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s:
                found.append(QuoteSpan(s, e, span.open_mark, span.close_mark, span.paragraph))
    return found


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def looks_like_title(text: str) -> bool:
    """A short Title Case phrase with no sentence punctuation is a work's or event's name, not speech."""
    text = _WORD_PLAY.sub("", text.rstrip(",.;: "))   # “Summer Fun(d)”
    if any(ch in text for ch in "!?…;:"):
        return False
    count = 0
    for word in _WORD.finditer(text):   # speech shows itself in its first lower-case word
        count += 1
        w = word.group()
        if count > 10 or not (w[0].isupper() or w[0].isdigit() or w.lower() in _MINOR_WORDS):
            return False
    return count > 0


def is_quotation(text: str, before: str = "") -> bool:
    """Three or more words, and not a title: scare quotes, nicknames and titles are not quotes.

    `before` is the text leading up to the opening mark: “known as the …” and “their paper …” name
    a nickname or a work, whatever its wording.
    """
    if len(list(islice(_WORD.finditer(text), 3))) < 3 or looks_like_title(text):
        return False
    if _NICKNAME_CUE.search(before):
        return False
    work = _WORK_NOUN.search(before)   # a title is capitalised; “called the play “a love letter …”” is speech
    return not (work and text[:1].isupper() and not _CALLED.search(before[:work.start()]))


def quotations(text: str) -> list[QuoteSpan]:
    """The quoted spans that are quotations, judged with the words before each."""
    return [span for span in find_quote_spans(text)
            if is_quotation(text[span.start:span.end], text[max(0, span.open_mark - 60):span.open_mark])]
