"""From articles to extracted articles: parse in batches, then extract.

This is the one place that runs spaCy over articles; the CLI, the API, `giftwatch eval` and
the Spark job all go through it. `extract_articles` parses every article it is given (eval
needs exactly that); `ingest_articles` is the corpus-scale path: it skips articles a store
already holds, lets the cheap pre-pass (giftwatch.prefilter) decide which articles need the
parse at all, and parses those on every core.
"""
from __future__ import annotations

import hashlib
import os
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import chain, islice

from giftwatch.extractors import extract_doc
from giftwatch.limits import BATCH_CHARS, check_length, too_long
from giftwatch.nlp import load_pipeline
from giftwatch.prefilter import PARSE, STORE, has_quotations, route
from giftwatch.records import Article

BATCH_SIZE = 32
POOL_BATCH_SIZE = 8    # articles sent to a worker process at a time
CHUNK = 256            # articles looked up in the store at once
POOL_THRESHOLD = 64    # articles to parse before worker processes pay for their start-up
READ_AHEAD = 4000      # articles read to decide whether to start them


def make_article(text: str, *, published: str | None = None, id: str | None = None,
                 title: str | None = None, source: str | None = None) -> Article:
    """An Article for raw text, with an id stable for the same text."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
    return Article(id=id or f"text-{digest}", text=text, published=published, title=title, source=source)


def _published_day(published: str | None) -> str | None:
    """Keep only the ISO date part of a published timestamp."""
    if not published:
        return None
    match = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", published.strip())
    return match.group(0) if match else None


def batches(articles: Iterable[Article], size: int = BATCH_SIZE) -> Iterator[list[Article]]:
    """Batches of at most `size` articles and BATCH_CHARS characters (an article longer than that alone):
    spaCy holds a whole batch in memory, so a run of long articles must not make one huge batch.
    An article over the article limit raises ArticleTooLong (the readers refuse those before they get here)."""
    batch: list[Article] = []
    chars = 0
    for article in articles:
        check_length(article.text, article.source or article.id)
        if batch and (len(batch) >= size or chars + len(article.text) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(article)
        chars += len(article.text)
    if batch:
        yield batch


def extract_articles(articles: Iterable[Article], *, model: str | None = None,
                     batch_size: int = BATCH_SIZE) -> Iterator[Article]:
    """Yield each article with its gifts and quotes, parsing in batches (see `batches`)."""
    nlp = load_pipeline(model)
    for batch in batches(articles, batch_size):
        for doc, article in zip(nlp.pipe([a.text for a in batch], batch_size=len(batch)), batch):
            gifts, quotes = extract_doc(doc, _published_day(article.published), article.text)
            yield replace(article, gifts=gifts, quotes=quotes)


def extract_article(article: Article, *, model: str | None = None) -> Article:
    return next(extract_articles([article], model=model))


def extract_records(records: list[dict], *, model: str | None = None) -> list[dict]:
    """FORMAT.md dicts in, FORMAT.md dicts with gifts and quotes out (used by `giftwatch eval`)."""
    articles = (Article(id=r["id"], text=r["text"], published=r.get("published"), title=r.get("title"),
                        source=r.get("source")) for r in records)
    return [a.to_dict() for a in extract_articles(articles, model=model)]


# ---- corpus scale -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExtractionFailure:
    """An article the extractors raised on: reported and left unstored, so a fixed giftwatch redoes it."""

    article_id: str
    source: str | None
    error: str
    bug: bool = True   # False: the article itself is the problem (over the length limit), and error says why

    def __str__(self) -> str:
        if not self.bug:
            return f"{self.source or self.article_id}: {self.error}"
        return (f"{self.source or self.article_id}: extraction failed ({self.error}); the article was not "
                "stored. This is a giftwatch bug: please report it with the article")


@dataclass
class IngestCounts:
    """What an ingest did, for its summary line."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    already_stored: int = 0   # same id and text already in the store: skipped before the parse
    parsed: int = 0
    not_parsed: int = 0       # the pre-pass found nothing to parse them for
    failed: list[ExtractionFailure] = field(default_factory=list)
    gifts: int = 0
    quotes: int = 0
    all_quotes: bool = False

    @property
    def read(self) -> int:
        return self.added + self.updated + self.unchanged + len(self.failed)


