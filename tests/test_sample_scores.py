"""Quality floors on our own hand-annotated articles (tests/data/*_gold.jsonl).

These articles are written in our own wording with invented names, so they
check that extraction rules generalise beyond the shared gold articles. They
need nothing outside the repository, so these floors hold on any clone.
"""
from __future__ import annotations

import pytest

from giftwatch.eval import load_gold, score
from giftwatch.pipeline import extract_records
from tests.conftest import DATA

FLOORS = {
    "sample_gold.jsonl": {"gift_f1": 0.95, "quote_f1": 1.0, "attribution_f1": 1.0},
    "patterns_gold.jsonl": {"gift_f1": 0.95, "quote_f1": 1.0, "attribution_f1": 1.0},
}


@pytest.fixture(scope="module")
def results():
    gold = load_gold([DATA / name for name in FLOORS])
    return {path.rsplit("/", 1)[-1]: score(records, extract_records(records)) for path, records in gold.items()}


@pytest.mark.parametrize("name,key", [(n, k) for n, floors in FLOORS.items() for k in floors])
def test_scores_on_our_own_articles_do_not_drop(results, name, key):
    assert results[name][key] >= FLOORS[name][key], f"{name} {key} fell to {results[name][key]}"
