"""giftwatch eval scoring: agreement with the reference scorer, and the rules users notice."""
from __future__ import annotations

import copy
import functools
import importlib.util
import json
import random
from pathlib import Path

import pytest

from giftwatch.errors import GoldFormatError
from giftwatch.eval import evaluate, format_report, load_gold, name_match, score

SHARED = Path(__file__).parents[1].parent / "shared"
REFERENCE_SCORER = SHARED / "tools" / "score.py"
GOLD_FILES = ["seed.jsonl", "dev.jsonl"]


def _need_shared() -> None:
    if not REFERENCE_SCORER.is_file() or not all((SHARED / "gold" / f).is_file() for f in GOLD_FILES):
        pytest.skip(f"shared gold files and reference scorer not found under {SHARED}")


@pytest.fixture(scope="module")
def reference():
    _need_shared()
    spec = importlib.util.spec_from_file_location("reference_score", REFERENCE_SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read_gold(name: str) -> list[dict]:
    _need_shared()
    with open(SHARED / "gold" / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


@pytest.fixture(scope="module")
def dev_gold() -> list[dict]:
    return _read_gold("dev.jsonl")


# --- deterministic perturbations of gold into predictions -------------------------------------

def _gifts(records):
    return [g for r in records for g in r.get("gifts") or []]


def _quotes(records):
    return [q for r in records for q in r.get("quotes") or []]


def drop_gifts(records, rng):
    for r in records:
        r["gifts"] = [g for g in r["gifts"] if rng.random() < 0.6]


def scale_amounts(factor):
    def perturb(records, rng):
        for g in _gifts(records):
            if g.get("amount") is not None and rng.random() < 0.8:
                g["amount"] = g["amount"] * factor
    return perturb


def donor_to_alias(records, rng):
    for g in _gifts(records):
        if g.get("donor_aliases"):
            g["donors"] = [rng.choice(g["donor_aliases"])]


def recipient_lower_with_the(records, rng):
    for g in _gifts(records):
        g["recipient"] = "The " + (g.get("recipient") or "").lower()
        g["recipient_aliases"] = []


def doctor_speakers(records, rng):
    for q in _quotes(records):
        q["speakers"] = ["Dr. " + s for s in q.get("speakers") or []]


def halve_quotes(records, rng):
    for q in _quotes(records):
        words = q["text"].split()
        q["text"] = " ".join(words[: max(1, len(words) // 2)])


def shift_quotes(records, rng):
    """Move each quote's window along the article by a random share of its length."""
    for r in records:
        for q in r["quotes"]:
            start = r["text"].find(q["text"])
            if start >= 0:
                shift = int(len(q["text"]) * rng.choice([0.2, 0.4, 0.6]))
                q["text"] = r["text"][start + shift:start + shift + len(q["text"])]


def reword_quotes(records, rng):
    """Quotes no longer found verbatim, so they are placed by the fuzzy fallback (or not at all)."""
    for q in _quotes(records):
        words = q["text"].split()
        if len(words) > 2:
            words[rng.randrange(len(words))] = "xyzzy"
            if rng.random() < 0.3:
                words = words[: len(words) // 3] + ["and", "so", "on"]
        q["text"] = " ".join(words)


def remove_speakers(records, rng):
    for q in _quotes(records):
        if rng.random() < 0.5:
            q["speakers"] = []


def add_spurious(records, rng):
    for r in records:
        words = r["text"].split()
        begin = rng.randrange(max(1, len(words) - 12))
        r["quotes"].append({"text": " ".join(words[begin:begin + 12]), "speakers": ["Someone Else"]})
        r["gifts"].append({"donors": ["Nobody In Particular"], "recipient": "Some Charity",
                           "amount": rng.randint(1, 10) * 1000, "currency": "USD", "kind": "donation"})


def straighten_quote_marks(records, rng):
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    for q in _quotes(records):
        q["text"] = q["text"].translate(table)


def remove_docs(records, rng):
    records[:] = [r for r in records if rng.random() < 0.7]


def misspell_and_mislabel(records, rng):
    """Typos in names (fuzzy path) and wrong date/kind/currency/in_name_of on some gifts."""
    def typo(name):
        if len(name) < 6:
            return name
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]

    for g in _gifts(records):
        g["donors"] = [typo(d) for d in g.get("donors") or []]
        g["recipient"] = typo(g.get("recipient") or "")
        if rng.random() < 0.3:
            g["date"] = "1999"
        if rng.random() < 0.3:
            g["kind"] = "pledge"
        if rng.random() < 0.3:
            g["currency"] = None
        if rng.random() < 0.3:
            g["in_name_of"] = ["Ella Smith"]
    for q in _quotes(records):
        q["speakers"] = [typo(s) for s in q.get("speakers") or []]


def shuffle_order(records, rng):
    for r in records:
        rng.shuffle(r["gifts"])
        rng.shuffle(r["quotes"])
    rng.shuffle(records)


def everything_at_once(records, rng):
    for perturb in [shuffle_order, drop_gifts, scale_amounts(1.005), doctor_speakers, halve_quotes,
                    add_spurious, remove_docs, misspell_and_mislabel]:
        perturb(records, rng)


PERTURBATIONS = {
    "perfect": lambda records, rng: None,
    "drop_gifts": drop_gifts,
    "amount_plus_half_percent": scale_amounts(1.005),
    "amount_plus_one_and_half_percent": scale_amounts(1.015),
    "amount_plus_five_percent": scale_amounts(1.05),
    "donor_to_alias": donor_to_alias,
    "recipient_lower_with_the": recipient_lower_with_the,
    "doctor_speakers": doctor_speakers,
    "halve_quotes": halve_quotes,
    "shift_quotes": shift_quotes,
    "reword_quotes": reword_quotes,
    "remove_speakers": remove_speakers,
    "add_spurious": add_spurious,
    "straighten_quote_marks": straighten_quote_marks,
    "remove_docs": remove_docs,
    "misspell_and_mislabel": misspell_and_mislabel,
    "shuffle_order": shuffle_order,
    "everything_at_once": everything_at_once,
}


def predictions_from(gold: list[dict], perturbation: str, seed: int = 7) -> list[dict]:
    records = copy.deepcopy(gold)
    for r in records:
        r["gifts"], r["quotes"] = r.get("gifts") or [], r.get("quotes") or []
    PERTURBATIONS[perturbation](records, random.Random(seed))
    return records


@functools.lru_cache(maxsize=None)
def _gold_and_predictions(name: str, perturbation: str) -> tuple[list[dict], list[dict]]:
    gold = _read_gold(name)
    return gold, predictions_from(gold, perturbation)


@functools.lru_cache(maxsize=None)
def _scored(name: str, perturbation: str) -> dict:
    """giftwatch's scores for one perturbation, computed once for the tests that share them."""
    return score(*_gold_and_predictions(name, perturbation))


# --- agreement with the reference scorer -------------------------------------------------------

@pytest.mark.parametrize("perturbation", list(PERTURBATIONS))
@pytest.mark.parametrize("gold_file", GOLD_FILES)
def test_scores_equal_reference_scorer(reference, gold_file, perturbation):
    gold, pred = _gold_and_predictions(gold_file, perturbation)
    expected = reference.score(copy.deepcopy(gold), copy.deepcopy(pred))
    assert _scored(gold_file, perturbation) == expected


def _rates(result: dict) -> dict:
    return {k: v for k, v in result.items() if k.endswith(("_p", "_r", "_f1", "_acc"))}


FORGIVEN = ["amount_plus_half_percent", "donor_to_alias", "recipient_lower_with_the", "doctor_speakers",
            "straighten_quote_marks", "shuffle_order"]


@pytest.mark.parametrize("perturbation", FORGIVEN)
def test_differences_the_rules_forgive_keep_a_perfect_score(perturbation):
    assert set(_rates(_scored("dev.jsonl", perturbation)).values()) == {1.0}


@pytest.mark.parametrize("perturbation", sorted(set(PERTURBATIONS) - set(FORGIVEN) - {"perfect"}))
def test_real_errors_lower_the_score(perturbation):
    """Also guards the agreement test: these perturbations must reach the scorer's rules."""
    assert min(_rates(_scored("dev.jsonl", perturbation)).values()) < 1.0


def test_name_match_equals_reference_on_gold_names(reference, dev_gold):
    names = sorted({n for g in _gifts(dev_gold) for n in g["donors"] + [g["recipient"] or ""]}
                   | {s for q in _quotes(dev_gold) for s in q["speakers"]})[:80]
    for a in names:
        for b in names:
            assert name_match(a, b) == reference.name_match(a, b), (a, b)


# --- the rules users notice --------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("Clooney", "George Clooney"),
    ("Dr. Maria Woltjen", "Maria Woltjen"),
    ("The University of Maryland", "University of Maryland"),
    ("José Andrés", "Jose Andres"),
    ("Johns Hopkins University", "John Hopkins University"),  # fuzzy: similarity above 90
])
def test_names_that_match(a, b):
    assert name_match(a, b) and name_match(b, a)


@pytest.mark.parametrize("a, b", [
    ("George Clooney", "Amal Clooney"),
    ("University of Maryland", "University of Michigan"),
    ("", "George Clooney"),
])
def test_names_that_do_not_match(a, b):
    assert not name_match(a, b)


def _doc(gifts=(), quotes=(), text="Placeholder text.") -> dict:
    return {"id": "doc-1", "text": text, "gifts": list(gifts), "quotes": list(quotes)}


def _gift(amount, donors=("George Clooney",), recipient="March For Our Lives") -> dict:
    return {"donors": list(donors), "donor_aliases": [], "recipient": recipient, "recipient_aliases": [],
            "amount": amount, "currency": "USD", "kind": "donation", "date": None, "in_name_of": []}


@pytest.mark.parametrize("predicted_amount, matches", [
    (500_000, True), (504_000, True), (496_000, True), (510_000, False), (490_000, False), (None, False)])
def test_amounts_match_within_one_percent(predicted_amount, matches):
    result = score([_doc([_gift(500_000)])], [_doc([_gift(predicted_amount)])])
    assert result["gift_f1"] == (1.0 if matches else 0.0)


def test_gift_with_unknown_amount_matches_unknown_amount():
    result = score([_doc([_gift(None)])], [_doc([_gift(None, donors=["Clooney"])])])
    assert (result["gift_p"], result["gift_r"]) == (1.0, 1.0)


def test_gift_needs_matching_recipient_and_donor():
    gold = [_doc([_gift(1000)])]
    assert score(gold, [_doc([_gift(1000, recipient="Red Cross")])])["gift_f1"] == 0.0
    assert score(gold, [_doc([_gift(1000, donors=["Bill Gates"])])])["gift_f1"] == 0.0


QUOTE = "We are so excited for what the second year of our campaign will mean for veterans"


def _quote_doc(*texts, speakers=("Anne Marie Dougherty",)) -> dict:
    article = f'The foundation thanked its donors. “{QUOTE},” said Anne Marie Dougherty, its chief.'
    return _doc(quotes=[{"text": t, "speakers": list(speakers)} for t in texts], text=article)


def test_quote_split_in_two_halves_still_matches():
    words = QUOTE.split()
    assert len(words) % 2 == 0
    halves = " ".join(words[: len(words) // 2]), " ".join(words[len(words) // 2:])
    result = score([_quote_doc(QUOTE)], [_quote_doc(*halves)])
    assert (result["quote_r"], result["quote_p"], result["speaker_acc"]) == (1.0, 0.5, 1.0)


def test_quote_covering_a_third_does_not_match():
    third = " ".join(QUOTE.split()[:6])
    assert score([_quote_doc(QUOTE)], [_quote_doc(third)])["quote_r"] == 0.0


def test_straight_quote_marks_and_extra_spaces_still_match():
    article = "She called the gift “a ‘huge’ lift” at the school."
    gold = _doc(quotes=[{"text": "a ‘huge’ lift", "speakers": []}], text=article)
    pred = _doc(quotes=[{"text": "a 'huge'\n  lift", "speakers": []}], text=article)
    assert score([gold], [pred])["quote_f1"] == 1.0


def test_wrong_speaker_counts_against_attribution_only():
    result = score([_quote_doc(QUOTE)], [_quote_doc(QUOTE, speakers=["Bob Woodruff"])])
    assert (result["quote_f1"], result["speaker_acc"], result["attribution_f1"]) == (1.0, 0.0, 0.0)


def test_perfect_predictions_score_one_everywhere(dev_gold):
    result = score(dev_gold, copy.deepcopy(dev_gold))
    rates = _rates(result)
    assert len(rates) == 15 and set(rates.values()) == {1.0}
    assert result["missing_docs"] == 0 and result["docs"] == len(dev_gold)


def test_missing_document_counts_as_predicting_nothing():
    gold = [_doc([_gift(1000)])]
    result = score(gold, [])
    assert (result["missing_docs"], result["gift_r"], result["gift_kind_acc"]) == (1, 0.0, None)


# --- loading gold, evaluating, reporting -------------------------------------------------------

def _write_jsonl(path: Path, lines: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_load_gold_reads_folders_recursively_in_order(tmp_path):
    _write_jsonl(tmp_path / "b" / "two.jsonl", [json.dumps(_doc() | {"id": "b"})])
    _write_jsonl(tmp_path / "a" / "one.jsonl", [json.dumps(_doc() | {"id": "a"}), ""])
    (tmp_path / "notes.txt").write_text("not gold")
    loaded = load_gold([tmp_path])
    assert list(loaded) == [str(tmp_path / "a" / "one.jsonl"), str(tmp_path / "b" / "two.jsonl")]
    assert [r["id"] for r in loaded[str(tmp_path / "a" / "one.jsonl")]] == ["a"]


@pytest.mark.parametrize("bad_line, complaint", [
    ('{"id": "x", "text": "unfinished', "invalid JSON"),
    ('{"text": "no id here"}', "no 'id'"),
    ('{"id": "x"}', "no 'text'"),
    ('{"id": "x", "text": "t", "quotes": "not a list"}', "'quotes' must be a list"),
])
def test_load_gold_names_file_and_line_of_a_broken_record(tmp_path, bad_line, complaint):
    _write_jsonl(tmp_path / "good.jsonl", [json.dumps(_doc())])
    _write_jsonl(tmp_path / "sub" / "broken.jsonl", [json.dumps(_doc()), "", bad_line])
    with pytest.raises(GoldFormatError) as error:
        load_gold([tmp_path])
    assert "broken.jsonl:3: " in str(error.value) and complaint in str(error.value)


def test_load_gold_rejects_missing_path_and_empty_folder(tmp_path):
    with pytest.raises(GoldFormatError, match="no such gold file"):
        load_gold([tmp_path / "absent.jsonl"])
    with pytest.raises(GoldFormatError, match="no .jsonl gold files"):
        load_gold([tmp_path])


def test_evaluate_scores_each_file_and_all_together(dev_gold):
    gold_by_file = {"first.jsonl": dev_gold[:20], "second.jsonl": dev_gold[20:]}
    predictions = {r["id"]: r for r in predictions_from(dev_gold, "everything_at_once")}
    seen_answers = []

    def predict(records):
        seen_answers.extend(k for r in records for k in r if k in ("gifts", "quotes"))
        return [predictions[r["id"]] for r in records if r["id"] in predictions]

    result = evaluate(gold_by_file, predict)
    assert seen_answers == []
    assert result["files"]["first.jsonl"] == score(dev_gold[:20], list(predictions.values()))
    assert result["overall"] == score(dev_gold, list(predictions.values()))
    assert 0.0 < result["overall"]["gift_f1"] < 1.0 and 0.0 < result["overall"]["quote_f1"] < 1.0


def test_report_shows_overall_gift_and_quote_f1(dev_gold):
    predictions = predictions_from(dev_gold, "everything_at_once")
    result = evaluate({"dev.jsonl": dev_gold}, lambda records: predictions)
    report = format_report(result)
    overall_gifts = next(line for line in report.splitlines() if line.startswith("overall"))
    overall = result["overall"]
    assert f"{overall['gift_f1']:.4f}" in overall_gifts
    assert f"{overall['gifts_gold']}/{overall['gifts_pred']}" in overall_gifts
    overall_quotes = [line for line in report.splitlines() if line.startswith("overall")][1]
    assert f"{overall['quote_f1']:.4f}" in overall_quotes
    assert "dev.jsonl" in report and dev_gold[0]["id"] not in report
    assert "had no prediction" in report  # everything_at_once removes documents

    detailed = format_report(result, per_doc=True)
    first = result["files"]["dev.jsonl"]["per_doc"][0]
    first_line = next(line for line in detailed.splitlines() if line.endswith(first["id"]))
    assert first["gifts"] in first_line and first["quotes"] in first_line


def test_report_shows_dash_when_nothing_matched():
    result = evaluate({"one.jsonl": [_doc([_gift(1000)])]}, lambda records: [])
    overall_gifts = next(line for line in format_report(result).splitlines() if line.startswith("overall"))
    assert overall_gifts.split()[-1] == "-"