def cores() -> int:
    """The cores this process may run on: the default number of workers."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def extract_batch(nlp, batch: list[Article]) -> list[Article | ExtractionFailure]:
    """Parse and extract a batch; an article the parse or the extractors fail on becomes an
    ExtractionFailure instead of stopping the batch, and so does one over the article limit (unparsed)."""
    refused = [too_long(len(a.text)) for a in batch]
    if any(refused):
        parsed = iter(extract_batch(nlp, [a for a, problem in zip(batch, refused) if not problem]))
        return [ExtractionFailure(a.id, a.source, problem, bug=False) if problem else next(parsed)
                for a, problem in zip(batch, refused)]
    try:
        docs: list = list(nlp.pipe([a.text for a in batch], batch_size=len(batch)))
    except Exception:   # noqa: BLE001 - find the one article the parse fails on
        docs = []
        for article in batch:
            try:
                docs.append(nlp(article.text))
            except Exception as exc:   # noqa: BLE001
                docs.append(exc)
    results: list[Article | ExtractionFailure] = []
    for doc, article in zip(docs, batch):
        try:
            if isinstance(doc, Exception):
                raise doc
            gifts, quotes = extract_doc(doc, _published_day(article.published), article.text)
        except Exception as exc:   # noqa: BLE001 - one article's bug must not stop a corpus
            message = f"{type(exc).__name__}: {exc}"
            results.append(ExtractionFailure(article.id, article.source, message[:200]))
            continue
        results.append(replace(article, gifts=gifts, quotes=quotes))
    return results


class _Done:
    """A batch extracted in this process: already finished."""

    def __init__(self, results: list):
        self.results = results

    def ready(self) -> bool:
        return True

    def get(self) -> list:
        return self.results


_worker_nlp = None


def one_math_thread():
    """Matrix maths on one thread (as a context manager, or for good when simply called). An ingest runs
    a process per core, and BLAS threads on top only fight over the same cores: measured here, a batch
    parses about 1.4x faster with one thread than with OpenBLAS's default of one per core."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _start_worker(model: str | None, parent_pid: int) -> None:
    """Load spaCy once per worker. Ctrl-C is the parent's to handle (it stops the pool); a worker whose
    parent was killed exits on its own instead of lingering."""
    from giftwatch.nlp import use_fast_ops

    global _worker_nlp
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), daemon=True).start()
    use_fast_ops()
    one_math_thread()
    _worker_nlp = load_pipeline(model)


def _exit_with_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


def _extract_in_worker(batch: list[Article]) -> list[Article | ExtractionFailure]:
    return extract_batch(_worker_nlp, batch)


class BatchRunner:
    """Extracts batches in this process, or in a pool of worker processes (one spaCy each)."""

    def __init__(self, model: str | None, workers: int, batch_size: int = BATCH_SIZE):
        self.model, self.workers, self.batch_size = model, max(1, workers), batch_size
        self.pool = None

    @property
    def max_pending(self) -> int:
        return 4 * self.workers if self.pool is not None else 0

    def start_pool(self) -> None:
        """Worker processes, forked where the system can (they share the pipeline loaded here, and need
        no importable __main__); spawned elsewhere. The pipeline is loaded first so that a missing model
        is one clear error here, not workers failing to start over and over."""
        import multiprocessing

        load_pipeline(self.model)
        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        self.pool = context.Pool(self.workers, initializer=_start_worker, initargs=(self.model, os.getpid()))
        # Smaller batches keep every worker busy to the end; spaCy parses as fast in batches of 8 as of 32.
        self.batch_size = min(self.batch_size, POOL_BATCH_SIZE)

    def submit(self, batch: list[Article]):
        if self.pool is None:
            with one_math_thread():
                return _Done(extract_batch(load_pipeline(self.model), batch))
        return self.pool.apply_async(_extract_in_worker, (batch,))

    def close(self, *, abort: bool = False) -> None:
        if self.pool is None:
            return
        if abort:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()
        self.pool = None


def _routed(articles: Iterable[Article], store, counts: IngestCounts, *, all_quotes: bool, prefilter: bool,
            reextract: bool) -> Iterator[tuple[Article, str]]:
    """(article, route) for each article not already stored; stored ones are counted and skipped."""
    iterator = iter(articles)
    while chunk := list(islice(iterator, CHUNK)):
        stored = {} if reextract or store is None else store.stored_text_hashes(a.id for a in chunk)
        for article in chunk:
            way = route(article.text, all_quotes=all_quotes, prefilter=prefilter)
            if stored.get(article.id) == _text_sha256(article.text) and not (
                    way != STORE and all_quotes and _stored_without_quotes(store, article)):
                counts.already_stored += 1
                counts.unchanged += 1
                continue
            yield article, way


