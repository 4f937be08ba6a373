"""Bad input, as the open web delivers it, in one batch through a real `giftwatch ingest`: each bad file (or
line) gets one message naming it and saying what to do, the good articles all go in, the run ends in bounded
time and memory. The limits are in docs/limits.md."""
from __future__ import annotations

import gzip
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_hardening_support import records_per_article

import giftwatch
from giftwatch.errors import GiftwatchError
from giftwatch.extractors.amounts import find_amounts
from giftwatch.extractors.dates import find_dates
from giftwatch.extractors.quotemarks import find_quote_spans

GIFTWATCH = Path(sys.executable).with_name("giftwatch")
MB = 1024 * 1024
STORY = ("The Wrenfield Rotary Club has donated $12,500 to the Ashby Youth Orchestra to buy instruments, the "
         "orchestra said on Monday.\n\n“These children have waited long enough,” said club president Nadia Ferro.")


def _gzip_cut(lines: list[str], keep: float) -> bytes:
    whole = gzip.compress("".join(lines).encode("utf-8"))
    return whole[:int(len(whole) * keep)]


def _warc(pages: list[tuple[str, str]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for url, html in pages:
        payload = html.encode("utf-8")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                              ("Content-Length", str(len(payload)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(payload),
                                                      http_headers=headers,
                                                      warc_headers_dict={"WARC-Date": "2025-03-19T06:30:00Z"}))
    return buffer.getvalue()


def _page(title: str, body: str) -> str:
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{body}</p></article></body></html>"


def bad_batch(folder: Path) -> dict[str, str]:
    """Write the batch; returns {file name: what its message must say} for the files that must be reported."""
    folder.mkdir()
    (folder / "good_story.txt").write_text(STORY, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\n\t \n", encoding="utf-8")
    (folder / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4096))
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "mixed_encodings.txt").write_bytes(   # UTF-8 and Latin-1 in one file: decoded, not refused
        "The Café Lumière Trust gave $4,000 to the Ostend Food Pantry.\n\n".encode("utf-8")
        + "“Merci,” said pantry manager José Muñoz.".encode("cp1252"))
    (folder / "non_english.txt").write_text(
        "Die Stiftung Hanseatische Kulturhilfe spendete 50.000 Euro an das Stadtmuseum Lübeck. „Wir sind "
        "dankbar“, sagte die Direktorin. 慈善基金会向市立图书馆捐赠了一百万元。", encoding="utf-8")
    (folder / "one_line.txt").write_text("word " * 600_000, encoding="utf-8")   # 3 MB without a line break
    with open(folder / "dump_100mb.txt", "wb") as handle:                     # a whole crawl saved as one "article"
        chunk = (STORY.replace("\n\n", " ") + " ").encode("utf-8") * 4096
        while handle.tell() < 100 * MB:
            handle.write(chunk)
    (folder / "nested.html").write_text(   # deeper than the HTML parser goes (256): its text is not seen
        "<html><body>" + "<div>" * 20_000 + "<p>The Corwin Fund gave $3,000 to the Lark Hill Shelter.</p>"
        + "</div>" * 20_000 + "</body></html>", encoding="utf-8")
    (folder / "malformed.html").write_text(   # unclosed and stray tags, a bare "<", no </html>
        "<html><head><title>Hollis gift</title><body><<p>>The Hollis Trust gave $9,000 to the Ashby Hospice "
        "on Friday, the hospice <b>said.<p>“It means a <i>new roof,</b>” said director Ruth Amadi. 3 < 4 &nbsp "
        "<div><span></p></p></td></body>", encoding="utf-8")
    (folder / "run_together.html").write_text(   # a credit-line pattern once took hours on such a paragraph
        _page("Ashby gift", "The Hollis Trust gave $9,000 to the Ashby Hospice on Friday.")
        .replace("</article>", "<p>" + "AbcDef" * 1000 + "</p><p>PHOTO" + "/Ab" * 500 + "</p></article>"),
        encoding="utf-8")
    lines = [json.dumps({"id": f"feed-{n}", "text": STORY.replace("Nadia Ferro", f"Nadia Ferro {n}")}) + "\n"
             for n in range(40)]
    (folder / "cut.jsonl.gz").write_bytes(_gzip_cut(lines, 0.6))
    (folder / "broken.jsonl").write_text(
        json.dumps({"id": "ok-1", "text": STORY}) + "\n"
        + '{"id": "bad-json", "text": "The Rook Trust gave\n'      # line 2: cut off
        + json.dumps({"id": "no-text", "title": "Only a title"}) + "\n"                        # line 3
        + json.dumps({"id": "number", "text": 12500}) + "\n"                                   # line 4
        + json.dumps(["not", "an", "object"]) + "\n"                                           # line 5
        + "\n"
        + json.dumps({"id": "ok-2", "text": STORY.replace("Nadia", "Ines")}) + "\n", encoding="utf-8")
    with open(folder / "long_line.jsonl", "w", encoding="utf-8") as handle:   # an 11 MB line between two good ones
        handle.write(json.dumps({"id": "before-long", "text": STORY}) + "\n")
        handle.write('{"id": "long", "text": "' + "gift " * (11 * MB // 5) + '"}\n')
        handle.write(json.dumps({"id": "after-long", "text": STORY.replace("Nadia", "Odile")}) + "\n")
    rows = "".join(f'row-{n},"The Lark Trust gave ${n},000 to the Fenwick Choir, the choir said."\n'
                   for n in range(1, 21))
    (folder / "export.csv").write_text(   # an 11 MB cell after rows that are fine
        "id,text\n" + rows + 'row-x,"' + "gift " * (11 * MB // 5) + '"\nrow-y,"More text."\n', encoding="utf-8")
    warc = _warc([(f"https://news.example/{n}", _page(f"Gift {n}", STORY)) for n in range(6)])
    (folder / "crawl.warc.gz").write_bytes(warc[:int(len(warc) * 0.55)])
    (folder / "thousands.txt").write_text(   # 5,000 amounts, parsed (it names a gift)
        "The Kessler Trust donated these sums this year: " + ", ".join(f"${n % 97 + 1},000" for n in range(5000))
        + ".", encoding="utf-8")
    (folder / "quotation_marks.txt").write_text(   # 5,000 quotation marks (the pre-pass finds no gift to parse for)
        " ".join("“Yes,” said Ann Lee." for _ in range(2500)), encoding="utf-8")
    return {"empty.txt": "empty", "blank.txt": "empty", "photo.txt": "binary", "noise.txt": "binary",
            "nested.html": "no visible article text", "one_line.txt": "GIFTWATCH_MAX_ARTICLE_CHARS", "dump_100mb.txt": "GIFTWATCH_MAX_ARTICLE_CHARS",
            "cut.jsonl.gz": "ends too early", "broken.jsonl:2": "not valid JSON", "broken.jsonl:3": '"text"',
            "broken.jsonl:4": "not a string", "broken.jsonl:5": "not an object", "crawl.warc.gz": "WARC",
            "long_line.jsonl:2": "11.0 MB", "export.csv": "cannot be read past row"}


def run_measured(command: list[str], timeout: float) -> tuple[subprocess.CompletedProcess, float]:
    """Run a command from a fresh Python whose only child it is, so its peak memory (max RSS, MB) is its own."""
    measure = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
               "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); sys.exit(code)")
    run = subprocess.run([sys.executable, "-c", measure, *command], capture_output=True, text=True, timeout=timeout)
    lines = run.stderr.rstrip("\n").split("\n")
    peak_kb = int(lines[-1])
    run.stderr = "\n".join(lines[:-1])
    return run, peak_kb / 1024


def test_a_batch_of_bad_input_is_reported_file_by_file_and_the_rest_goes_in(tmp_path):
    expected = bad_batch(tmp_path / "batch")
    db = tmp_path / "batch.db"
    started = time.monotonic()
    run, peak_mb = run_measured([str(GIFTWATCH), "ingest", str(tmp_path / "batch"), "--db", str(db), "--workers",
                                 "1", "--no-progress"], timeout=240)
    seconds = time.monotonic() - started
    skipped = [line for line in run.stderr.splitlines() if line.startswith("skipped ")]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    for where, says in expected.items():
        lines = [line for line in skipped if f"batch/{where}:" in line]
        assert len(lines) == 1, (where, skipped)
        assert says in lines[0], lines[0]
        assert ":" in lines[0].split(f"{where}:", 1)[1], lines[0]   # what is wrong: what to do
    assert len(skipped) == len(expected), skipped
    stored = records_per_article(db)
    sources = {row[0] for row in sqlite3.connect(db).execute("SELECT source FROM articles")}
    for name in ("good_story.txt", "mixed_encodings.txt", "non_english.txt", "malformed.html", "thousands.txt",
                 "quotation_marks.txt", "run_together.html"):
        assert any(s and s.endswith(name) for s in sources), (name, sources)
    assert {"ok-1", "ok-2", "before-long", "after-long", "row-1", "row-20"} <= set(stored)
    assert not {"bad-json", "no-text", "number", "long", "row-x"} & set(stored)
    assert 3 <= sum(1 for a in stored if a.startswith("feed-")) < 40   # the lines before the gzip damage
    assert any(s and s.startswith("https://news.example/") for s in sources)   # the records before the cut
    assert seconds < 120, f"the batch took {seconds:.0f} s"
    assert peak_mb < 1500, f"peak memory {peak_mb:.0f} MB (docs/limits.md states the bound)"


def test_oversized_standard_input_is_refused_without_reading_it_all():
    flood = ("The Kessler Trust gave $5,000 to the Avon Hospice. " * 240_000).encode()   # 12 MB, no end in sight
    run = subprocess.run([str(GIFTWATCH), "extract", "-"], input=flood, capture_output=True, timeout=60)
    errors = run.stderr.decode()
    assert run.returncode == 1 and "<stdin>" in errors and "over 10 MB" in errors and "split" in errors, errors
    assert "Traceback" not in errors and not run.stdout


def test_an_article_over_the_limit_is_refused_at_once_with_what_to_do(tmp_path, monkeypatch):
    huge = "The Kessler Trust gave $5,000 to the Avon Hospice. " * 200_000   # 10 MB of text
    started = time.monotonic()
    with pytest.raises(GiftwatchError) as refused:
        giftwatch.extract(huge)
    assert time.monotonic() - started < 5
    message = str(refused.value)
    assert "GIFTWATCH_MAX_ARTICLE_CHARS" in message and "split" in message, message
    monkeypatch.setenv("GIFTWATCH_MAX_ARTICLE_CHARS", "2000")
    with pytest.raises(GiftwatchError):
        giftwatch.extract(STORY * 20)
    assert giftwatch.extract(STORY).gifts   # under the limit, as before
    monkeypatch.setenv("GIFTWATCH_MAX_ARTICLE_CHARS", "lots")
    with pytest.raises(GiftwatchError, match="GIFTWATCH_MAX_ARTICLE_CHARS"):
        giftwatch.extract(STORY)


def test_extractors_stay_linear_on_thousands_of_marks_amounts_and_dates():
    """20,000 of each once took minutes (each match rescanned the text before it); seconds is a hang guard,
    not a benchmark: they take about 0.3 s here."""
    cases = [
        (find_quote_spans, "\n\n".join(f"“Gift number {n} is here,” she said." for n in range(10_000))),
        (find_amounts, " ".join(f"gave over $5,{n % 1000:03d} to the fund" for n in range(20_000))),
        (find_amounts, " ".join(f"five thousand dollars, wrote {n}" for n in range(20_000))),
        (lambda text: find_dates(text, "2024-05-01"), " ".join(f"he said Today on Tuesday {n}" for n in range(20_000))),
    ]
    for find, text in cases:
        started = time.monotonic()
        assert find(text)   # each finds what it looks for
        assert time.monotonic() - started < 10, (find, len(text))


def test_runs_of_punctuation_without_spaces_do_not_stall_the_parse():
    """spaCy's tokenizer is quadratic on long runs of affix characters: 20,000 dollar signs took 80 s."""
    for run in ("$" * 50_000, "“" * 50_000, "<" * 50_000, "🎁" * 50_000, "-." * 25_000):
        started = time.monotonic()
        article = giftwatch.extract(f"The Kessler Trust gave $5,000 to the Avon Hospice. {run} The end.")
        assert time.monotonic() - started < 20, run[:3]
        assert article.text.endswith("The end.") and article.gifts


def test_batches_are_bounded_in_characters_so_long_articles_do_not_pile_up(monkeypatch):
    """spaCy holds a whole batch in memory: 32 long articles at once would take gigabytes."""
    from giftwatch.limits import BATCH_CHARS
    from giftwatch.pipeline import ExtractionFailure, batches, extract_batch
    from giftwatch.nlp import load_pipeline
    from giftwatch.records import Article

    long_reads = [Article(id=f"long-{n}", text="x" * 40_000) for n in range(10)]
    shorts = [Article(id=f"short-{n}", text="y" * 3_000) for n in range(40)]
    sizes = [sum(len(a.text) for a in batch) for batch in batches(long_reads + shorts)]
    assert max(sizes) <= BATCH_CHARS and sum(sizes) == 40_000 * 10 + 3_000 * 40
    assert all(len(batch) <= 32 for batch in batches(shorts * 3))
    monkeypatch.setenv("GIFTWATCH_MAX_ARTICLE_CHARS", "5000")
    results = extract_batch(load_pipeline(), [Article(id="story", text=STORY), long_reads[0]])
    assert isinstance(results[0], Article) and results[0].gifts
    assert isinstance(results[1], ExtractionFailure) and "GIFTWATCH_MAX_ARTICLE_CHARS" in str(results[1])
    assert "giftwatch bug" not in str(results[1])
