"""Direct quotations and their speakers, over a parsed article.

Spans come from `quotemarks`; each is attributed by, in turn: the subject of
the verbs above a partial quotation embedded in a sentence, a speech cue next
to it ("…,” she said / X said: “…”), a signature line ("…" - Jane Roe, CEO),
a speech verb in the sentence before it, the quote before it in the paragraph,
and the rest of a quotation that runs over several paragraphs. Who a subject
refers to (names, pronouns, "the company", "the couple") is `speakers`' job.
"""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable

from spacy.tokens import Doc, Token

from giftwatch.extractors.names import Cast, build_cast
from giftwatch.extractors.quotemarks import QuoteSpan, find_quote_spans, is_quotation
from giftwatch.extractors.speakers import SUBJECT_DEPS, Attribution, SpeakerResolver
from giftwatch.extractors.tokentext import phrase_text
from giftwatch.records import Quote

SPEECH_VERBS = {
    "say", "tell", "add", "continue", "explain", "note", "write", "tweet", "post", "state", "announce", "comment",
    "remark", "share", "reply", "respond", "recall", "observe", "emphasize", "emphasise", "stress", "declare",
    "acknowledge", "agree", "argue", "ask", "conclude", "describe", "exclaim", "insist", "joke", "maintain",
    "mention", "point", "praise", "predict", "report", "reveal", "suggest", "warn", "call", "affirm", "confirm",
    "express", "reflect", "quip", "put", "offer", "recount", "admit", "urge", "thank", "celebrate", "list",
    "underscore", "highlight", "concur", "muse", "sum", "summarize", "summarise", "echo", "welcome",
}
_TERMINAL = ".!?…"

def _speech_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in SPEECH_VERBS or (
        token.lower_ == "according" and any(c.lower_ == "to" for c in token.children))


