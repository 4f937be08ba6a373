"""The command line as a user drives it: extract, ingest, query, eval, and errors."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from giftwatch.cli import main
from tests.conftest import DATA, SAMPLES

STORY = """Harbor Lights Children's Museum received $2.5 million from the Okafor Family Foundation on Monday, \
the museum said.

"This gift lets us open our doors to every family in the county," said Renee Castillo, the museum's director.

She added, "We could not have done it without Ada and Tunde Okafor."
"""


def run(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "museum.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_extract_prints_one_format_record_per_article(story):
    result = run("extract", str(story), "--published", "2025-05-14")
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.strip())
    assert set(record) >= {"id", "source", "published", "title", "text", "gifts", "quotes"}
    assert record["published"] == "2025-05-14"
    gift = record["gifts"][0]
    assert gift["amount"] == 2500000 and gift["currency"] == "USD"
    assert "Okafor Family Foundation" in gift["donors"]
    assert gift["recipient"] == "Harbor Lights Children's Museum"
    assert gift["date"] == "2025-05-12"
    speakers = [q["speakers"] for q in record["quotes"]]
    assert speakers == [["Renee Castillo"], ["Renee Castillo"]]
    for quote in record["quotes"]:
        assert record["text"][quote["start"]:quote["end"]] == quote["text"]


def test_extract_reads_stdin():
    result = run("extract", "-", input=STORY)
    assert result.exit_code == 0
    assert json.loads(result.output)["gifts"]


def test_ingest_twice_changes_nothing(tmp_path):
    db = str(tmp_path / "gw.db")
    first = run("ingest", str(SAMPLES), "--db", db)
    assert first.exit_code == 0, first.output
    second = run("ingest", str(SAMPLES), "--db", db)
    assert second.exit_code == 0
    assert "0 added, 0 updated" in second.output
    counts = [line for line in first.output.splitlines() if line.startswith("Database")]
    assert counts == [line for line in second.output.splitlines() if line.startswith("Database")]


def test_ingest_skips_broken_files_and_keeps_the_rest(tmp_path, story):
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "good.txt").write_text(STORY, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "wire.jsonl").write_text('{"id": "w1", "text": "' + STORY.replace("\n", "\\n").replace('"', '\\"')
                                       + '"}\n{"id": "w2", "text": \n', encoding="utf-8")
    db = str(tmp_path / "gw.db")
    result = CliRunner().invoke(main, ["ingest", str(folder), "--db", db])
    assert result.exit_code == 0, result.output
    assert "empty.txt" in result.output and "photo.txt" in result.output and "wire.jsonl:2" in result.output
    assert "2 articles read: 2 added" in result.output
    assert "Database" in result.output and "2 articles" in result.output


def test_queries_filter_and_export(tmp_path, story):
    db = str(tmp_path / "gw.db")
    assert run("ingest", str(story), "--db", db, "--published", "2025-05-14").exit_code == 0
    table = run("gifts", "--db", db, "--donor", "okafor")
    assert "Harbor Lights" in table.output and "$2,500,000" in table.output
    assert "No gifts match" in run("gifts", "--db", db, "--min-amount", "5000000").output
    rows = list(csv.DictReader(io.StringIO(run("gifts", "--db", db, "--csv").output)))
    assert rows[0]["recipient"] == "Harbor Lights Children's Museum"
    quotes = [json.loads(line) for line in run("quotes", "--db", db, "--speaker", "castillo", "--json").output.splitlines()]
    assert len(quotes) == 2 and quotes[0]["speakers"] == ["Renee Castillo"]
    donors = run("donors", "--db", db, "--json").output
    assert json.loads(donors.splitlines()[0])["total_usd"] == 2500000


def test_eval_prints_scores(shared):
    result = run("eval", str(shared / "gold" / "seed.jsonl"))
    assert result.exit_code == 0
    assert "1.0" in result.output
    data = json.loads(run("eval", str(shared / "gold" / "seed.jsonl"), "--json").output)
    assert data["overall"]["gift_f1"] == 1.0 and data["overall"]["attribution_f1"] == 1.0


def test_errors_are_one_line_with_advice_and_exit_1(tmp_path):
    missing = tmp_path / "no-such-dir" / "gw.db"
    proc = subprocess.run([sys.executable, "-m", "giftwatch.cli", "gifts", "--db", str(missing)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_eval_on_a_broken_gold_file_says_which_line(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "x"}\nnot json\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["eval", str(gold)])
    assert result.exit_code == 1
    assert "gold.jsonl:2" in result.output
