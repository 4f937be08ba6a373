"""HTML articles: the main text via trafilatura, without navigation, captions and
photo credits, which would otherwise turn up as false donors and speakers."""
from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

from giftwatch.errors import GiftwatchError, ReadError
from giftwatch.limits import check_length
from giftwatch.records import Article
from giftwatch.readers.text import file_stem, normalize_published, stable_id

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|div|p|section|main|h[1-6])\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_TAG_ANYWHERE = re.compile(r"<(?:html|body)\b[^>]*>", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

# Credit and caption lines. The lead word must be followed by a separator (":", "by",
# "courtesy of") and only a few words, so a body sentence such as "Pictures by local
# children were sold to raise $5,000" is kept.
_CREDIT_LEAD = (
    r"(?:photo(?:graph)?s?|pictures?|pics?|images?|videos?|illustrations?|graphics?|"
    r"(?:photo|image|picture)\s+credits?|credits?|image\s+copyright)"
)
_CREDIT_SEPARATOR = r"(?::|\bby\b|\bcourtesy(?:\s+of)?\b|\bvia\b|\bcopyright\b|©)"
_CREDIT_PARAGRAPH = re.compile(
    rf"^\(?\s*{_CREDIT_LEAD}\s*{_CREDIT_SEPARATOR}\s*(?P<rest>[^()]{{1,100}}?)\s*\)?\.?$",
    re.IGNORECASE,
)
_CAPTION_PARAGRAPH = re.compile(r"^(?:image\s+caption|caption)\b", re.IGNORECASE)
_COPYRIGHT_PARAGRAPH = re.compile(r"^(?:©|\(c\)\s|copyright\b).{0,100}$", re.IGNORECASE)
# "Jane Doe/Reuters": up to five capitalised words each side of a slash. Words are separated by exactly one
# space: with the space optional, "AbAbAb…" could be split into words in exponentially many ways to try.
_CREDIT_NAME = r"[A-Z][\w.'’&-]*(?:\s[A-Z][\w.'’&-]*){0,4}\s?"
_SLASH_CREDIT = re.compile(rf"^{_CREDIT_NAME}/\s?{_CREDIT_NAME}\.?$")
_AGENCY_ONLY = re.compile(
    r"^(?:Getty(?: Images)?|Shutterstock|iStock(?:photo)?|Reuters|AP(?: Photo)?|AFP|EPA|"
    r"PA(?: Media| Wire)?|Alamy|Associated Press|Bloomberg)(?:\s+via\s+Getty Images)?\.?$"
)
_TRAILING_CREDIT = re.compile(
    rf"(?<=[.!?\"”’)])\s+\(?\s*{_CREDIT_LEAD}\s*{_CREDIT_SEPARATOR}\s*(?P<rest>[^.!?()]{{1,80}})\)?\s*$",
    re.IGNORECASE,
)
_MAX_CREDIT_WORDS = 10
_SHORT_EXTRACTION = 250  # characters; below this trafilatura's output is checked against the page

_FALLBACK_DROP = ("script", "style", "nav", "header", "footer", "figcaption", "figure", "aside",
                  "noscript", "template", "form", "button", "svg", "iframe", "head")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6",
               "li", "ul", "ol", "blockquote", "pre", "table", "tr", "td", "th", "dd", "dt", "br",
               "hr", "body"}


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML document or has an <html>/<body> tag early on."""
    head = text[:4096]
    return bool(_HTML_START.match(head) or _HTML_TAG_ANYWHERE.search(head))


def declared_charset(data: bytes) -> str | None:
    """The encoding an HTML page names in its <meta charset> or http-equiv tag."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "ignore") if match else None


def _credit_like(rest: str, *, ends_sentence: bool) -> bool:
    """A credit names a photographer or agency: a few words, no money, not a full sentence."""
    words = len(rest.split())
    if words > _MAX_CREDIT_WORDS or re.search(r"[$£€¥]", rest):
        return False
    return not (ends_sentence and words > 4)


def is_credit_line(paragraph: str) -> bool:
    """A paragraph that is only a photo credit, caption label or copyright line."""
    text = paragraph.strip()
    match = _CREDIT_PARAGRAPH.match(text)
    if match and _credit_like(match.group("rest"), ends_sentence=text.endswith((".", "!", "?"))):
        return True
    return bool(
        _CAPTION_PARAGRAPH.match(text)
        or _COPYRIGHT_PARAGRAPH.match(text)
        or _SLASH_CREDIT.match(text)
        or _AGENCY_ONLY.match(text)
    )