class QuoteAttributor:
    """Attributes every quote of one parsed article."""

    def __init__(self, doc: Doc, spans: list[QuoteSpan], cast: Cast, text: str | None = None):
        self.doc, self.spans, self.cast = doc, spans, cast
        self.text = doc.text if text is None else text   # Doc.text rebuilds the string on every call
        self.token_starts = token_starts(doc)
        self.quoted = quoted_mask(doc, spans, self.token_starts)
        self.speakers = SpeakerResolver(doc, self.quoted, cast, self.text, self.token_starts)
        self.done = self.speakers.done

    # -- frames: the words around a quote, outside any quote -------------------------------------------
    def _token_range(self, start: int, end: int) -> range:
        """Indices of the tokens that start at a character offset in [start, end)."""
        return range(bisect_left(self.token_starts, start), bisect_left(self.token_starts, end))

    def after_frame(self, k: int) -> list[Token]:
        span = self.spans[k]
        stop = self._paragraph_end(span)
        if k + 1 < len(self.spans) and self.spans[k + 1].paragraph == span.paragraph:
            stop = self.spans[k + 1].open_mark
        frame = []   # up to the end of the sentence after the quote
        for i in self._token_range(span.end, stop):
            if not self.quoted[i]:
                frame.append(self.doc[i])
                if frame[-1].text in _TERMINAL:
                    break
        return frame

    def before_frame(self, k: int) -> list[Token]:
        span = self.spans[k]
        start = self._paragraph_start(span)
        if k > 0 and self.spans[k - 1].paragraph == span.paragraph:
            start = (self.spans[k - 1].close_mark or self.spans[k - 1].end) + 1
        frame = []   # back from the quote to the end of the sentence before it (a stop right before the quote stays)
        for i in reversed(self._token_range(start, span.open_mark)):
            if not self.quoted[i]:
                token = self.doc[i]
                if token.text in _TERMINAL and frame:
                    break
                frame.append(token)
        frame.reverse()
        return frame

    def _paragraph_start(self, span: QuoteSpan) -> int:
        return self.text.rfind("\n", 0, span.open_mark) + 1

    def _paragraph_end(self, span: QuoteSpan) -> int:
        end = self.text.find("\n", span.end)
        return len(self.text) if end < 0 else end

    # -- speakers ----------------------------------------------------------------------------------------
    def from_frame(self, frame: list[Token], before: int, pick_last: bool) -> Attribution | None:
        """The speech cue nearest the quote and its subject; “according to” only when no other cue names anyone."""
        cues = [t for t in frame if _speech_verb(t)]
        if pick_last:
            cues.reverse()
        cues.sort(key=lambda t: t.lower_ == "according")
        fallback = None
        for verb in cues:
            subject = self._subject(verb, frame)
            if subject is None:
                continue
            speakers, role = self.speakers.resolve(subject, before)
            found = Attribution(speakers, role, _cue_text(verb, frame))
            if speakers:
                return found
            fallback = fallback or found
        return fallback

    def _subject(self, verb: Token, frame: list[Token]) -> Token | None:
        if verb.lower_ == "according":
            for child in verb.children:
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return _source(grand)
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.pos_ in ("VERB", "AUX"):
            for child in verb.head.children:
                if child.dep_ in SUBJECT_DEPS:
                    return child
        names = [t for t in frame if t.ent_type_ == "PERSON" or t.pos_ == "PROPN"]
        return names[0] if names else None

    def clause_subject(self, span: QuoteSpan) -> Attribution | None:
        """A partial quotation inside a sentence: the subject of the verbs above it, a speech verb first.

        “In an essay, Scott pledged to give it away “back to society”” climbs give → pledged (Scott);
        “X announced it has launched a fund to help “…”” climbs to announced (X), not launched (it).
        """
        inside = self._token_range(span.start, span.end)
        if not inside:
            return None
        head, verbs = self.doc[inside[0]], []
        while head.head.i != head.i and len(verbs) < 40:
            head = head.head
            if not self.quoted[head.i] and head.pos_ in ("VERB", "AUX"):
                subject = next((c for c in head.children if c.dep_ in SUBJECT_DEPS and not self.quoted[c.i]), None)
                if subject is not None:
                    verbs.append((head, subject))
        if not verbs:
            return None
        verb, subject = next(((v, s) for v, s in verbs if _speech_verb(v)), verbs[0])
        speakers, role = self.speakers.resolve(subject, span.start)
        return Attribution(speakers, role, _cue_text(verb, []))

    def signature(self, after: list[Token], before: list[Token]) -> Attribution | None:
        """A quote standing alone, then “- Jane Roe, President & CEO, Food Bank” with no verb: a signed quote."""
        words = [t for t in after if not t.is_punct]
        if before or not words or any(t.pos_ in ("VERB", "AUX") for t in words):
            return None
        ent = next((e for e in self.doc.ents if e.start == words[0].i and e.label_ == "PERSON"), None)
        if ent is None:   # an untagged name: the run of capitalised proper nouns
            end = words[0].i
            while end < len(self.doc) and self.doc[end].pos_ == "PROPN" and self.doc[end].text[0].isupper():
                end += 1
            if not 2 <= end - words[0].i <= 4:
                return None
            ent = self.doc[words[0].i:end]
        role = phrase_text(t for t in after if t.i >= ent.end).strip(" ,.-–—")
        return Attribution([self.speakers.full_name(ent.text, ent.start_char)], role or None, None)

    # -- the whole article -------------------------------------------------------------------------------
    def attribute(self) -> list[tuple[QuoteSpan, Attribution]]:
        for k, span in enumerate(self.spans):
            self.done.append((span, self._attribute_one(k)))
        self._share_across_paragraphs()
        return self.done

    def _attribute_one(self, k: int) -> Attribution:
        span = self.spans[k]
        inner = self.text[span.start:span.end].rstrip()
        continues = bool(inner) and inner[-1] not in _TERMINAL
        after, before = self.after_frame(k), self.before_frame(k)
        embedded = bool(before) and not before[-1].is_punct   # “… pledged to give it “back to society.””
        leads_on = bool(after) and after[-1].text in (",", ":") and k + 1 < len(self.spans)
        ways: list[Callable[[], Attribution | None]] = []   # in order of trust; the first that names someone wins
        if embedded:
            ways.append(lambda: self.clause_subject(span))
        if (continues or not leads_on) and (continues or not embedded):
            ways.append(lambda: self.from_frame(after, span.start, False))
        ways.append(lambda: self.from_frame(before, span.start, True))
        ways.append(lambda: self.signature(after, before))
        if not embedded and after and after[0].pos_ not in ("PUNCT", "SPACE"):
            ways.append(lambda: self.clause_subject(span))
        tries = []
        for way in ways:
            found = way()
            if found and found.speakers:
                return found
            tries.append(found)
        found = self._previous_sentence(span)
        if found and found.speakers:
            return found
        if k > 0 and self.done[k - 1][0].paragraph == span.paragraph and self.done[k - 1][1].speakers:
            prev = self.done[k - 1][1]
            return Attribution(list(prev.speakers), prev.role, prev.cue)
        return next((f for f in tries if f is not None), Attribution([], None, None))

    def _previous_sentence(self, span: QuoteSpan) -> Attribution | None:
        """“With the statement, the couple announced …” then a quote of its own."""
        first_index = bisect_left(self.token_starts, span.open_mark)
        if first_index >= len(self.doc):
            return None
        first = self.doc[first_index]
        if first.sent.start == 0:
            return None
        previous = self.doc[first.sent.start - 1].sent
        if self.text.count("\n", previous.start_char, span.open_mark) > 0:
            return None
        frame = [t for t in previous if not self.quoted[t.i]]
        return self.from_frame(frame, span.start, pick_last=True)

    def _share_across_paragraphs(self) -> None:
        """A quotation over several paragraphs has one speaker: fill the silent paragraphs."""
        for k, (span, attribution) in enumerate(self.done):
            if attribution.speakers or k == 0:
                continue
            prev_span, prev = self.done[k - 1]
            if not prev_span.closed and prev_span.paragraph == span.paragraph - 1 and prev.speakers:
                self.done[k] = (span, Attribution(list(prev.speakers), prev.role, prev.cue))
        for k in range(len(self.done) - 2, -1, -1):
            span, attribution = self.done[k]
            nxt_span, nxt = self.done[k + 1]
            if not attribution.speakers and not span.closed and nxt_span.paragraph == span.paragraph + 1 and nxt.speakers:
                self.done[k] = (span, Attribution(list(nxt.speakers), nxt.role, nxt.cue))