def _stored_without_quotes(store, article: Article) -> bool:
    """An article stored by an ingest without --all-quotes was not parsed; --all-quotes parses it now.
    Every parsed article with a quotation has at least one quote, so none means "not parsed"."""
    if not has_quotations(article.text):
        return False
    stored = store.get_article(article.id)
    return stored is not None and not stored.quotes


def extract_for_ingest(articles: Iterable[Article], *, store=None, model: str | None = None,
                       workers: int | None = None, all_quotes: bool = False, prefilter: bool = True,
                       reextract: bool = False, counts: IngestCounts | None = None,
                       batch_size: int = BATCH_SIZE) -> Iterator[Article]:
    """The articles to store, extracted as the pre-pass decides, skipping those `store` already holds.

    Articles the pre-pass turns away come back without gifts or quotes; parsed ones come back
    when their batch is done, so the order is not the input order. Worker processes start only
    when enough articles need the parse; `workers` defaults to every core. Articles the
    extractors fail on are counted in `counts.failed` and not yielded.
    """
    counts = counts if counts is not None else IngestCounts()
    runner = BatchRunner(model, cores() if workers is None else workers, batch_size)
    routed = _routed(articles, store, counts, all_quotes=all_quotes, prefilter=prefilter, reextract=reextract)
    head, to_parse = [], 0
    for item in routed:
        head.append(item)
        to_parse += item[1] != STORE
        if to_parse >= POOL_THRESHOLD or len(head) >= READ_AHEAD:
            break
    if runner.workers > 1 and to_parse >= POOL_THRESHOLD:
        runner.start_pool()
    finished = False
    try:
        yield from _run(chain(head, routed), runner, counts)
        finished = True
    finally:
        runner.close(abort=not finished)


def _run(routed: Iterable[tuple[Article, str]], runner: BatchRunner, counts: IngestCounts) -> Iterator[Article]:
    pending: deque = deque()   # (handle, the route of each article in its batch)
    batch: list[Article] = []
    ways: list[str] = []
    chars = 0

    def results(handle, batch_ways: list[str]) -> Iterator[Article]:
        for result, way in zip(handle.get(), batch_ways):
            if isinstance(result, ExtractionFailure):
                counts.failed.append(result)
                continue
            counts.parsed += 1
            yield result if way == PARSE else replace(result, gifts=[])   # QUOTES_ONLY: the pre-pass said no gift

    for article, way in routed:
        if way == STORE:
            counts.not_parsed += 1
            yield article
        else:
            if batch and chars + len(article.text) > BATCH_CHARS:   # bounded memory: see batches()
                pending.append((runner.submit(batch), ways))
                batch, ways, chars = [], [], 0
            batch.append(article)
            ways.append(way)
            chars += len(article.text)
            if len(batch) >= runner.batch_size:
                pending.append((runner.submit(batch), ways))
                batch, ways, chars = [], [], 0
        while pending and (pending[0][0].ready() or len(pending) > runner.max_pending):
            yield from results(*pending.popleft())
    if batch:
        pending.append((runner.submit(batch), ways))
    while pending:
        yield from results(*pending.popleft())


def ingest_articles(articles: Iterable[Article], store, *, model: str | None = None, workers: int | None = None,
                    all_quotes: bool = False, prefilter: bool = True, reextract: bool = False,
                    on_article: Callable[[Article], None] | None = None) -> IngestCounts:
    """Extract and store a corpus; an interrupted run, started again, picks up where it stopped.

    Each article is written whole or not at all, and articles already stored with the same text
    are skipped before the parse, so re-running after Ctrl-C or a kill neither duplicates nor
    loses an article.
    """
    counts = IngestCounts(all_quotes=all_quotes)

    def stored(extracted: Iterable[Article]) -> Iterator[Article]:
        for article in extracted:
            counts.gifts += len(article.gifts)
            counts.quotes += len(article.quotes)
            if on_article is not None:
                on_article(article)
            yield article

    outcome = store.add_articles(stored(extract_for_ingest(
        articles, store=store, model=model, workers=workers, all_quotes=all_quotes, prefilter=prefilter,
        reextract=reextract, counts=counts)))
    counts.added, counts.updated = outcome["added"], outcome["updated"]
    counts.unchanged += outcome["unchanged"]
    return counts
