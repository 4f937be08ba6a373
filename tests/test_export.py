"""Exports (CSV, JSON Lines, Parquet, CRM-ready CSV) and full-text search, on both backends, over articles the
real pipeline extracted from tests/data/outlets."""
from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_store_support import db_url, outlet_articles, pg_schema_url  # noqa: F401  (fixtures)

from giftwatch.errors import StoreError
from giftwatch.records import Article, Gift
from giftwatch.store import open_store
from giftwatch.store.commands import export, search
from giftwatch.store.export import CRM_COLUMNS
from giftwatch.store.search import fts5_query

MEMORIAL = Article(
    id="courier-2025-09-17-olwen", source="Harlow Courier", url="https://harlowcourier.example/olwen-bequest",
    published="2025-09-17", text="Margaret Olwen left $3 million to the Harlow Public Library in memory of her late "
                                 "husband, Gerald Olwen.",
    gifts=[Gift(donors=["Margaret Olwen"], recipient="Harlow Public Library", amount=3_000_000, currency="USD",
                kind="bequest", date="2025", in_name_of=["Gerald Olwen"],
                evidence="Margaret Olwen left $3 million to the Harlow Public Library in memory of her late husband, "
                         "Gerald Olwen.")])


@pytest.fixture
def store(db_url: str, outlet_articles):
    with open_store(db_url) as opened:
        for articles in outlet_articles.values():
            opened.add_articles(copy.deepcopy(articles))
        opened.add_article(MEMORIAL)
        yield opened


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_crm_csv_has_one_row_per_real_gift_in_import_columns(store, tmp_path: Path) -> None:
    path = tmp_path / "crm.csv"
    written = store.export("crm-csv", path)
    rows = read_csv(path)
    assert len(rows) == written == len(store.gift_groups())
    assert tuple(rows[0]) == CRM_COLUMNS
    vance = next(r for r in rows if r["Recipient Organization"] == "Harmon Valley Community College")
    assert {k: vance[k] for k in ("Donor Type", "Donor Name", "Donor First Name", "Donor Last Name",
                                  "Additional Donors", "Amount", "Currency", "Gift Date", "Date Precision",
                                  "Gift Type", "Number of Sources")} == {
        "Donor Type": "Individual", "Donor Name": "Theodora Vance", "Donor First Name": "Theodora",
        "Donor Last Name": "Vance", "Additional Donors": "Emil Vance", "Amount": "8500000.00", "Currency": "USD",
        "Gift Date": "2026-03-09", "Date Precision": "day", "Gift Type": "Donation", "Number of Sources": "3"}
    assert vance["Source URL"].startswith("https://") and vance["Gift ID"].startswith("GW-G")
    olwen = next(r for r in rows if r["Donor Name"] == "Margaret Olwen")
    assert (olwen["Tribute Type"], olwen["Honoree Name"], olwen["Gift Type"]) == ("Memorial", "Gerald Olwen", "Bequest")
    assert (olwen["Gift Date"], olwen["Date Precision"]) == ("2025-01-01", "year")
    pantry = next(r for r in rows if r["Recipient Organization"] == "Northfield Food Pantry")
    assert (pantry["Donor Type"], pantry["Donor Organization"], pantry["Donor First Name"]) == (
        "Organization", "Pell Foundation", "")
    payment = next(r for r in rows if r["Donor Name"] == "Harriet Quill" and r["Gift Type"] != "Pledge")
    assert payment["Linked Pledge ID"].startswith("GW-G")


