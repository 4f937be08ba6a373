"""Direct quotations and their speakers, over a parsed article.

Spans come from `quotemarks`; each is attributed by, in turn: a speech cue
next to it in the same sentence ("…,” she said / X said: “…”), the subject of
the clause a partial quotation sits in, a speech verb in the sentence before
it, the quote before it in the paragraph, and the rest of a quotation that
runs over several paragraphs. Speakers are resolved to full names by `Cast`.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from giftwatch.extract.names import (GROUP_NOUNS, GROUP_PRONOUNS, PERSON_PRONOUNS, RELATIVE_PRONOUNS, Cast,
                                     clean_name, person_entity, split_people, token_name)
from giftwatch.extract.quotemarks import QuoteSpan, find_quote_spans, is_quotation
from giftwatch.records import Quote

SPEECH_VERBS = {
    "say", "tell", "add", "continue", "explain", "note", "write", "tweet", "post", "state", "announce", "comment",
    "remark", "share", "reply", "respond", "recall", "observe", "emphasize", "emphasise", "stress", "declare",
    "acknowledge", "agree", "argue", "ask", "conclude", "describe", "exclaim", "insist", "joke", "maintain",
    "mention", "point", "praise", "predict", "report", "reveal", "suggest", "warn", "call", "affirm", "confirm",
    "express", "reflect", "quip", "put", "offer", "recount", "admit", "urge", "thank", "celebrate", "list",
    "underscore", "highlight", "concur", "muse", "sum", "summarize", "summarise", "echo", "welcome",
}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
_TERMINAL = ".!?…"


@dataclass
class Attribution:
    speakers: list[str]
    role: str | None
    cue: str | None


def _speech_verb(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and token.lemma_.lower() in SPEECH_VERBS or (
        token.lower_ == "according" and any(c.lower_ == "to" for c in token.children))


class QuoteAttributor:
    """Attributes every quote of one parsed article."""

    def __init__(self, doc: Doc, spans: list[QuoteSpan], cast: Cast):
        self.doc, self.spans, self.cast = doc, spans, cast
        self.quoted = quoted_mask(doc, spans)

    # -- frames: the words around a quote, outside any quote -------------------------------------------
    def _tokens_between(self, start: int, end: int):
        return [t for t in self.doc if start <= t.idx < end and not self.quoted[t.i]]

    def after_frame(self, k: int) -> list[Token]:
        span = self.spans[k]
        stop = self._paragraph_end(span)
        if k + 1 < len(self.spans) and self.spans[k + 1].paragraph == span.paragraph:
            stop = self.spans[k + 1].open_mark
        frame = []
        for token in self._tokens_between(span.end, stop):
            frame.append(token)
            if token.text in _TERMINAL:
                break
        return frame

    def before_frame(self, k: int) -> list[Token]:
        span = self.spans[k]
        start = self._paragraph_start(span)
        if k > 0 and self.spans[k - 1].paragraph == span.paragraph:
            start = (self.spans[k - 1].close_mark or self.spans[k - 1].end) + 1
        frame = self._tokens_between(start, span.open_mark)
        for j in range(len(frame) - 1, -1, -1):
            if frame[j].text in _TERMINAL and j < len(frame) - 1:
                return frame[j + 1:]
        return frame

    def _paragraph_start(self, span: QuoteSpan) -> int:
        return self.doc.text.rfind("\n", 0, span.open_mark) + 1

    def _paragraph_end(self, span: QuoteSpan) -> int:
        end = self.doc.text.find("\n", span.end)
        return len(self.doc.text) if end < 0 else end

    # -- speakers ----------------------------------------------------------------------------------------
    def from_frame(self, frame: list[Token], before: int, pick_last: bool) -> Attribution | None:
        cues = [t for t in frame if _speech_verb(t)]
        if not cues:
            return None
        verb = cues[-1] if pick_last else cues[0]
        subject = self._subject(verb, frame)
        if subject is None:
            return None
        speakers, role = self.resolve(subject, before)
        return Attribution(speakers, role, _cue_text(verb, frame))

    def _subject(self, verb: Token, frame: list[Token]) -> Token | None:
        if verb.lower_ == "according":
            for child in verb.children:
                for grand in child.children:
                    if grand.dep_ == "pobj":
                        return grand
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
        """A partial quotation inside a sentence: the subject of the clause that holds it."""
        inside = [t for t in self.doc if span.start <= t.idx < span.end]
        if not inside:
            return None
        head = inside[0]
        seen = 0
        while (self.quoted[head.i] or head.pos_ not in ("VERB", "AUX")) and head.head.i != head.i and seen < 40:
            head, seen = head.head, seen + 1
        if self.quoted[head.i]:
            return None
        for child in head.children:
            if child.dep_ in SUBJECT_DEPS and not self.quoted[child.i]:
                speakers, role = self.resolve(child, span.start)
                return Attribution(speakers, role, _cue_text(head, []))
        return None

    def resolve(self, subject: Token, before: int) -> tuple[list[str], str | None]:
        """Full names and role for a subject token and the tokens conjoined with it."""
        heads = [subject] + [t for t in subject.conjuncts if t.i > subject.i]
        lower = subject.lower_
        if lower in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl":
            return self.resolve(subject.head.head, before)
        if lower in PERSON_PRONOUNS | GROUP_PRONOUNS and len(heads) == 1:
            return self._last_speakers(lower, before), None
        if subject.pos_ in ("NOUN",) or (subject.pos_ != "PROPN" and subject.ent_type_ != "PERSON"):
            return self._description(subject, heads, before)
        names, roles = [], []
        for head in heads:
            ent = person_entity(head)
            if ent is not None:
                found = [self.cast.full_name(n, before) for n in split_people(ent.text)]
            else:
                found = [self.cast.full_name(clean_name(token_name(head).text), before)]
            names.extend(n for n in found if n and n not in names)
            roles.extend(_roles(head))
        if len(names) >= 2 and len(heads) >= 2:   # "George and Amal" → each with the shared surname
            names = [self.cast.full_name(n, before) for n in names]
        return names, "; ".join(roles) or None

    def _last_speakers(self, pronoun: str, before: int) -> list[str]:
        for k in range(len(self.done) - 1, -1, -1):
            span, attribution = self.done[k]
            if span.start < before and attribution.speakers and self.doc.text.count("\n\n", span.end, before) <= 2:
                group = len(attribution.speakers) >= 2
                if group == (pronoun in GROUP_PRONOUNS):
                    return list(attribution.speakers)
                break
        return self.cast.resolve_pronoun(pronoun, before)

    def _description(self, subject: Token, heads: list[Token], before: int) -> tuple[list[str], str | None]:
        phrase = " ".join(t.text for t in subject.subtree if not self.quoted[t.i]
                          and t.dep_ not in ("relcl", "acl") and t.i <= max(h.i for h in heads))
        determiner = next((c.lower_ for c in subject.children if c.dep_ == "det"), "")
        if determiner in ("a", "an", "another", "one") or subject.lower_ in ("spokesperson", "spokesman",
                                                                             "spokeswoman", "officials"):
            return [], phrase
        if subject.lower_ in GROUP_NOUNS:
            return self.cast.resolve_group(2, before), phrase
        if len(heads) >= 2:
            return self.cast.resolve_group(len(heads), before), phrase
        role = " ".join(t.text for t in subject.subtree if t.dep_ in ("compound", "amod") or t == subject).lower()
        if role in self.cast.roles:
            return [self.cast.roles[role]], phrase
        if subject.pos_ == "NOUN" and determiner in ("the", "our", "his", "her", "its", "their"):
            return self.cast.resolve_pronoun("she", before), phrase
        return [], phrase

    # -- the whole article -------------------------------------------------------------------------------
    def attribute(self) -> list[tuple[QuoteSpan, Attribution]]:
        self.done: list[tuple[QuoteSpan, Attribution]] = []
        for k, span in enumerate(self.spans):
            self.done.append((span, self._attribute_one(k)))
        self._share_across_paragraphs()
        return self.done

    def _attribute_one(self, k: int) -> Attribution:
        span = self.spans[k]
        inner = self.doc.text[span.start:span.end].rstrip()
        continues = bool(inner) and inner[-1] not in _TERMINAL
        after, before = self.after_frame(k), self.before_frame(k)
        leads_on = bool(after) and after[-1].text in (",", ":") and k + 1 < len(self.spans)
        tries = []
        if continues or not leads_on:
            tries.append((after, False))
        tries.append((before, True))
        for frame, last in tries:
            found = self.from_frame(frame, span.start, last)
            if found and found.speakers:
                return found
        if before and not before[-1].is_punct or (after and after[0].pos_ not in ("PUNCT", "SPACE")):
            found = self.clause_subject(span)
            if found and found.speakers:
                return found
        found = self._previous_sentence(span)
        if found and found.speakers:
            return found
        if k > 0 and self.done[k - 1][0].paragraph == span.paragraph and self.done[k - 1][1].speakers:
            prev = self.done[k - 1][1]
            return Attribution(list(prev.speakers), prev.role, prev.cue)
        return Attribution([], None, None)

    def _previous_sentence(self, span: QuoteSpan) -> Attribution | None:
        """“With the statement, the couple announced …” then a quote of its own."""
        first = next((t for t in self.doc if t.idx >= span.open_mark), None)
        if first is None or first.sent.start == 0:
            return None
        previous = self.doc[first.sent.start - 1].sent
        if self.doc.text.count("\n", previous.start_char, span.open_mark) > 0:
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


def _roles(head: Token) -> list[str]:
    roles = []
    for child in head.children:
        if child.dep_ == "appos":
            roles.append(" ".join(t.text for t in child.subtree).strip(" ,"))
    titles = [t.text for t in head.lefts if t.dep_ == "compound" and t.ent_type_ != "PERSON"]
    if titles:
        roles.insert(0, " ".join(titles))
    return roles


def _cue_text(verb: Token, frame: list[Token]) -> str:
    """The verb with its particle and the prepositional phrases that belong to the cue."""
    words = [verb]
    for child in verb.rights:
        if child.dep_ in ("prt", "dative") or child.dep_ == "prep" and child.lower_ in ("in", "to", "during", "on", "via"):
            words.extend(child.subtree)
        elif child.dep_ not in ("punct",):
            break
    if verb.lower_ == "according":
        words = [verb] + [t for c in verb.children if c.lower_ == "to" for t in [c]]
    return " ".join(t.text for t in sorted(set(words), key=lambda t: t.i)).strip()


def quoted_mask(doc: Doc, spans: list[QuoteSpan]) -> list[bool]:
    """True for each token inside a quotation or on one of its marks."""
    mask = [False] * len(doc)
    bounds = [(s.open_mark, (s.close_mark if s.close_mark is not None else s.end - 1) + 1) for s in spans]
    k = 0
    for token in doc:
        while k < len(bounds) and bounds[k][1] <= token.idx:
            k += 1
        if k < len(bounds) and bounds[k][0] <= token.idx < bounds[k][1]:
            mask[token.i] = True
    return mask


def extract_quotes(doc: Doc, cast: Cast, spans: list[QuoteSpan] | None = None) -> list[Quote]:
    """Every direct quotation in the article, with speakers, role, cue and offsets."""
    spans = find_quote_spans(doc.text) if spans is None else spans
    attributor = QuoteAttributor(doc, spans, cast)
    quotes = []
    for span, attribution in attributor.attribute():
        text = doc.text[span.start:span.end]
        if not is_quotation(text):
            continue
        quotes.append(Quote(text=text, speakers=attribution.speakers, speaker_role=attribution.role,
                            cue=attribution.cue, start=span.start, end=span.end))
    return quotes
