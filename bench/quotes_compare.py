"""Side by side: giftwatch's quotes against textacy's and sayswho's, same parse, same gold, same scorer.

usage: python bench/quotes_compare.py [GOLD.jsonl or folder ...] [--repeats N] [--check]

Every gold article is parsed once by giftwatch's spaCy pipeline (`giftwatch.nlp.load_pipeline()`);
each tool then extracts quotes from those same parsed docs, and is scored by giftwatch's scorer
(`giftwatch.eval.score`, the FORMAT.md rules). Speed is the time of each tool's extraction alone,
over the already-parsed docs: CPU time of this process (so other work on a shared machine does not
count), the best of --repeats passes taken in turns, as timeit does. The parse, which all three
need, is reported on its own line.

How each tool's output becomes FORMAT.md quote dicts:
  textacy   `textacy.extract.triples.direct_quotations(doc)` (textacy 0.13) gives (speaker, cue,
            content) token triples. text = the content span without its quotation marks (and white
            space) at either end; speakers = the speaker tokens grouped into contiguous runs, one name
            per run, a run that holds a proper noun widened to the whole contiguous proper-noun chunk
            around it ("Woltjen" → "Maria Woltjen"; pronouns such as "she" stay as they are, since the
            tool does not resolve them); cue = the cue tokens joined.
            The tool raises ValueError on a whole article whose quotation marks are odd in number;
            it then runs again on each line (paragraph) of the article, a paragraph that still raises
            giving nothing (the same fallback as sayswho, so both get the same chance). The row
            "textacy 0.13, no rerun" is the tool as it comes: a failed article gives no quotes. The
            rerun makes textacy slower. giftwatch's time limit (1.2x, --check) is on the time per
            article a user waits (the shared parse plus the tool); extraction alone is printed too,
            against textacy with and without the rerun.
  sayswho   `sayswho.quote_finder.quote_finder(doc)` (sayswho 0.1.4; its SaysWho class needs a coref
            model, not used here) gives the same triples; converted exactly like textacy's. It raises
            TypeError on any article with a blank line (it takes "\n\n" for a quotation mark), so it
            runs per line (paragraph), as its own text preparation does.
  giftwatch `giftwatch.extractors.quotes.quotes_of_doc(doc, text)` (text: the article text every
            pipeline has; spaCy's doc.text rebuilds it from tokens on each call): quote finding, the article's cast of
            people (`build_cast`, which speaker resolution needs) and attribution, as `extract_doc`
            runs them; its Quote records as they are (`Quote.to_dict()`).
Per-line runs use `Span.as_doc()` of the shared parse, so no tool parses twice.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Token

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT.parent / "shared" / "gold"
QUOTE_MARKS = "\"'`“”„‟‘’‚‛«»‹›「」『』″′"
SCORE_KEYS = [("quote P", "quote_p"), ("quote R", "quote_r"), ("quote F1", "quote_f1"),
              ("speaker acc", "speaker_acc"), ("attr P", "attribution_p"), ("attr R", "attribution_r"),
              ("attr F1", "attribution_f1")]
MAX_SLOWDOWN = 1.2   # giftwatch may take at most this times textacy's time per article
TEXTACY, GIFTWATCH = "textacy 0.13", "giftwatch"
_LINE_BREAK = re.compile(r"\n+")


# --- converting the open tools' triples -----------------------------------------------------------

def _proper_noun_chunk(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the contiguous run of proper nouns around it."""
    while start > 0 and doc[start - 1].pos_ == "PROPN":
        start -= 1
    while end < len(doc) and doc[end].pos_ == "PROPN":
        end += 1
    return start, end


def speaker_names(tokens: list[Token]) -> list[str]:
    """One name per contiguous run of speaker tokens; a run with a proper noun becomes its whole chunk."""
    if not tokens:
        return []
    doc = tokens[0].doc
    indices = sorted({t.i for t in tokens})
    runs: list[list[int]] = [[indices[0]]]
    for i in indices[1:]:
        if i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    names: list[str] = []
    for run in runs:
        start, end = run[0], run[-1] + 1
        if any(doc[i].pos_ == "PROPN" for i in run):
            start, end = _proper_noun_chunk(doc, start, end)
        name = doc[start:end].text.strip()
        if name and name not in names:
            names.append(name)
    return names


def triple_to_quote(triple) -> dict:
    """A (speaker, cue, content) triple as a FORMAT.md quote dict."""
    return {"text": triple.content.text.strip().strip(QUOTE_MARKS).strip(),
            "speakers": speaker_names(list(triple.speaker)),
            "speaker_role": None,
            "cue": " ".join(t.text for t in triple.cue) or None}


@dataclass
class FallbackCount:
    """How often a tool failed on a whole article and had to run per paragraph."""

    articles: int = 0
    paragraphs: int = 0
    failed_paragraphs: int = 0


