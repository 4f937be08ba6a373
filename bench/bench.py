"""Throughput benchmark: articles/second and peak memory, spaCy parse alone vs giftwatch.

usage: python bench/bench.py [--corpus PATH] [--articles N] [--batch-size B]

Each mode runs in a fresh subprocess so its peak memory (max RSS) is its own:
  parse    spaCy's parse of every article (the pipeline giftwatch uses)
  extract  the same parse plus giftwatch's gift and quote extraction
  ingest   extract plus storing into a new SQLite file
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "press.jsonl.gz"
MODES = ("parse", "extract", "ingest")


def load_articles(corpus: Path, count: int):
    from giftwatch.records import Article

    opener = gzip.open if corpus.suffix == ".gz" else open
    with opener(corpus, "rt", encoding="utf-8") as lines:
        for line in itertools.islice(lines, count):
            record = json.loads(line)
            yield Article(id=record["id"], text=record["text"], published=record.get("published"))


def run_mode(mode: str, corpus: Path, count: int, batch_size: int) -> dict:
    from giftwatch.nlp import load_pipeline
    from giftwatch.pipeline import extract_articles

    nlp = load_pipeline()
    articles = list(load_articles(corpus, count))
    words = sum(len(a.text.split()) for a in articles)
    nlp("warm up")
    start = time.perf_counter()
    gifts = quotes = 0
    if mode == "parse":
        for _ in nlp.pipe((a.text for a in articles), batch_size=batch_size):
            pass
    elif mode == "extract":
        for article in extract_articles(articles, batch_size=batch_size):
            gifts, quotes = gifts + len(article.gifts), quotes + len(article.quotes)
    else:
        from giftwatch.store import open_store

        with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "bench.db") as store:
            store.add_articles(extract_articles(articles, batch_size=batch_size))
            counts = store.counts()
            gifts, quotes = counts["gifts"], counts["quotes"]
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return dict(mode=mode, articles=len(articles), words=words, seconds=round(seconds, 2),
                articles_per_s=round(len(articles) / seconds, 2), words_per_s=round(words / seconds),
                peak_mb=round(peak_mb), gifts=gifts, quotes=quotes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)   # internal: one mode, JSON out
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"Error: no corpus at {args.corpus}: pass --corpus PATH (JSON Lines, optionally gzipped)")
    if args.mode:
        print(json.dumps(run_mode(args.mode, args.corpus, args.articles, args.batch_size)))
        return
    results = []
    for mode in MODES:
        out = subprocess.run([sys.executable, __file__, "--mode", mode, "--corpus", str(args.corpus),
                              "--articles", str(args.articles), "--batch-size", str(args.batch_size)],
                             check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    print(f"{'mode':8} {'articles':>8} {'words':>8} {'seconds':>8} {'art/s':>7} {'words/s':>8} {'peak MB':>8}"
          f" {'gifts':>6} {'quotes':>6}")
    for r in results:
        print(f"{r['mode']:8} {r['articles']:8} {r['words']:8} {r['seconds']:8} {r['articles_per_s']:7}"
              f" {r['words_per_s']:8} {r['peak_mb']:8} {r['gifts']:6} {r['quotes']:6}")
    parse, extract = results[0]["seconds"], results[1]["seconds"]
    print(f"extraction costs {100 * (extract - parse) / parse:+.1f}% on top of the parse")


if __name__ == "__main__":
    main()
