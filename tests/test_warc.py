"""WARC crawls: HTML responses become English articles; everything else is passed over and counted."""
from __future__ import annotations

import gzip
import io
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from giftwatch.readers import SkipCounts, iter_articles
from giftwatch.readers.language import is_english
from tests.conftest import DATA

CORPUS = DATA / "corpus"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def crawl_records() -> list[tuple[str, bytes, str, str]]:
    """(url, payload, content type, HTTP status) of a small news crawl: two English articles, a French
    page, an image, a missing page and a redirect."""
    def page(name: str) -> bytes:
        return (CORPUS / name).read_bytes()

    return [
        ("https://www.wrenfieldpost.example/news/2025/03/kessler-trust-looms", page("page_gift.html"),
         "text/html; charset=utf-8", "200 OK"),
        ("https://www.wrenfieldpost.example/news/2025/03/market-hall", page("page_plain.html"), "text/html", "200 OK"),
        ("https://www.saint-aubin.example/actualites/mediatheque", page("page_french.html"),
         "text/html; charset=utf-8", "200 OK"),
        ("https://www.wrenfieldpost.example/img/looms.png", PNG, "image/png", "200 OK"),
        ("https://www.wrenfieldpost.example/news/gone", b"<html><body>Not found</body></html>", "text/html",
         "404 Not Found"),
        ("https://www.wrenfieldpost.example/latest", b"", "text/html", "301 Moved Permanently"),
    ]


def write_warc(path: Path, records=None, *, gzip_it: bool = True) -> Path:
    """A WARC file as crawlers write them: warcinfo, then a request and a response per URL."""
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzip_it)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "giftwatch tests"}))
        for url, payload, content_type, status in records if records is not None else crawl_records():
            request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
            headers = StatusAndHeaders(status, [("Content-Type", content_type),
                                                ("Content-Length", str(len(payload)))], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2025-03-19T06:30:00Z"}))
    return path


def read(paths, **kwargs):
    errors, skips = [], SkipCounts()
    articles = list(iter_articles(paths, on_error=errors.append, skips=skips, **kwargs))
    return articles, errors, skips


def test_english_html_responses_become_articles(tmp_path):
    articles, errors, skips = read([write_warc(tmp_path / "crawl.warc.gz")])
    assert errors == []
    assert [a.title for a in articles] == ["Kessler Trust gives £250,000 to Wrenfield Museum",
                                           "Wrenfield market hall reopens after repairs"]
    gift, plain = articles
    assert gift.url == gift.source == "https://www.wrenfieldpost.example/news/2025/03/kessler-trust-looms"
    assert gift.text.startswith("The Kessler Trust has given £250,000")
    assert "Home" not in gift.text and "All rights reserved" not in gift.text   # main text only
    assert gift.published == "2025-03-18"   # the page's own date
    assert plain.published == "2025-03-19"  # none on the page: the day it was crawled
    assert gift.id.startswith("wrenfieldpost-example-news-2025-03-kessler-trust-looms-")


def test_other_records_are_passed_over_and_counted(tmp_path):
    _, _, skips = read([write_warc(tmp_path / "crawl.warc.gz")])
    assert dict(skips.reasons) == {"not English": 1, "not HTML pages": 1, "HTTP status other than 200": 2}
    assert skips.summary() == ("4 crawl records passed over (2 HTTP status other than 200, 1 not English, "
                               "1 not HTML pages)")


def test_uncompressed_warc_and_folders_of_warcs(tmp_path):
    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(folder / "part-1.warc", gzip_it=False)
    write_warc(folder / "part-2.warc.gz")
    articles, errors, _ = read([folder])
    assert errors == [] and len(articles) == 4
    assert len({a.id for a in articles}) == 2   # the same pages crawled twice keep their ids


def test_the_same_crawl_gives_the_same_ids(tmp_path):
    first, _, _ = read([write_warc(tmp_path / "a.warc.gz")])
    second, _, _ = read([write_warc(tmp_path / "b.warc.gz")])
    assert [a.id for a in first] == [a.id for a in second]


def test_truncated_warc_keeps_the_records_before_the_cut(tmp_path):
    path = write_warc(tmp_path / "cut.warc.gz")
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.7)])
    articles, errors, _ = read([path])
    assert [a.title for a in articles][:1] == ["Kessler Trust gives £250,000 to Wrenfield Museum"]
    [error] = errors
    assert error.path == str(path) and "the records before were read" in error.reason


def test_a_file_that_is_not_a_warc_is_reported(tmp_path):
    path = tmp_path / "notes.warc.gz"
    path.write_bytes(gzip.compress(b"just some notes, not a crawl\n"))
    articles, errors, _ = read([path])
    assert articles == [] and len(errors) == 1
    assert "not a WARC file" in errors[0].reason


def test_language_check_tells_english_from_other_languages():
    english = (CORPUS / "gift_stories.jsonl").read_text(encoding="utf-8")
    assert is_english(english)
    assert is_english("Short caption.")   # too short to judge: kept
    others = {
        "de": "Die Stadtbibliothek hat am Samstag nach zwei Jahren Umbau wieder geöffnet, und viele Familien kamen, "
              "um die neuen Räume zu sehen. Die Leiterin sagte, dass die Stadt den größten Teil der Kosten "
              "getragen hat und dass die Bibliothek nun auch sonntags für alle geöffnet ist.",
        "es": "La biblioteca municipal volvió a abrir sus puertas el sábado después de dos años de obras, y muchas "
              "familias llegaron para ver los nuevos espacios. La directora dijo que la ciudad pagó la mayor parte "
              "de los trabajos y que la biblioteca abrirá también los domingos para todos los vecinos.",
        "nl": "De bibliotheek van de stad is zaterdag na twee jaar verbouwing weer open gegaan, en veel gezinnen "
              "kwamen kijken naar de nieuwe ruimtes. De directeur zei dat de gemeente het grootste deel van de "
              "kosten heeft betaald en dat de bibliotheek nu ook op zondag voor iedereen open is.",
        "ru": "Городская библиотека в субботу снова открылась после двух лет ремонта, и многие семьи пришли "
              "посмотреть на новые залы. Директор сказала, что город оплатил большую часть работ и что "
              "теперь библиотека будет открыта и по воскресеньям для всех жителей города.",
    }
    assert {lang for lang, text in others.items() if is_english(text)} == set()
