"""Readers: files, folders and stdin become Articles; bad input is reported, never fatal."""
from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

from giftwatch.errors import GiftwatchError, ReadError
from giftwatch.readers import article_from_html, article_from_text, iter_articles, read_file

DATA = Path(__file__).parent / "data" / "readers"
NEWS_PAGE = DATA / "news_page.html"
TEXT_ARTICLE = DATA / "hospital_gift.txt"
WIRE_JSONL = DATA / "wire_stories.jsonl"
BINARY_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"


def collect(paths, **kwargs) -> tuple[list, list[ReadError]]:
    errors: list[ReadError] = []
    articles = list(iter_articles(paths, on_error=errors.append, **kwargs))
    return articles, errors


def big_gzip_jsonl(path: Path, count: int) -> None:
    """A gzip JSON Lines file large enough that cutting it leaves whole lines before the cut."""
    rnd = random.Random(7)
    words = "donor gave million hospital school library museum fund pledge trust".split()
    lines = [json.dumps({"id": f"n{i}", "text": " ".join(f"{rnd.choice(words)}{rnd.randrange(999)}"
                                                        for _ in range(60))}) for i in range(count)]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))


# --- HTML -----------------------------------------------------------------

def test_news_page_keeps_body_and_drops_boilerplate():
    [article] = read_file(NEWS_PAGE)
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("A retired schoolteacher who spent four decades")
    assert paragraphs[-1].endswith("around a bookshop,\" Lambert said.")
    assert len(paragraphs) == 5
    for boilerplate in ("Subscribe today", "Sport", "Volunteers sort donated books", "Photo: Getty Images",
                        "Getty", "Most read", "bike lanes", "All rights reserved", "Privacy policy",
                        "dataLayer", "By Dana Whitfield"):
        assert boilerplate not in article.text
    assert article.title == "Retired teacher leaves $2 million to Maple Grove library"
    assert not article.text.startswith(article.title)
    assert article.published == "2021-09-14"
    assert article.url == "https://courier.example.com/news/2021/09/14/teacher-bequest-library"
    assert article.source == str(NEWS_PAGE)


def test_explicit_published_wins_over_page_date():
    [article] = read_file(NEWS_PAGE, published="2021-10-01")
    assert article.published == "2021-10-01"


def test_credit_lines_kept_by_trafilatura_are_stripped():
    body = "".join(f"<p>{p}</p>" for p in [
        "The Roe family has given $40,000 to the Harbour Animal Shelter for a new kennel block.",
        "Credit: Jane Doe/AP",
        "The shelter's director thanked the family at a ceremony on Friday. (Photo courtesy of the Roe family)",
        "Jane Doe/AP",
        "Pictures by local children were sold to raise $5,000 for the shelter as well.",
    ])
    article = article_from_html(f"<html><head><title>Shelter gift</title></head><body><article>{body}"
                                "</article></body></html>")
    assert article.text.split("\n\n") == [
        "The Roe family has given $40,000 to the Harbour Animal Shelter for a new kennel block.",
        "The shelter's director thanked the family at a ceremony on Friday.",
        "Pictures by local children were sold to raise $5,000 for the shelter as well.",
    ]


def test_tiny_page_falls_back_to_visible_body_text():
    html = ("<html><head><title>Zoo gift</title><script>var x = 1;</script></head><body>"
            "<nav>Home | News</nav><p>A donor gave $5 to the zoo.</p><footer>Contact us</footer></body></html>")
    article = article_from_html(html, source="zoo.html")
    assert article.text == "A donor gave $5 to the zoo."
    assert article.title == "Zoo gift"
    assert article.id.startswith("zoo-")


def test_page_without_visible_text_is_reported(tmp_path):
    page = tmp_path / "blank.html"
    page.write_text("<html><head><script>var x = 1;</script></head><body><nav>Home</nav></body></html>")
    articles, errors = collect([page])
    assert articles == []
    assert [e.path for e in errors] == [str(page)] and "no visible article text" in errors[0].reason


# --- plain text -----------------------------------------------------------

def test_plain_text_article_is_the_whole_file_verbatim():
    [article] = read_file(TEXT_ARTICLE, published="2022-05-12")
    assert article.text == TEXT_ARTICLE.read_text(encoding="utf-8").strip()
    assert article.text.split("\n\n")[3].startswith('"Every family in this county')
    assert article.published == "2022-05-12"
    assert article.title is None
    assert article.source == str(TEXT_ARTICLE)
    assert article.id.startswith("hospital-gift-")


