"""Throughput benchmark: articles/second and peak memory, spaCy's parse alone vs giftwatch.

usage: python bench/bench.py [--corpus PATH] [--articles N] [--first] [--modes parse,prepass,all-quotes]
                             [--workers W] [--batch-size B]

Each mode runs in a fresh subprocess on the same N articles, evenly spaced over the corpus (or its
first N with --first), read into memory before the clock starts, so its time and peak memory (max
RSS; "worker MB" is the largest worker process's) are its own. The processor time and the machine's
load average are printed too: on a machine shared with other programs, wall-clock speed-ups from
worker processes shrink, and the processor time shows the work each mode does whatever the load:
  parse       (a) spaCy's full parse of every article: one process, the pipeline and settings giftwatch
              uses (thinc NumpyOps without blis, batches of 32, one math thread), which are faster
              than spaCy's defaults
  prepass     (b) `giftwatch ingest`: the pre-pass, then parse and extraction of the articles that may hold
              a gift, on W worker processes, into a new SQLite file
  all-quotes  (c) `giftwatch ingest --all-quotes`: as (b), and every article with a quotation is parsed too
  extract     the full parse plus giftwatch's extraction of every article, one process
  ingest      extract plus storing into a new SQLite file, one process (no pre-pass)
The default runs (a), (b) and (c) and prints the speed-ups of (b) and (c) over (a).
"""
from __future__ import annotations

import argparse
import gzip
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "press.jsonl.gz"
MODES = ("parse", "prepass", "all-quotes", "extract", "ingest")
DEFAULT_MODES = "parse,prepass,all-quotes"
TARGETS = {"prepass": 10.0, "all-quotes": 1.5}   # times faster than (a), from the issue


def _open(corpus: Path):
    return gzip.open(corpus, "rt", encoding="utf-8") if corpus.suffix == ".gz" else open(corpus, encoding="utf-8")