def line_docs(doc: Doc) -> Iterable[Doc]:
    """Each line (paragraph) with a quotation mark, as a doc of its own, from the same parse.

    A line without a quotation-mark token cannot give either tool a quote, so it is skipped
    (copying it into a doc would only make the tool look slower).
    """
    is_quote = doc.to_array("IS_QUOTE")
    for match in re.finditer(r"[^\n]+", doc.text):
        if match.group().strip():
            span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
            if span is not None and len(span) and is_quote[span.start:span.end].any():
                yield span.as_doc()


def triples_tool(find_triples: Callable[[Doc], Iterable], fallback: FallbackCount) -> Callable[[Doc], list[dict]]:
    """Quotes of a triple-yielding tool, per paragraph when it fails on the whole article."""

    def quotes(doc: Doc) -> list[dict]:
        try:
            return [triple_to_quote(t) for t in find_triples(doc)]
        except Exception:   # textacy: ValueError on an odd number of marks; sayswho: TypeError on "\n\n"
            fallback.articles += 1
        found = []
        for paragraph in line_docs(doc):
            fallback.paragraphs += 1
            try:
                found += [triple_to_quote(t) for t in find_triples(paragraph)]
            except Exception:
                fallback.failed_paragraphs += 1
        return found

    return quotes


def whole_articles_only(find_triples: Callable[[Doc], Iterable]) -> Callable[[Doc], list[dict]]:
    """The tool as it comes: an article it fails on gives no quotes."""

    def quotes(doc: Doc) -> list[dict]:
        try:
            return [triple_to_quote(t) for t in find_triples(doc)]
        except ValueError:
            return []

    return quotes


def giftwatch_tool() -> Callable[[Doc], list[dict]]:
    from giftwatch.extractors.quotes import quotes_of_doc

    return lambda doc: [q.to_dict() for q in quotes_of_doc(doc, doc.user_data.get("text"))]


# --- running ---------------------------------------------------------------------------------------

@dataclass
class Tool:
    name: str
    quotes: Callable[[Doc], list[dict]]
    fallback: FallbackCount | None = None
    seconds: dict[str, float] = field(default_factory=dict)   # gold file → best pass time


def make_tools() -> list[Tool]:
    try:
        from sayswho.quote_finder import quote_finder
        from textacy.extract.triples import direct_quotations
    except ImportError as exc:
        sys.exit(f"Error: {exc.name} is not installed: run `make bench-quotes`, or install "
                 "requirements-bench.lock and requirements-bench-nodeps.txt into .venv")
    textacy_fallback, sayswho_fallback = FallbackCount(), FallbackCount()
    return [Tool(TEXTACY, triples_tool(direct_quotations, textacy_fallback), textacy_fallback),
            Tool(f"{TEXTACY}, no rerun", whole_articles_only(direct_quotations)),
            Tool("sayswho 0.1.4", triples_tool(quote_finder, sayswho_fallback), sayswho_fallback),
            Tool(GIFTWATCH, giftwatch_tool())]


def run_tools(tools: list[Tool], label: str, records: list[dict], docs: list[Doc],
              repeats: int) -> dict[str, list[dict]]:
    """Each tool's predicted article records for one gold file; its best pass time goes to tool.seconds.

    The passes take turns (textacy, sayswho, giftwatch, textacy, ...) so that a busy spell on a
    shared machine slows them alike; fallbacks are counted over the first pass only.
    """
    predicted: dict[str, list[dict]] = {}
    for attempt in range(repeats):
        for tool in tools:
            counted = FallbackCount(**vars(tool.fallback)) if tool.fallback is not None else None
            start = time.process_time()
            quotes = [tool.quotes(doc) for doc in docs]
            seconds = time.process_time() - start
            tool.seconds[label] = min(seconds, tool.seconds.get(label, seconds))
            predicted[tool.name] = [{"id": r["id"], "quotes": q} for r, q in zip(records, quotes)]
            if attempt and counted is not None:
                vars(tool.fallback).update(vars(counted))
    return predicted


def quote_scores(gold: list[dict], predicted: list[dict]) -> dict:
    from giftwatch.eval import score

    return score(gold, predicted)


def format_table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join([row[0].ljust(widths[0]), row[1].ljust(widths[1])]
                               + [c.rjust(w) for c, w in zip(row[2:], widths[2:])]) for row in rows)


def _number(value) -> str:
    return "-" if value is None else f"{value:.4f}"