def _source(noun: Token) -> Token:
    """“according to a text message from Jane Roe”: the person behind the document, when named."""
    if noun.ent_type_ in ("PERSON", "ORG") or noun.pos_ == "PROPN":
        return noun
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            for grand in child.children:
                if grand.dep_ == "pobj" and (grand.ent_type_ in ("PERSON", "ORG") or grand.pos_ == "PROPN"):
                    return grand
    return noun


def _cue_text(verb: Token, frame: list[Token]) -> str:
    """The verb with its particle and the prepositional phrases that belong to the cue."""
    words = [verb]
    for child in verb.rights:
        if child.dep_ == "dobj" and verb.lemma_ == "tell":   # “told the Ledger”: who was told, not what
            words.extend(t for t in child.subtree if t.i <= child.i)
        elif child.dep_ in ("prt", "dative") or child.dep_ == "prep" and child.lower_ in ("in", "to", "during", "on", "via"):
            words.extend(child.subtree)
        elif child.dep_ not in ("punct",):
            break
    if verb.lower_ == "according":
        words = [verb] + [t for c in verb.children if c.lower_ == "to" for t in [c]]
    return phrase_text(sorted(set(words), key=lambda t: t.i))


def token_starts(doc: Doc) -> list[int]:
    """Character offset of each token, read in one pass without making Token objects."""
    return doc.to_array("IDX").tolist() if len(doc) else []


def quoted_mask(doc: Doc, spans: list[QuoteSpan], starts: list[int] | None = None) -> list[bool]:
    """True for each token inside a quotation or on one of its marks."""
    starts = token_starts(doc) if starts is None else starts
    mask = [False] * len(doc)
    for span in spans:
        end = (span.close_mark if span.close_mark is not None else span.end - 1) + 1
        first, stop = bisect_left(starts, span.open_mark), bisect_left(starts, end)
        mask[first:stop] = [True] * (stop - first)
    return mask


def extract_quotes(doc: Doc, cast: Cast, spans: list[QuoteSpan] | None = None,
                   text: str | None = None) -> list[Quote]:
    """Every direct quotation in the article, with speakers, role, cue and offsets.

    `text` is `doc.text` when the caller already has it (spaCy rebuilds it on each access).
    """
    article = doc.text if text is None else text
    spans = find_quote_spans(article) if spans is None else spans
    if not spans:
        return []
    attributor = QuoteAttributor(doc, spans, cast, article)
    quotes = []
    for span, attribution in attributor.attribute():
        text = article[span.start:span.end]
        if not is_quotation(text, article[max(0, span.open_mark - 60):span.open_mark]):
            continue
        quotes.append(Quote(text=text, speakers=attribution.speakers, speaker_role=attribution.role,
                            cue=attribution.cue, start=span.start, end=span.end))
    return quotes


def quotes_of_doc(doc: Doc, text: str | None = None) -> list[Quote]:
    """The quotes of a parsed article on their own: what `extract_doc` finds, without the gifts.

    `text` is the article text the doc was parsed from, when the caller has it: spaCy rebuilds
    `doc.text` from its tokens on every access, which costs as much as the rest of this.
    """
    text = doc.text if text is None else text
    spans = find_quote_spans(text)
    return extract_quotes(doc, build_cast(doc, quoted_mask(doc, spans), text), spans, text)