def test_csv_and_jsonl_keep_every_source(store, tmp_path: Path) -> None:
    store.export("csv", tmp_path / "gifts.csv")
    store.export("jsonl", tmp_path / "gifts.jsonl")
    row = next(r for r in read_csv(tmp_path / "gifts.csv") if r["recipient"] == "Harmon Valley Community College")
    assert row["source_count"] == "3" and len(row["article_ids"].split("; ")) == 3
    assert row["donors"] == "Theodora Vance; Emil Vance" and row["amount"] == "8500000"
    records = [json.loads(line) for line in (tmp_path / "gifts.jsonl").read_text().splitlines()]
    vance = next(r for r in records if r["recipient"] == "Harmon Valley Community College")
    # reports in order of publication (then article id)
    assert [s["source"] for s in vance["reports"]] == ["Harborview Post", "Tri-County Ledger", "Valley Dispatch"]


def test_parquet_keeps_types_and_lists(store, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    assert store.export("parquet", tmp_path / "gifts.parquet") == len(store.gift_groups())
    table = pq.read_table(tmp_path / "gifts.parquet")
    assert str(table.schema.field("amount").type) == "double"
    vance = next(r for r in table.to_pylist() if r["recipient"] == "Harmon Valley Community College")
    assert vance["donors"] == ["Theodora Vance", "Emil Vance"] and len(vance["reports"]) == 3
    assert store.export("parquet", tmp_path / "quotes.parquet", table="quotes") == store.counts()["quotes"]
    quotes = pq.read_table(tmp_path / "quotes.parquet").to_pylist()
    assert any(q["speaker_keys"] == ["theodora-vance"] and q["gift_ids"] for q in quotes)


def test_entities_export_and_bad_destinations(store, tmp_path: Path) -> None:
    assert store.export("jsonl", tmp_path / "entities.jsonl", table="entities") == len(store.entities())
    with pytest.raises(StoreError, match="does not exist. Create it first"):
        store.export("csv", tmp_path / "missing" / "gifts.csv")
    with pytest.raises(StoreError, match="binary format"):
        store.export("parquet", "-")
    with pytest.raises(StoreError, match="one row per gift"):
        store.export("crm-csv", tmp_path / "x.csv", table="quotes")


def test_export_command_writes_the_file_and_says_so(store, db_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(export, ["--format", "crm-csv", "-o", str(tmp_path / "crm.csv"), "--db", db_url])
    assert result.exit_code == 0, result.output
    assert f"Wrote {len(store.gift_groups())} gifts to {tmp_path / 'crm.csv'} (crm-csv)." in result.output
    result = CliRunner().invoke(export, ["--format", "csv", "-o", "-", "--table", "entities", "--db", db_url])
    assert result.output.startswith("key,name,kind,aliases,articles")


def test_search_finds_stemmed_words_phrases_and_excludes(store) -> None:
    hits = store.search("nurses train")
    assert hits and hits[0]["kind"] == "quote" and "Theodora Vance" in hits[0]["speakers"]
    assert "[" in hits[0]["snippet"]
    assert {h["article_id"] for h in store.search('"keep a hospital open"')} == {
        "ledger-2026-03-10-vance-gift", "dispatch-2026-03-12-vance-donation"}
    evidence = store.search("donated", kind="evidence")  # the stem finds "donated" and "donation"
    assert evidence and all(h["kind"] == "evidence" and h["gift_group"] for h in evidence)
    assert not any("Vance" in " ".join(h.get("speakers", [])) for h in store.search("hospital -nurse -vance"))
    assert store.search("milk OR chapel", limit=5)
    assert store.search("zebra") == []


def test_search_rejects_empty_queries_and_the_command_prints_matches(store, db_url: str) -> None:
    with pytest.raises(StoreError, match="words to search for"):
        store.search("  ")
    result = CliRunner().invoke(search, ["chapel", "--db", db_url])
    assert result.exit_code == 0 and "Daniel Reyes" in result.output and "Eastbrook Courier" in result.output


def test_fts5_queries_are_quoted_so_no_word_is_an_operator() -> None:
    assert fts5_query('near "intensive care" -budget') == '("near" "intensive care") NOT ("budget")'
    assert fts5_query("milk OR chapel") == '"milk" OR "chapel"'
    with pytest.raises(StoreError, match="at least one word"):
        fts5_query("-budget")
