"""News dumps: CSV and JSON Lines with their own field names, lists of saved pages, and big folders."""
from __future__ import annotations

import csv
import gzip
import json
import tracemalloc

import pytest

from giftwatch.errors import GiftwatchError
from giftwatch.readers import FieldMap, iter_articles
from tests.conftest import DATA

CORPUS = DATA / "corpus"
STORIES = [json.loads(line) for line in (CORPUS / "gift_stories.jsonl").read_text(encoding="utf-8").splitlines()]


def collect(paths, **kwargs):
    errors = []
    return list(iter_articles(paths, on_error=errors.append, **kwargs)), errors


def write_csv(path, rows, columns, **options):
    with open(path, "w", newline="", encoding=options.pop("encoding", "utf-8")) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, **options)
        writer.writeheader()
        writer.writerows(rows)
    return path


def dump_rows():
    """The gift stories as a news archive exports them: its own column names, multi-line bodies."""
    return [{"uuid": s["id"], "headline": s["title"], "body": s["text"], "pub_date": s["published"] + "T08:00:00Z",
             "link": s.get("url", "")} for s in STORIES]


DUMP_FIELDS = ["id=uuid", "title=headline", "text=body", "published=pub_date", "url=link"]


def test_csv_dump_with_its_own_column_names(tmp_path):
    path = write_csv(tmp_path / "archive.csv", dump_rows(), ["uuid", "headline", "body", "pub_date", "link"])
    articles, errors = collect([path], fields=DUMP_FIELDS)
    assert errors == []
    assert [a.id for a in articles] == [s["id"] for s in STORIES]
    first = articles[0]
    assert first.text == STORIES[0]["text"] and "\n\n" in first.text   # quoted multi-line cells survive
    assert (first.title, first.published, first.url) == (STORIES[0]["title"], "2025-04-12", STORIES[0]["url"])
    assert articles[1].url is None   # an empty cell is no value


def test_csv_separated_by_semicolons_gzipped_and_in_a_spreadsheet_encoding(tmp_path):
    rows = [{"body": "Cafe owner Ines Muñoz gave €5,000 to the Rivière shelter, the shelter said.", "date": ""}]
    plain = write_csv(tmp_path / "export.csv", rows, ["body", "date"], delimiter=";", encoding="cp1252")
    packed = tmp_path / "export2.csv.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    articles, errors = collect([plain, packed], fields=["text=body", "published=date"], published="2025-02-01")
    assert errors == []
    assert [a.text for a in articles] == [rows[0]["body"]] * 2
    assert articles[0].published == "2025-02-01"   # no date in the row: the default
    assert articles[0].id.startswith("export-1-") and articles[1].id.startswith("export2-1-")


def test_csv_without_the_text_column_says_which_columns_it_has(tmp_path):
    path = write_csv(tmp_path / "archive.csv", dump_rows(), ["uuid", "headline", "body", "pub_date", "link"])
    articles, errors = collect([path])
    assert articles == [] and len(errors) == 1
    assert 'no "text" column' in errors[0].reason and "uuid, headline, body" in errors[0].reason
    assert "--field text=COLUMN" in errors[0].reason


def test_bad_csv_rows_cost_only_themselves(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text('id,text,published\n'
                    'a1,"Halbrook Energy has donated $25,000 to the fire department.",2025-01-09\n'
                    'a2,,2025-01-10\n'
                    'a3,"A bakery opened on Market Street.",last Tuesday\n'
                    'a4,"The Rotary Club gave $2,000 to the library.",2025-01-12,extra\n'
                    'a5,"The council met on Monday.",2025-01-13\n', encoding="utf-8")
    articles, errors = collect([path])
    assert [a.id for a in articles] == ["a1", "a5"]
    assert [(e.line, e.reason.split(":")[0]) for e in errors] == [
        (3, 'row 2 has no "text" (missing or empty)'), (4, "row 3"),
        (5, "row 4 has more cells than the header has columns")]


def test_jsonl_dump_with_renamed_and_nested_fields(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(json.dumps({"uuid": s["id"], "content": {"body": s["text"], "headline": s["title"]},
                                          "meta": {"date": s["published"]}}) for s in STORIES) + "\n")
    articles, errors = collect([path], fields=["id=uuid", "text=content.body", "title=content.headline",
                                               "published=meta.date"])
    assert errors == []
    assert [(a.id, a.title, a.published) for a in articles] == [(s["id"], s["title"], s["published"]) for s in STORIES]


def test_field_names_are_checked():
    with pytest.raises(GiftwatchError, match="unknown article field 'body'"):
        FieldMap.parse(["body=text"])
    with pytest.raises(GiftwatchError, match="not FIELD=NAME"):
        FieldMap.parse(["text"])


def test_saved_pages_listed_with_their_urls(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "looms.html").write_bytes((CORPUS / "page_gift.html").read_bytes())
    (pages / "ferry.txt").write_text("The ferry adds two evening crossings from May.\n", encoding="utf-8")
    listing = tmp_path / "saved.urls"
    listing.write_text("# saved by the newsroom crawler\n"
                       "https://www.wrenfieldpost.example/news/looms\tpages/looms.html\n"
                       "https://ledger.example.com/ferry\tpages/ferry.txt\t2025-04-14\n"
                       "https://ledger.example.com/missing\tpages/missing.html\n"
                       "https://ledger.example.com/no-path\n", encoding="utf-8")
    articles, errors = collect([listing])
    assert [(a.url, a.published) for a in articles] == [
        ("https://www.wrenfieldpost.example/news/looms", "2025-03-18"),
        ("https://ledger.example.com/ferry", "2025-04-14")]
    assert articles[0].text.startswith("The Kessler Trust has given £250,000")
    assert articles[0].id.startswith("wrenfieldpost-example-news-looms-")
    assert [e.line for e in errors] == [4, 5]
    assert "pages/missing.html" in errors[0].reason and "URL<TAB>PATH" in errors[1].reason


def test_folder_order_is_sorted_path_order(tmp_path):
    names = ["b/2.txt", "a.txt", "a/z.txt", "a b/1.txt", "c.jsonl", "b/10.txt", ".hidden/x.txt", "a/.x.txt"]
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Story from {name}.\n" if name.endswith(".txt") else '{"id": "c", "text": "From c."}\n')
    articles, errors = collect([tmp_path])
    assert errors == []
    assert [a.text for a in articles] == ["Story from a/z.txt.", "Story from a b/1.txt.", "Story from a.txt.",
                                          "Story from b/10.txt.", "Story from b/2.txt.", "From c."]


def test_a_large_dump_is_read_in_flat_memory(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    story = STORIES[0]
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for n in range(20_000):
            handle.write(json.dumps({"id": f"n{n}", "text": story["text"] + f" ({n})"}) + "\n")
    tracemalloc.start()
    count = sum(1 for _ in iter_articles([path]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 20_000
    assert peak < 2_000_000   # a few articles at a time, not 20,000 (about 11 MB of text)