def load_articles(corpus: Path, count: int, *, spread: bool = False):
    """The first `count` articles, or with `spread` `count` articles evenly spaced over the whole corpus (its
    first lines come from one publisher; a spread sample is the corpus's mix)."""
    from giftwatch.records import Article

    step = 1
    if spread:
        with _open(corpus) as lines:
            step = max(1, sum(1 for _ in lines) // max(count, 1))
    with _open(corpus) as lines:
        for line in itertools.islice(lines, 0, count * step, step):
            record = json.loads(line)
            yield Article(id=record["id"], text=record["text"], published=record.get("published"),
                          title=record.get("title"), source=record.get("source"))


def _peak_mb(who: int) -> int:
    return round(resource.getrusage(who).ru_maxrss / 1024)


def run_mode(mode: str, corpus: Path, count: int, batch_size: int, workers: int, spread: bool) -> dict:
    from giftwatch.nlp import load_pipeline
    from giftwatch.pipeline import extract_articles, ingest_articles, one_math_thread
    from giftwatch.store import open_store

    articles = list(load_articles(corpus, count, spread=spread))
    words = sum(len(a.text.split()) for a in articles)
    if mode in ("parse", "extract", "ingest"):
        load_pipeline()("warm up")   # (b) and (c) load spaCy inside the timed run, as an ingest does
    start = time.perf_counter()
    cpu_before = sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),
                                                         resource.getrusage(resource.RUSAGE_CHILDREN)))
    gifts = quotes = parsed = 0
    with tempfile.TemporaryDirectory() as folder:
        if mode == "parse":
            nlp = load_pipeline()
            with one_math_thread():
                for _ in nlp.pipe((a.text for a in articles), batch_size=batch_size):
                    parsed += 1
        elif mode == "extract":
            for article in extract_articles(articles, batch_size=batch_size):
                gifts, quotes, parsed = gifts + len(article.gifts), quotes + len(article.quotes), parsed + 1
        elif mode == "ingest":
            with open_store(Path(folder) / "bench.db") as store:
                store.add_articles(extract_articles(articles, batch_size=batch_size))
                counts = store.counts()
            gifts, quotes, parsed = counts["gifts"], counts["quotes"], len(articles)
        else:
            with open_store(Path(folder) / "bench.db") as store:
                outcome = ingest_articles(articles, store, workers=workers, all_quotes=mode == "all-quotes")
            gifts, quotes, parsed = outcome.gifts, outcome.quotes, outcome.parsed
    seconds = time.perf_counter() - start
    used = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    cpu = sum(u.ru_utime + u.ru_stime for u in used) - cpu_before
    return dict(mode=mode, articles=len(articles), words=words, parsed=parsed, seconds=round(seconds, 2),
                cpu_s=round(cpu, 1), load=round(os.getloadavg()[0], 1),
                articles_per_s=round(len(articles) / seconds, 2), words_per_s=round(words / seconds),
                peak_mb=_peak_mb(resource.RUSAGE_SELF), worker_peak_mb=_peak_mb(resource.RUSAGE_CHILDREN),
                gifts=gifts, quotes=quotes, workers=workers if mode in ("prepass", "all-quotes") else 1)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--articles", type=int, default=1500,
                        help="how many articles, evenly spaced over the corpus (default: 1500)")
    parser.add_argument("--first", action="store_true", help="take the corpus's first articles instead")
    parser.add_argument("--modes", default=DEFAULT_MODES, help=f"comma-separated, from {', '.join(MODES)}")
    parser.add_argument("--workers", type=int, default=_cores(), help="worker processes for (b) and (c)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--mode", choices=MODES, help=argparse.SUPPRESS)   # internal: one mode, JSON out
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"Error: no corpus at {args.corpus}: pass --corpus PATH (JSON Lines, optionally gzipped)")
    if args.mode:
        print(json.dumps(run_mode(args.mode, args.corpus, args.articles, args.batch_size, args.workers,
                                  spread=not args.first)))
        return
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        sys.exit(f"Error: unknown mode {', '.join(unknown)}: choose from {', '.join(MODES)}")
    results = []
    for mode in modes:
        out = subprocess.run([sys.executable, __file__, "--mode", mode, "--corpus", str(args.corpus),
                              "--articles", str(args.articles), "--batch-size", str(args.batch_size),
                              "--workers", str(args.workers), *(["--first"] if args.first else [])],
                             check=True, capture_output=True, text=True).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(f"  {mode}: {results[-1]['seconds']} s", file=sys.stderr, flush=True)
    print(f"{'mode':10} {'articles':>8} {'parsed':>6} {'workers':>7} {'seconds':>8} {'art/s':>7} {'words/s':>8}"
          f" {'cpu s':>6} {'load':>5} {'peak MB':>7} {'worker MB':>9} {'gifts':>5} {'quotes':>6}")
    for r in results:
        print(f"{r['mode']:10} {r['articles']:8} {r['parsed']:6} {r['workers']:7} {r['seconds']:8}"
              f" {r['articles_per_s']:7} {r['words_per_s']:8} {r['cpu_s']:6} {r['load']:5} {r['peak_mb']:7}"
              f" {r['worker_peak_mb'] or '-':>9} {r['gifts']:5} {r['quotes']:6}")
    print(f"(cpu s: processor time of the mode and its workers; load: the machine's 1-minute load average at the end"
          f" of the mode, on {_cores()} cores: above that, other programs were taking cores)")
    by_mode = {r["mode"]: r for r in results}
    if "parse" in by_mode:
        base = by_mode["parse"]["articles_per_s"]
        for mode, target in TARGETS.items():
            if mode in by_mode:
                speedup = by_mode[mode]["articles_per_s"] / base
                cheaper = by_mode["parse"]["cpu_s"] / max(by_mode[mode]["cpu_s"], 0.1)
                print(f"{mode}: {speedup:.1f}x the articles/second of spaCy's full parse "
                      f"(target {target:g}x: {'met' if speedup >= target else 'NOT met'}); "
                      f"{cheaper:.1f}x less processor time")
        if "extract" in by_mode:
            extra = by_mode["extract"]["seconds"] / by_mode["parse"]["seconds"] - 1
            print(f"extraction costs {100 * extra:+.1f}% on top of the parse")


if __name__ == "__main__":
    main()