def compare(gold_paths: list[str], repeats: int) -> tuple[str, list[str]]:
    """Run all three tools on every gold file; the table and the list of failed checks."""
    from giftwatch.eval import load_gold
    from giftwatch.nlp import load_pipeline

    gold_by_file = load_gold(gold_paths)
    labels = {path: Path(path).name for path in gold_by_file}
    nlp = load_pipeline()
    nlp("warm up")
    tools = make_tools()
    docs_by_file, parse_seconds = {}, 0.0
    for path, records in gold_by_file.items():
        start = time.process_time()
        docs_by_file[path] = list(nlp.pipe((r["text"] for r in records), batch_size=32))
        for doc, record in zip(docs_by_file[path], records):
            doc.user_data["text"] = record["text"]   # the input text, which giftwatch's pipeline always has
        parse_seconds += time.process_time() - start
    scores: dict[tuple[str, str], dict] = {}
    all_gold = [r for records in gold_by_file.values() for r in records]
    all_predicted: dict[str, list[dict]] = {tool.name: [] for tool in tools}
    for path, records in gold_by_file.items():
        predicted = run_tools(tools, labels[path], records, docs_by_file[path], repeats)
        for tool in tools:
            scores[(tool.name, labels[path])] = quote_scores(records, predicted[tool.name])
            all_predicted[tool.name] += predicted[tool.name]
    if len(gold_by_file) > 1:
        for tool in tools:
            scores[(tool.name, "all")] = quote_scores(all_gold, all_predicted[tool.name])
            tool.seconds["all"] = sum(tool.seconds.values())
    groups = list(labels.values()) + (["all"] if len(gold_by_file) > 1 else [])
    articles = {label: len(gold_by_file[path]) for path, label in labels.items()}
    articles["all"] = len(all_gold)

    header = ["tool", "gold", "articles", "quotes gold/pred"] + [name for name, _ in SCORE_KEYS] + ["articles/s",
                                                                                                "ms/article"]
    rows = [header]
    for group in groups:
        for tool in tools:
            s, seconds = scores[(tool.name, group)], tool.seconds[group]
            rows.append([tool.name, group, str(articles[group]), f"{s['quotes_gold']}/{s['quotes_pred']}"]
                        + [_number(s[key]) for _, key in SCORE_KEYS]
                        + [f"{articles[group] / seconds:.1f}", f"{1000 * seconds / articles[group]:.2f}"])
    lines = [format_table(rows), "",
             f"spaCy parse (shared by all three, not in the times above): {articles['all']} articles in "
             f"{parse_seconds:.2f} s, {articles['all'] / parse_seconds:.1f} articles/s, "
             f"{1000 * parse_seconds / articles['all']:.1f} ms/article"]
    for tool in tools:
        if tool.fallback is not None:
            f = tool.fallback
            lines.append(f"{tool.name}: failed on {f.articles} whole article(s), rerun per paragraph "
                         f"({f.paragraphs} paragraphs, {f.failed_paragraphs} of them failed too)")
    failures = []
    for group in groups:
        ours = scores[(GIFTWATCH, group)]
        for other in tools[:-1]:
            theirs = scores[(other.name, group)]
            failures += [f"giftwatch {name} {_number(ours[key])} is below {other.name}'s "
                         f"{_number(theirs[key])} ({group})"
                         for name, key in SCORE_KEYS if (ours[key] or 0) < (theirs[key] or 0)]
    final = groups[-1]
    by_name = {tool.name: tool for tool in tools}
    textacy_seconds, our_seconds = by_name[TEXTACY].seconds[final], by_name[GIFTWATCH].seconds[final]
    ratio = our_seconds / textacy_seconds
    plain_seconds = by_name[f"{TEXTACY}, no rerun"].seconds[final]
    lines.append(f"extraction alone (on a shared parse): giftwatch takes {ratio:.2f}x textacy's time, "
                 f"{our_seconds / plain_seconds:.2f}x the time of textacy without the rerun")
    parse_per_article = parse_seconds / articles["all"]
    ours_total = parse_per_article + our_seconds / articles[final]
    textacy_total = parse_per_article + textacy_seconds / articles[final]
    total_ratio = ours_total / textacy_total
    lines.append(f"time per article, with the parse each needs: giftwatch {1000 * ours_total:.1f} ms, textacy "
                 f"{1000 * textacy_total:.1f} ms ({total_ratio:.2f}x; limit {MAX_SLOWDOWN}x)")
    if total_ratio > MAX_SLOWDOWN:
        failures.append(f"giftwatch is {total_ratio:.2f}x textacy's time per article, over {MAX_SLOWDOWN}x")
    return "\n".join(lines), failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gold", nargs="*", default=[str(DEFAULT_GOLD)],
                        help="gold .jsonl files or folders (default: ../shared/gold)")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes per tool; the best counts")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 unless giftwatch matches or beats both on every score, within the time limit")
    args = parser.parse_args()
    from giftwatch.errors import GiftwatchError

    try:
        table, failures = compare(args.gold, max(1, args.repeats))
    except GiftwatchError as exc:
        sys.exit(f"Error: {exc}")
    print(table)
    for failure in failures:
        print(f"CHECK FAILED: {failure}")
    if not failures:
        print("giftwatch matches or beats textacy and sayswho on every score, within the time limit")
    if failures and args.check:
        sys.exit(1)


if __name__ == "__main__":
    main()