def test_windows_and_old_mac_line_endings_become_newlines(tmp_path):
    (tmp_path / "crlf.txt").write_bytes(b"First paragraph.\r\n\r\nSecond paragraph.\r\n")
    (tmp_path / "cr.txt").write_bytes(b"First paragraph.\r\rSecond paragraph.\r")
    articles, errors = collect([tmp_path])
    assert errors == []
    assert [a.text for a in articles] == ["First paragraph.\n\nSecond paragraph."] * 2


def test_latin1_file_is_decoded():
    [article] = read_file(DATA / "latin1_news.txt")
    assert article.text.startswith("Café owner José Muñoz gives £20,000 to seaside hospice")
    assert "Café Señorita" in article.text


def test_same_content_gives_same_id(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(TEXT_ARTICLE, tmp_path / folder / TEXT_ARTICLE.name)
    first, second = (read_file(tmp_path / f / TEXT_ARTICLE.name)[0] for f in ("a", "b"))
    assert first.id == second.id == read_file(TEXT_ARTICLE)[0].id
    changed = tmp_path / "a" / TEXT_ARTICLE.name
    changed.write_text(TEXT_ARTICLE.read_text() + "\nOne more line.\n")
    assert read_file(changed)[0].id != first.id
    assert article_from_text("Same words.").id == article_from_text("Same words.").id


# --- JSON Lines -----------------------------------------------------------

def test_jsonl_good_lines_come_through_and_broken_line_is_named():
    articles, errors = collect([WIRE_JSONL], published="2020-01-01")
    assert [a.title for a in articles] == ["Alumna pledges $10 million to nursing school",
                                           "Food bank receives anonymous gift", None]
    first, generated, last = articles
    assert (first.id, first.published, first.source, first.url) == (
        "wire-001", "2019-04-02", "Example Wire", "https://wire.example.com/001")
    assert first.gifts == [] and first.quotes == []  # gold keys are not the reader's business
    assert generated.id.startswith("wire-stories-2-") and generated.published == "2020-01-01"
    assert last.id == "wire-004" and last.source == f"{WIRE_JSONL}:4"
    [error] = errors
    assert (error.path, error.line) == (str(WIRE_JSONL), 3)
    assert "line 3 is not valid JSON" in error.reason and "fix or remove" in error.reason
    assert str(error).startswith(f"{WIRE_JSONL}:3: ")


def test_read_file_raises_on_first_broken_line():
    with pytest.raises(ReadError) as caught:
        read_file(WIRE_JSONL)
    assert caught.value.line == 3


def test_jsonl_lines_that_are_not_articles(tmp_path):
    path = tmp_path / "odd.ndjson"
    path.write_text('["a list"]\n{"id": "x"}\n{"text": "   "}\n\n{"text": 5}\n'
                    '{"text": "Fine.", "published": "last week"}\n{"text": "Kept."}\n')
    articles, errors = collect([path])
    assert [a.text for a in articles] == ["Kept."]
    assert [e.line for e in errors] == [1, 2, 3, 5, 6]
    assert "not an object" in errors[0].reason and 'no "text"' in errors[1].reason
    assert "not an ISO date" in errors[4].reason


def test_gzip_jsonl_is_read(tmp_path):
    path = tmp_path / "batch.jsonl.gz"
    path.write_bytes(gzip.compress(WIRE_JSONL.read_bytes()))
    articles, errors = collect([path])
    assert [a.id for a in articles][0] == "wire-001" and len(articles) == 3
    assert articles[1].id.startswith("batch-2-")
    assert [e.line for e in errors] == [3]


def test_truncated_gzip_keeps_lines_before_the_cut(tmp_path):
    path = tmp_path / "dump.jsonl.gz"
    big_gzip_jsonl(path, 300)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    articles, errors = collect([path])
    assert 0 < len(articles) < 300
    assert [a.id for a in articles] == [f"n{i}" for i in range(len(articles))]
    [error] = errors
    assert error.path == str(path) and "ends too early" in error.reason and "again" in error.reason


def test_plain_file_named_gz_is_reported(tmp_path):
    path = tmp_path / "mislabelled.jsonl.gz"
    path.write_bytes(WIRE_JSONL.read_bytes())
    _, errors = collect([path])
    assert len(errors) == 1 and "not a gzip file" in errors[0].reason


# --- bad files and folders ------------------------------------------------

def test_empty_binary_and_missing_files_are_reported(tmp_path):
    (tmp_path / "photo.txt").write_bytes(BINARY_BYTES)
    rnd = random.Random(3)
    noise = bytes(rnd.randrange(1, 256) for _ in range(4000))  # binary without NUL bytes
    (tmp_path / "noise.txt").write_bytes(noise)
    (tmp_path / "controls.txt").write_bytes(bytes(rnd.randrange(1, 128) for _ in range(4000)))  # valid ASCII
    missing = tmp_path / "nowhere.txt"
    names = ["photo.txt", "noise.txt", "controls.txt", "nowhere.txt"]
    articles, errors = collect([DATA / "empty.txt", *(tmp_path / name for name in names)])
    assert articles == []
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["empty.txt"] == "empty file: nothing to ingest"
    assert reasons["photo.txt"].startswith("binary file") and "convert it to text" in reasons["photo.txt"]
    assert reasons["noise.txt"].startswith("binary file") and reasons["controls.txt"].startswith("binary file")
    assert reasons["nowhere.txt"] == "file not found: check the path"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("A secret gift.")
    path.chmod(0)
    _, errors = collect([path])
    assert len(errors) == 1 and "permission denied" in errors[0].reason


def test_default_is_to_raise_on_the_first_problem():
    with pytest.raises(ReadError, match="empty file"):
        list(iter_articles([DATA / "empty.txt"]))


def test_folder_mixing_good_and_bad_files(tmp_path):
    folder = tmp_path / "inbox"
    shutil.copytree(DATA, folder / "fixtures")
    (folder / "photo.html").write_bytes(BINARY_BYTES)
    (folder / "nested" / "deeper").mkdir(parents=True)
    cut = folder / "nested" / "deeper" / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(WIRE_JSONL.read_bytes())[:40])
    (folder / ".hidden.txt").write_text("Hidden files are skipped.")
    (folder / "notes.pdf").write_bytes(BINARY_BYTES)  # unknown extension in a folder: skipped
    articles, errors = collect([folder])
    assert [Path(a.source.split(":")[0]).name if a.source != "Example Wire" else "Example Wire"
            for a in articles] == ["hospital_gift.txt", "latin1_news.txt", "news_page.html",
                                   "Example Wire", "wire_stories.jsonl", "wire_stories.jsonl"]
    assert Counter(Path(e.path).name for e in errors) == Counter(
        {"empty.txt": 1, "wire_stories.jsonl": 1, "photo.html": 1, "cut.jsonl.gz": 1})
    assert all(str(folder) in e.path for e in errors)


