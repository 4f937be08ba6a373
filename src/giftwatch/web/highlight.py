"""Cut article text into plain pieces, some marked as evidence of a gift or a quote.

The pages never build markup from article text: they get a list of segments and the template escapes each
one before wrapping the marked ones in <mark>. Offsets come from extraction (a gift's evidence_start/end, a
quote's start/end); a gift told across several sentences has evidence made of those sentences joined by a
space, so only the sentences themselves are marked, not the text between them.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Segment:
    text: str
    refs: tuple[str, ...] = ()          # ids of the records (g0, q3 ...) this piece is evidence for
    kinds: tuple[str, ...] = ()         # "gift", "quote"
    starts: tuple[str, ...] = field(default=())  # refs whose first piece this is (the link target)

    @property
    def marked(self) -> bool:
        return bool(self.refs)


def evidence_pieces(text: str, evidence: str | None, start: int | None, end: int | None) -> list[tuple[int, int]]:
    """Where the evidence's sentences are in `text` between start and end. Falls back to [start, end) when the
    evidence cannot be found piece by piece (or to nothing when the offsets are unusable)."""
    if start is None or end is None or not 0 <= start < end <= len(text):
        return []
    if not evidence or text[start:end] == evidence:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    i, pos = 0, start
    while i < len(evidence) and pos < end:
        length = _longest_prefix_found(text, evidence, i, pos, end)
        if length == 0:
            return [(start, end)]
        found = text.find(evidence[i:i + length], pos, end)
        pieces.append((found, found + length))
        i += length
        while i < len(evidence) and evidence[i].isspace():
            i += 1
        pos = found + length
    return pieces if i >= len(evidence) else [(start, end)]


def _longest_prefix_found(text: str, evidence: str, i: int, pos: int, end: int) -> int:
    """Length of the longest prefix of evidence[i:] that occurs in text[pos:end] (binary search: every
    shorter prefix of a prefix that occurs occurs too)."""
    low, high = 0, len(evidence) - i
    while low < high:
        middle = (low + high + 1) // 2
        if text.find(evidence[i:i + middle], pos, end) >= 0:
            low = middle
        else:
            high = middle - 1
    return low


def segments(text: str, spans: list[tuple[int, int, str, str]]) -> list[Segment]:
    """Split `text` at every span boundary. `spans` are (start, end, ref, kind); spans may overlap (a quote
    inside a gift's evidence), so a piece can belong to several records."""
    usable = [(s, e, ref, kind) for s, e, ref, kind in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, *_ in usable), *(e for _, e, *_ in usable)})
    first_piece: dict[str, int] = {}
    for s, _, ref, _ in usable:
        first_piece[ref] = min(first_piece.get(ref, s), s)
    pieces: list[Segment] = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [(ref, kind) for s, e, ref, kind in usable if s <= left and right <= e]
        refs = tuple(dict.fromkeys(ref for ref, _ in covering))
        kinds = tuple(dict.fromkeys(kind for _, kind in covering))
        starts = tuple(ref for ref in refs if first_piece[ref] == left)
        pieces.append(Segment(text[left:right], refs, kinds, starts))
    return pieces


def snippet(text: str, query: str, width: int = 90) -> list[Segment]:
    """A short window of `text` around the first case-insensitive match of `query`, every match marked."""
    folded, needle = text.casefold(), query.casefold()
    if len(folded) != len(text):  # casefolding changed lengths (ß -> ss): fall back to lower()
        folded, needle = text.lower(), query.lower()
    first = folded.find(needle) if needle else -1
    if first < 0:
        window_start, window_end = 0, min(len(text), width * 2)
    else:
        window_start = max(0, first - width)
        window_end = min(len(text), first + len(needle) + width)
        while window_start > 0 and not text[window_start - 1].isspace() and first - window_start < width + 15:
            window_start -= 1
    spans, at = [], folded.find(needle, window_start) if needle else -1
    while needle and 0 <= at and at + len(needle) <= window_end:
        spans.append((at - window_start, at - window_start + len(needle), "m", "match"))
        at = folded.find(needle, at + len(needle))
    window = text[window_start:window_end].replace("\n", " ")  # same length: the spans stay right
    pieces = segments(window, spans)
    if window_start > 0:
        pieces.insert(0, Segment("… "))
    if window_end < len(text):
        pieces.append(Segment(" …"))
    return pieces
