"""Running an evaluation: load gold files, score predictions per file, print a report."""
from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from giftwatch.errors import GiftwatchError, GoldFormatError
from giftwatch.eval.scoring import pair_documents, score_pairs

# Keys a predictor may see: the article as it would arrive in the wild, never the answers.
_ANSWER_KEYS = ("gifts", "quotes")


# --- loading gold ------------------------------------------------------------------------------

def _gold_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if p.is_file())
        if not files:
            raise GoldFormatError(f"{path}: folder holds no .jsonl gold files; point at a folder "
                                  "or file with FORMAT.md records")
        return files
    if path.is_file():
        return [path]
    raise GoldFormatError(f"{path}: no such gold file or folder; check the path")


def _check_record(record: Any, where: str) -> None:
    """Raise unless `record` has what scoring needs: an id, a text, and lists of gift/quote objects."""
    if not isinstance(record, dict):
        raise GoldFormatError(f"{where}: expected a JSON object (one article per line), "
                              f"got {type(record).__name__}")
    if record.get("id") in (None, ""):
        raise GoldFormatError(f"{where}: record has no 'id'; give every gold article a unique id")
    if not isinstance(record.get("text"), str):
        raise GoldFormatError(f"{where}: record {record['id']!r} has no 'text' string; "
                              "add the article's plain text")
    for key in _ANSWER_KEYS:
        items = record.get(key)
        if items is not None and not (isinstance(items, list) and all(isinstance(i, dict) for i in items)):
            raise GoldFormatError(f"{where}: record {record['id']!r}: '{key}' must be a list of "
                                  "objects (see FORMAT.md)")


def _read_gold_file(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise GoldFormatError(f"{path}: not UTF-8 text ({exc.reason}); save the gold file as UTF-8") from exc
    except OSError as exc:
        raise GoldFormatError(f"{path}: cannot be read ({exc.strerror}); check the file") from exc
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldFormatError(f"{where}: invalid JSON ({exc.msg}, column {exc.colno}); "
                                  "each line must be one complete JSON object") from exc
        _check_record(record, where)
        records.append(record)
    return records


def load_gold(paths: Iterable[str | Path]) -> dict[str, list[dict]]:
    """Read gold records from files or folders (every *.jsonl below, sorted), keyed by file path.

    Raises GoldFormatError naming the file and line of anything scoring cannot use.
    """
    gold_by_file: dict[str, list[dict]] = {}
    for given in paths:
        for path in _gold_files(Path(given)):
            gold_by_file[str(path)] = _read_gold_file(path)
    if not gold_by_file:
        raise GoldFormatError("no gold files given; pass at least one .jsonl file or folder")
    return gold_by_file


# --- running -----------------------------------------------------------------------------------

def _inputs_for_predictor(records: list[dict]) -> list[dict]:
    """Copies without the answers, so a predictor can neither peek at nor alter the gold."""
    return [copy.deepcopy({k: v for k, v in r.items() if k not in _ANSWER_KEYS}) for r in records]


def evaluate(gold_by_file: dict[str, list[dict]],
             predict: Callable[[list[dict]], list[dict]]) -> dict[str, Any]:
    """Score `predict` on each gold file and on all of them pooled.

    `predict` gets each file's articles (id, text, published, title...; without
    gifts and quotes) and returns FORMAT.md records carrying the same ids.
    Returns {"files": {path: scores}, "overall": scores}.
    """
    files: dict[str, dict] = {}
    all_pairs: list[tuple[dict, dict | None]] = []
    for path, records in gold_by_file.items():
        predicted = predict(_inputs_for_predictor(records))
        if predicted is None or isinstance(predicted, dict):
            raise GiftwatchError(f"{path}: the predictor must return a list of article records, "
                                 f"got {type(predicted).__name__}")
        pairs = pair_documents(records, list(predicted))
        files[path] = score_pairs(pairs)
        all_pairs.extend(pairs)
    return {"files": files, "overall": score_pairs(all_pairs)}


# --- report ------------------------------------------------------------------------------------

def _number(value: float | int | None) -> str:
    if value is None:
        return "-"
    return str(value) if isinstance(value, int) else f"{value:.4f}"


def _labels(paths: list[str]) -> dict[str, str]:
    """Short row labels: file paths relative to the folder they share."""
    if len(paths) == 1:
        return {paths[0]: Path(paths[0]).name}
    try:
        common = os.path.commonpath([os.path.abspath(p) for p in paths])
    except ValueError:  # different drives
        return {p: p for p in paths}
    return {p: os.path.relpath(os.path.abspath(p), common) for p in paths}


_GIFT_COLUMNS = [("P", "gift_p"), ("R", "gift_r"), ("F1", "gift_f1"), ("date", "gift_date_acc"),
                 ("kind", "gift_kind_acc"), ("currency", "gift_currency_acc"),
                 ("in_name_of", "gift_in_name_of_acc"), ("donors", "gift_all_donors_acc")]
_QUOTE_COLUMNS = [("P", "quote_p"), ("R", "quote_r"), ("F1", "quote_f1"), ("speaker", "speaker_acc"),
                  ("attr P", "attribution_p"), ("attr R", "attribution_r"), ("attr F1", "attribution_f1")]


def _table(title: str, rows: list[tuple[str, dict]], count_keys: tuple[str, str],
           columns: list[tuple[str, str]]) -> list[str]:
    header = ["", "docs", "gold/pred"] + [name for name, _ in columns]
    body = [[label, str(s["docs"]), f"{s[count_keys[0]]}/{s[count_keys[1]]}"]
            + [_number(s[key]) for _, key in columns] for label, s in rows]
    widths = [max(len(row[i]) for row in [header] + body) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join([cells[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(cells[1:], widths[1:])])

    return [title, line(header)] + [line(row) for row in body]


def format_report(result: dict[str, Any], per_doc: bool = False) -> str:
    """Human-readable report of `evaluate`'s result: gift and quote tables, per file then overall.

    Accuracies over matched gifts or quotes are "-" when nothing matched. With
    `per_doc`, each file's documents follow with their matched/gold (pred) counts.
    """
    files: dict[str, dict] = result.get("files", {})
    labels = _labels(list(files))
    rows = [(labels[path], scores) for path, scores in files.items()] + [("overall", result["overall"])]
    lines = _table("Gifts (date/kind/currency/in_name_of/donors: accuracy over matched gifts)",
                   rows, ("gifts_gold", "gifts_pred"), _GIFT_COLUMNS)
    lines.append("")
    lines += _table("Quotes (speaker: accuracy over matched quotes; attr: quote and speakers right)",
                    rows, ("quotes_gold", "quotes_pred"), _QUOTE_COLUMNS)
    missing = [(label, s["missing_docs"]) for label, s in rows[:-1] if s["missing_docs"]]
    if missing:
        lines.append("")
        lines += [f"{label}: {n} gold document(s) had no prediction (scored as predicting nothing)"
                  for label, n in missing]
    if per_doc:
        for path, scores in files.items():
            lines += ["", f"Per document: {labels[path]}"]
            lines.append("  gifts matched/gold (pred)   quotes matched/gold (pred)   speakers ok   id")
            lines += [f"  {d['gifts']:<26}  {d['quotes']:<27}  {d['speakers_ok']:>11}   {d['id']}"
                      for d in scores["per_doc"]]
    return "\n".join(lines) + "\n"