def strip_trailing_credit(paragraph: str) -> str:
    """Drop a credit fragment after the last sentence: "... she said. (Photo courtesy of X)"."""
    match = _TRAILING_CREDIT.search(paragraph)
    if match and _credit_like(match.group("rest"), ends_sentence=False):
        return paragraph[: match.start()].rstrip()
    return paragraph


def clean_paragraphs(paragraphs: list[str], title: str | None = None) -> list[str]:
    """Remove credit lines, trailing credits, and a leading headline that repeats the title."""
    kept: list[str] = []
    for paragraph in paragraphs:
        paragraph = strip_trailing_credit(paragraph.strip())
        if paragraph and not is_credit_line(paragraph):
            kept.append(paragraph)
    if kept and title and _same_words(kept[0], title):
        kept = kept[1:]
    return kept


def _collapse(text: str) -> str:
    return " ".join(text.split()).casefold()


def _same_words(a: str, b: str) -> bool:
    return _collapse(a) == _collapse(b)


def _inline_text(element: etree._Element) -> str:
    """Text of one trafilatura block, with <lb/> kept as a line break."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag != "list":
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _tidy(block: str) -> str:
    lines = (" ".join(line.split()) for line in block.split("\n"))
    return "\n".join(line for line in lines if line)


def _trafilatura_paragraphs(body: etree._Element) -> list[str]:
    """One paragraph per block of trafilatura's XML body; each list item is its own paragraph."""
    paragraphs: list[str] = []
    if body.text and body.text.strip():
        paragraphs.append(_tidy(body.text))
    for child in body:
        if child.tag in ("list", "div"):
            paragraphs.extend(_trafilatura_paragraphs(child))
        elif child.tag == "item":
            paragraphs.append(_tidy(_inline_text(child)))
            for nested in child.iter("list"):
                paragraphs.extend(_trafilatura_paragraphs(nested))
        else:
            paragraphs.append(_tidy(_inline_text(child)))
        if child.tail and child.tail.strip():
            paragraphs.append(_tidy(child.tail))
    return [p for p in paragraphs if p]


def _fallback_paragraphs(html: str) -> tuple[list[str], str | None]:
    """Visible text of <body> by lxml, for pages trafilatura finds nothing in."""
    markup = _XML_DECLARATION.sub("", html)
    try:
        root = lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return [], None
    title_element = root.find(".//title")
    title = " ".join(title_element.text_content().split()) if title_element is not None else None
    for element in list(root.iter(*_FALLBACK_DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    body = root.find("body")
    if body is None:
        body = root
    for element in body.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCK_TAGS:
            element.tail = "\n\n" + (element.tail or "")
            element.text = "\n\n" + (element.text or "")
    text = body.text_content()
    paragraphs = [" ".join(chunk.split()) for chunk in re.split(r"\n\s*\n", text)]
    return [p for p in paragraphs if p], title or None


def article_from_html(html: str, *, source: str | None = None, published: str | None = None) -> Article:
    """One article from an HTML page: main text, title, page date and canonical URL.

    An explicit `published` wins over the page's own date: it is what the user said.
    """
    label = source or "<html>"
    document = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, favor_precision=True, with_metadata=True,
    )
    title = date = url = None
    paragraphs: list[str] = []
    if document is not None:
        title, date, url = document.title, document.date, document.url
        if document.body is not None:
            paragraphs = _trafilatura_paragraphs(document.body)
        elif document.text:
            paragraphs = [_tidy(line) for line in document.text.split("\n")]
        paragraphs = clean_paragraphs(paragraphs, title)
    if len("".join(paragraphs)) < _SHORT_EXTRACTION:
        # A short result may be trafilatura's whole-page guess (a nav menu on a page with no
        # article); keep only what is visible outside nav/header/footer, or fall back to that.
        visible, fallback_title = _fallback_paragraphs(html)
        title = title or fallback_title
        visible_text = _collapse(" ".join(visible))
        paragraphs = [p for p in paragraphs if _collapse(p) in visible_text]
        paragraphs = paragraphs or clean_paragraphs(visible, title)
    if not paragraphs:
        raise ReadError(label, "HTML page has no visible article text: nothing to ingest")
    text = "\n\n".join(paragraphs)
    check_length(text, label)
    return Article(
        id=stable_id(file_stem(source) if source else "html", text),
        text=text,
        source=source,
        published=normalize_published(published) or _page_date(date),
        title=" ".join(title.split()) if title and title.strip() else None,
        url=url or None,
    )


def _page_date(value: str | None) -> str | None:
    """The page's date as ISO `YYYY-MM-DD`, or None when trafilatura found none usable."""
    if not value:
        return None
    try:
        return normalize_published(value[:10])
    except GiftwatchError:  # a malformed page date is not the user's error; keep the article
        return None