def test_folder_without_article_files_is_reported(tmp_path):
    (tmp_path / "readme.pdf").write_bytes(b"%PDF")
    _, errors = collect([tmp_path])
    assert len(errors) == 1 and "no article files" in errors[0].reason


def test_unknown_extension_is_sniffed(tmp_path):
    (tmp_path / "story").write_bytes(NEWS_PAGE.read_bytes())
    (tmp_path / "feed").write_bytes(WIRE_JSONL.read_bytes())
    (tmp_path / "memo").write_text("A memo about a $300 gift to the choir.")
    page = read_file(tmp_path / "story")
    feed, feed_errors = collect([tmp_path / "feed"])
    memo = read_file(tmp_path / "memo")
    assert page[0].title.startswith("Retired teacher") and "<p>" not in page[0].text
    assert len(feed) == 3 and [e.line for e in feed_errors] == [3]
    assert memo[0].text == "A memo about a $300 gift to the choir."


def test_bad_published_argument_is_refused():
    with pytest.raises(GiftwatchError, match="YYYY-MM-DD"):
        list(iter_articles([TEXT_ARTICLE], published="yesterday"))


# --- stdin ----------------------------------------------------------------

@pytest.mark.parametrize("payload, expected_title", [
    (b"\n" + WIRE_JSONL.read_bytes(), "Alumna pledges $10 million to nursing school"),
    (NEWS_PAGE.read_bytes(), "Retired teacher leaves $2 million to Maple Grove library"),
    (TEXT_ARTICLE.read_bytes(), None),
])
def test_stdin_is_sniffed(monkeypatch, payload, expected_title):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    articles, errors = collect(["-"])
    assert articles[0].title == expected_title
    assert all(e.path == "<stdin>" for e in errors)
    if expected_title and expected_title.startswith("Alumna"):
        assert len(articles) == 3 and [e.line for e in errors] == [4]  # blank first line counts
    else:
        assert len(articles) == 1 and articles[0].source == "<stdin>" and errors == []
