"""The PySpark job, run in Spark local mode: its Parquet output, loaded into a store, equals a plain ingest."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from giftwatch.cli import main
from giftwatch.scale_commands import load_command, spark_command
from giftwatch.store import open_store
from tests.test_ingest import stored
from tests.test_warc import write_warc

CORPUS = Path(__file__).parent / "data" / "corpus"

if shutil.which("java") is None:
    pytest.skip("Spark needs Java and none is installed here: run .ci/install-java (apt-get install "
                "default-jre-headless)", allow_module_level=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A small mixed corpus: two JSON Lines files, a news crawl, and a file with one broken line."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(CORPUS / "gift_stories.jsonl", folder)
    shutil.copy(CORPUS / "local_news.jsonl", folder)
    write_warc(folder / "crawl.warc.gz")
    (folder / "wire.jsonl").write_text(
        '{"id": "wire-1", "text": "The Harwood Trust has given $60,000 to the Old Mill Arts Center to keep its '
        'pottery studio open, the center said on Monday."}\n{"id": "wire-2", "text": \n', encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def job(corpus, tmp_path_factory):
    """One run of `giftwatch spark` over the corpus (Spark starts once for the whole module)."""
    output = tmp_path_factory.mktemp("spark") / "out"
    result = CliRunner().invoke(
        spark_command, [str(corpus), "--output", str(output), "--master", "local[2]", "--partitions", "3"],
        catch_exceptions=False)
    return result, output


def test_spark_job_reports_what_it_found(job):
    result, output = job
    assert result.exit_code == 0, result.output
    assert "11 articles from 4 files: 6 parsed, 6 gifts" in result.stdout
    assert "4 crawl records passed over" in result.stdout
    assert "wire.jsonl:2" in result.stderr   # the broken line is reported, the rest went in
    assert {p.name for p in output.iterdir()} >= {"articles", "gifts", "quotes", "_giftwatch.json"}


def test_loaded_output_equals_a_plain_ingest(job, corpus, tmp_path):
    _, output = job
    loaded, ingested = tmp_path / "loaded.db", tmp_path / "ingested.db"
    load = CliRunner().invoke(load_command, [str(output), "--db", str(loaded)], catch_exceptions=False)
    assert load.exit_code == 0, load.output
    assert "11 articles read: 11 added" in load.output
    ingest = CliRunner().invoke(main, ["ingest", str(corpus), "--db", str(ingested), "--workers", "1"],
                                catch_exceptions=False)
    assert ingest.exit_code == 0, ingest.output
    assert stored(loaded) == stored(ingested)
    with open_store(loaded) as first, open_store(ingested) as second:
        assert first.counts() == second.counts()
        def without_row_ids(rows):   # rows are numbered in the order they were stored
            return sorted((json.dumps({k: v for k, v in row.items() if k != "gift_id"}, sort_keys=True)
                           for row in rows))

        assert without_row_ids(first.gifts()) == without_row_ids(second.gifts())
    again = CliRunner().invoke(load_command, [str(output), "--db", str(loaded)], catch_exceptions=False)
    assert "11 articles read: 0 added, 0 updated, 11 unchanged" in again.output


def test_flat_parquet_tables_for_analysis(job):
    import pyarrow.parquet as pq

    _, output = job
    gifts = pq.read_table(output / "gifts").to_pylist()
    by_recipient = {g["recipient"]: g for g in gifts}
    museum = by_recipient["Wrenfield Museum of Weaving"]
    assert (museum["amount"], museum["currency"], museum["donors"]) == (250000.0, "GBP", ["Kessler Trust"])
    assert museum["article_id"].startswith("wrenfieldpost-example-news-2025-03-kessler-trust-looms-")
    quotes = pq.read_table(output / "quotes").to_pylist()
    assert ("Every kid in this town deserves a quiet place to read,", ["Dinah Pruett"]) in [
        (q["text"], q["speakers"]) for q in quotes]


def test_load_refuses_an_unfinished_job(tmp_path):
    (tmp_path / "out" / "articles").mkdir(parents=True)
    result = CliRunner().invoke(load_command, [str(tmp_path / "out"), "--db", str(tmp_path / "gw.db")])
    assert result.exit_code == 1 and "did not finish" in str(result.exception)
