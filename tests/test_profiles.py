"""Profiles, deduplication and manual decisions over articles extracted by the real pipeline, on both backends:
what a prospect researcher sees with `giftwatch donor` / `giftwatch recipient`."""
from __future__ import annotations

import copy

import pytest
from click.testing import CliRunner
from test_store_support import db_url, outlet_articles, pg_schema_url  # noqa: F401  (fixtures)

from giftwatch.errors import StoreError
from giftwatch.store import open_store
from giftwatch.store.commands import donor, entities, merge, recipient, split
from giftwatch.store.profiles import render_profile

VANCE_ARTICLES = {"ledger-2026-03-10-vance-gift", "harborview-2026-03-10-harmon-nursing",
                  "dispatch-2026-03-12-vance-donation"}


@pytest.fixture
def store(db_url: str, outlet_articles):
    with open_store(db_url) as opened:
        for articles in outlet_articles.values():
            opened.add_articles(copy.deepcopy(articles))
        yield opened


def test_one_story_from_three_outlets_is_one_gift_with_three_sources(store) -> None:
    gifts = [g for g in store.gift_groups() if g["recipient"] == "Harmon Valley Community College"]
    assert len(gifts) == 1
    gift = gifts[0]
    assert {s["article_id"] for s in gift["sources"]} == VANCE_ARTICLES
    assert {s["source"] for s in gift["sources"]} == {"Tri-County Ledger", "Harborview Post", "Valley Dispatch"}
    assert all(s["url"].startswith("https://") and s["evidence"] for s in gift["sources"])
    assert (gift["amount"], gift["currency"], gift["donors"]) == (8_500_000, "USD", ["Theodora Vance", "Emil Vance"])
    assert store.counts()["gifts"] >= 3  # the three reports are all still stored as reported


def test_donor_profile_counts_the_gift_once_and_shows_where_it_was_reported(store) -> None:
    profile = store.donor_profile("Theodora Vance")
    assert profile["totals"] == {"USD": 8_500_000} and profile["gifts_counted"] == 1 and profile["reports"] == 3
    assert profile["by_year"] == [{"label": "2026", "totals": {"USD": 8_500_000},
                                   "gift_ids": [profile["gifts"][0]["gift_id"]]}]
    assert [b["label"] for b in profile["by_cause"]] == ["education"]
    assert [c["name"] for c in profile["counterparties"]] == ["Harmon Valley Community College"]
    assert VANCE_ARTICLES <= set(profile["articles"])
    nurse = [s for s in profile["statements"] if s["text"] == "Every nurse we train here stays in this valley,"]
    assert len(nurse) == 1  # two outlets quote the same words: one statement with both sources
    assert {x["source"] for x in nurse[0]["sources"]} == {"Tri-County Ledger", "Harborview Post"}
    assert [g["gift_id"] for g in nurse[0]["gifts"]] == [profile["gifts"][0]["gift_id"]]
    text = render_profile(profile)
    assert "Total given: $8,500,000 in 1 gift (deduplicated from 3 reports" in text
    assert "source: harborview-2026-03-10-harmon-nursing (Harborview Post, 2026-03-10)" in text


def test_recipient_profile_lists_its_donors_and_its_officers_words(store) -> None:
    profile = store.recipient_profile("Harmon Valley Community College")
    assert profile["totals"] == {"USD": 8_500_000}
    assert {c["name"] for c in profile["counterparties"]} == {"Theodora Vance", "Emil Vance"}
    speakers = {name for s in profile["statements"] for name in s["speakers"]}
    assert "Alvin Marsh" in speakers  # "Dr. Alvin Marsh, president of Harmon Valley Community College"


def test_donor_totals_equal_the_sum_of_deduplicated_gifts(store) -> None:
    groups = store.gift_groups()
    ids = {g["gift_id"] for g in groups}
    for row in store.entities():
        if not row["gifts_given"]:
            continue
        given = [g for g in groups if row["key"] in g["donor_keys"] + g["through_keys"]]
        expected: dict[str, float] = {}
        for g in given:
            if g["amount"] is not None and g["pledge_gift_id"] not in ids:
                expected[g["currency"]] = expected.get(g["currency"], 0) + g["amount"]
        assert store.donor_profile(row["key"])["totals"] == expected, row["key"]


def test_a_pledge_and_its_later_payment_count_once(store) -> None:
    profile = store.donor_profile("Harriet Quill")
    assert profile["totals"] == {"USD": 2_000_000}
    pledge = next(g for g in profile["gifts"] if g["kind"] == "pledge")
    payment = next(g for g in profile["gifts"] if g["kind"] != "pledge")
    assert payment["pledge_gift_id"] == pledge["gift_id"] and pledge["payment_gift_ids"] == [payment["gift_id"]]
    assert f"pays pledge G{pledge['gift_id']} (not added again)" in render_profile(profile)


