"""Quality floors on the shared gold files: a change that lowers a score fails here.

The floors are the scores measured when they were last raised (see the README's
"Quality" section); raise them when extraction gets better, never lower them.
"""
from __future__ import annotations

import importlib.util

import pytest

from giftwatch.eval import evaluate, load_gold, score
from giftwatch.pipeline import extract_records

DEV_FLOORS = {
    "gift_f1": 0.86,
    "gift_p": 0.93,
    "gift_r": 0.81,
    "gift_date_acc": 0.9,
    "gift_kind_acc": 0.94,
    "gift_in_name_of_acc": 0.96,
    "gift_currency_acc": 1.0,
    "quote_f1": 1.0,
    "quote_p": 1.0,
    "attribution_f1": 1.0,
}


@pytest.fixture(scope="module")
def gold_runs(request):
    shared = request.getfixturevalue("shared")
    gold = load_gold([shared / "gold"])
    runs = {}
    for path, records in gold.items():
        runs[path.rsplit("/", 1)[-1]] = (records, extract_records(records))
    return shared, runs


def test_seed_story_is_extracted_completely(gold_runs):
    _, runs = gold_runs
    result = score(*runs["seed.jsonl"])
    assert result["gift_f1"] == 1.0
    assert result["quote_f1"] == 1.0
    assert result["attribution_f1"] == 1.0
    assert result["gift_in_name_of_acc"] == 1.0
    assert result["gift_all_donors_acc"] == 1.0


@pytest.mark.parametrize("key", sorted(DEV_FLOORS))
def test_dev_scores_do_not_drop_below_floor(gold_runs, key):
    _, runs = gold_runs
    result = score(*runs["dev.jsonl"])
    assert result[key] >= DEV_FLOORS[key], f"dev {key} fell to {result[key]} (floor {DEV_FLOORS[key]})"


def test_our_scores_equal_the_reference_scorer_on_our_predictions(gold_runs):
    shared, runs = gold_runs
    spec = importlib.util.spec_from_file_location("reference_score", shared / "tools" / "score.py")
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    for name, (gold, predicted) in runs.items():
        assert score(gold, predicted) == reference.score(gold, predicted), name


def test_evaluate_reports_each_file_and_overall(gold_runs):
    shared, _ = gold_runs
    result = evaluate(load_gold([shared / "gold" / "seed.jsonl"]), extract_records)
    assert result["overall"]["gift_f1"] == 1.0
    assert list(result["files"]) == [str(shared / "gold" / "seed.jsonl")]