def test_two_people_of_one_name_stay_apart_without_evidence(store) -> None:
    rows = store.entities(name="Daniel Reyes")
    assert [r["name"] for r in rows] == ["Daniel Reyes", "Daniel Reyes"]
    with pytest.raises(StoreError, match="2 entities match 'Daniel Reyes'.*Give the key"):
        store.entity("Daniel Reyes")
    developer = store.donor_profile("Daniel Reyes")  # only one of them gave: the donor profile finds him
    assert developer["totals"] == {"USD": 1_500_000} and developer["gifts_counted"] == 2
    farmer = next(r for r in rows if r["key"] != developer["entity"]["key"])
    assert store.entity(farmer["key"]).articles == ["farmweek-2025-06-03-pantry-grant"]


def test_a_manual_merge_survives_re_ingest(db_url: str, outlet_articles) -> None:
    with open_store(db_url) as store:
        store.add_articles(copy.deepcopy(outlet_articles["same_name_people"]))
        first, second = (r["key"] for r in store.entities(name="Daniel Reyes"))
        merged = store.merge_entities(first, second)
        assert len(merged.articles) == 3
    with open_store(db_url) as store:  # re-ingest: the same articles, then one of them changed
        articles = copy.deepcopy(outlet_articles["same_name_people"])
        assert store.add_articles(articles)["unchanged"] == 3
        articles[1].text += "\n\nThe pantry is open on Saturdays."
        assert store.add_article(articles[1]) == "updated"
        assert [len(store.entity(r["key"]).articles) for r in store.entities(name="Daniel Reyes")] == [3]
        assert [d["action"] for d in store.decisions()] == ["merge"]


def test_a_manual_split_survives_re_ingest_and_keeps_gifts_apart(db_url: str, outlet_articles) -> None:
    with open_store(db_url) as store:
        store.add_articles(copy.deepcopy(outlet_articles["same_name_people"]))
        developer = store.donor_profile("Daniel Reyes")["entity"]["key"]
        kept, moved = store.split_entity(developer, articles=["courier-2026-02-02-reyes-second-gift"])
        assert kept.articles == ["courier-2025-01-14-reyes-cardiac"]
        assert moved.articles == ["courier-2026-02-02-reyes-second-gift"]
        store.add_articles(copy.deepcopy(outlet_articles["same_name_people"]))
        store.refresh(force=True)
        assert len(store.entities(name="Daniel Reyes")) == 3
        with pytest.raises(StoreError, match="nothing would be left"):
            store.split_entity(kept.key, articles=["courier-2025-01-14-reyes-cardiac"])


def test_cli_commands_print_profiles_and_record_decisions(db_url: str, outlet_articles) -> None:
    with open_store(db_url) as store:
        for articles in outlet_articles.values():
            store.add_articles(copy.deepcopy(articles))
    runner = CliRunner()
    result = runner.invoke(donor, ["Theodora Vance", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Theodora Vance (couple member; key theodora-vance)")
    result = runner.invoke(recipient, ["harmon valley", "--db", db_url, "--json"])
    assert result.exit_code == 0 and '"totals": {\n    "USD": 8500000' in result.output
    result = runner.invoke(donor, ["Daniel Reyes", "--db", db_url])
    assert result.exit_code == 0  # two Daniel Reyeses, one a donor
    result = runner.invoke(donor, ["Nobody Atall", "--db", db_url])
    assert result.exit_code == 1 and result.output.startswith("Error: No person or organisation matches")
    listing = runner.invoke(entities, ["reyes", "--db", db_url, "--json"])
    keys = [line.split('"key": "')[1].split('"')[0] for line in listing.output.splitlines()]
    assert len(keys) == 2
    result = runner.invoke(merge, [keys[0], keys[1], "--db", db_url])
    assert result.exit_code == 0 and result.output.startswith("Merged: Daniel Reyes")
    result = runner.invoke(split, [keys[0], "--db", db_url])
    assert result.exit_code == 1 and "--article ID" in result.output
    result = runner.invoke(entities, ["--decisions", "--db", db_url])
    assert "merge Daniel Reyes" in result.output


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    """The bundled sample corpus (samples/), extracted by the real pipeline into SQLite."""
    from conftest import SAMPLES

    from giftwatch.pipeline import extract_articles
    from giftwatch.readers import iter_articles

    with open_store(tmp_path_factory.mktemp("samples") / "samples.db") as opened:
        opened.add_articles(extract_articles(iter_articles([str(SAMPLES)])))
        yield opened


def test_every_sample_profile_adds_up_and_prints(sample_store) -> None:
    groups = sample_store.gift_groups()
    ids = {g["gift_id"] for g in groups}
    assert len(groups) == sample_store.counts()["gifts"]  # the sample's stories are all different gifts
    for row in sample_store.entities():
        for role, count in (("donor", row["gifts_given"]), ("recipient", row["gifts_received"])):
            if not count:
                continue
            profile = sample_store.donor_profile(row["key"]) if role == "donor" else \
                sample_store.recipient_profile(row["key"])
            counted = [g for g in profile["gifts"] if g["pledge_gift_id"] not in ids]
            expected: dict[str, float] = {}
            for g in counted:
                if g["amount"] is not None:
                    expected[g["currency"]] = expected.get(g["currency"], 0) + g["amount"]
            assert profile["totals"] == expected and len(profile["gifts"]) == count, row["key"]
            assert render_profile(profile).startswith(f"{row['name']} ({row['kind']}; key {row['key']})")
