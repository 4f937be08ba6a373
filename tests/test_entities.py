"""Entity resolution and gift deduplication as pure functions over article records (no database, no spaCy):
which names become one person or organisation, which reports become one gift, and what manual decisions do."""
from __future__ import annotations

from giftwatch.entities import Decision, Entity, build_index
from giftwatch.entities.dedupe import GiftFacts, amounts_agree
from giftwatch.entities.names import acronym, entity_kind, normalize, same_person_name
from giftwatch.entities.resolve import node_key
from giftwatch.records import Article, Gift, Quote


def article(aid: str, text: str, gifts=(), quotes=(), published: str | None = "2026-03-10") -> Article:
    return Article(id=aid, text=text, published=published, source=f"{aid} source", gifts=list(gifts),
                   quotes=list(quotes))


def gift(donors, recipient, amount=None, **fields) -> Gift:
    return Gift(donors=list(donors), recipient=recipient, amount=amount, currency="USD" if amount else None,
                evidence=fields.pop("evidence", f"{' and '.join(donors)} gave to {recipient}."), **fields)


def entity_named(index, name: str) -> list[Entity]:
    return [e for e in index.entities if e.name == name]


def group_of(index, article_id: str, position: int = 0):
    return next(g for g in index.groups if (article_id, position) in g.members)


# ---- names ---------------------------------------------------------------------------------------------------

def test_names_compare_without_titles_accents_or_case() -> None:
    assert normalize("Dr. Miriam Sató") == normalize("miriam sato") == "miriam sato"
    assert normalize("The Harlow Foundation") == "harlow foundation"
    assert same_person_name("John F. Smith", "John Smith")
    assert not same_person_name("John Q. Smith", "John F. Smith")
    assert not same_person_name("John Smith", "Jane Smith")
    assert acronym("University of California, Santa Cruz") == "UCSC"


def test_kinds_come_from_the_name() -> None:
    assert entity_kind("Vance Family Foundation") == "foundation"
    assert entity_kind("Harmon Valley Community College") == "university"
    assert entity_kind("Northfield Food Pantry") == "charity"
    assert entity_kind("Westfield Community Food Bank") == "charity"
    assert entity_kind("Harbor Bank") == "company"
    assert entity_kind("Alder & Finch") == "company"
    assert entity_kind("Theodora Vance") == "person"


# ---- people --------------------------------------------------------------------------------------------------

def test_same_name_in_unrelated_contexts_stays_two_people() -> None:
    index = build_index([
        article("a", "John Smith gave $5,000 to Cedar Ridge Hospital.",
                [gift(["John Smith"], "Cedar Ridge Hospital", 5000)]),
        article("b", "“The river rose fast,” said John Smith, a farmer.",
                quotes=[Quote("The river rose fast,", ["John Smith"])]),
    ])
    assert len(entity_named(index, "John Smith")) == 2


def test_same_name_joined_by_a_shared_organisation() -> None:
    index = build_index([
        article("a", "John Smith gave $5,000 to Cedar Ridge Hospital.",
                [gift(["John Smith"], "Cedar Ridge Hospital", 5000, date="2024-01-10")]),
        article("b", "John Smith gave $9,000 to Cedar Ridge Hospital for its chapel.",
                [gift(["John Smith"], "Cedar Ridge Hospital", 9000, date="2025-06-01")]),
        article("c", "John Smith gave $7,000 to the Lakemont Animal Rescue League.",
                [gift(["John Smith"], "Lakemont Animal Rescue League", 7000)]),
    ])
    smiths = entity_named(index, "John Smith")
    assert sorted(len(e.articles) for e in smiths) == [1, 2]
    assert next(e for e in smiths if len(e.articles) == 2).articles == ["a", "b"]


def test_same_name_joined_by_a_stated_spouse() -> None:
    index = build_index([
        article("a", "Ruth Abara and her husband, Femi Abara, opened the gallery.",
                quotes=[Quote("We love it,", ["Femi Abara"]), Quote("So do I,", ["Ruth Abara"])]),
        article("b", "Femi Abara and his wife, Ruth Abara, spoke at the dinner.",
                quotes=[Quote("Thank you all,", ["Femi Abara"]), Quote("Indeed,", ["Ruth Abara"])]),
    ])
    assert [len(e.articles) for e in entity_named(index, "Femi Abara")] == [2]
    femi = entity_named(index, "Femi Abara")[0]
    assert {(r.predicate, r.object_name) for r in femi.relations} >= {("spouse_of", "Ruth Abara")}


def test_surname_and_first_name_mentions_join_the_full_name_within_an_article() -> None:
    index = build_index([article(
        "a", "Raymond Kestrel gave $5 million to St. Agnes Medical Center. “It was time,” Kestrel said. "
             "“Yes,” Raymond said.",
        [gift(["Raymond Kestrel"], "St. Agnes Medical Center", 5_000_000)],
        [Quote("It was time,", ["Kestrel"]), Quote("Yes,", ["Raymond"])])])
    kestrel = entity_named(index, "Raymond Kestrel")
    assert len(kestrel) == 1 and set(kestrel[0].aliases) == {"Kestrel", "Raymond"}
    assert {e for _, _, e in index.quote_speakers} == {kestrel[0].key}


def test_an_ambiguous_surname_joins_nobody() -> None:
    index = build_index([article(
        "a", "Walter and June Pennick gave their orchard. “It is time,” Pennick said.",
        [gift(["Walter Pennick", "June Pennick"], "Greenhollow Land Trust")],
        [Quote("It is time,", ["Pennick"])])])
    assert {e.name for e in index.entities} >= {"Walter Pennick", "June Pennick", "Pennick"}
    assert all(not e.aliases for e in index.entities if e.name.endswith("Pennick"))


# ---- organisations -------------------------------------------------------------------------------------------

def test_an_acronym_given_as_alias_joins_articles_that_use_only_it() -> None:
    index = build_index([
        article("a", "The Ortiz family gave $1 million to the University of California, Santa Cruz (UCSC).",
                [gift(["Lena Ortiz"], "University of California, Santa Cruz", 1_000_000, recipient_aliases=["UCSC"])]),
        article("b", "Maya Chen gave $20,000 to UCSC.", [gift(["Maya Chen"], "UCSC", 20_000)]),
        article("c", "Omar Diaz gave $3,000 to the university.", [gift(["Omar Diaz"], "the university", 3000)]),
    ])
    ucsc = entity_named(index, "University of California, Santa Cruz")
    assert len(ucsc) == 1 and ucsc[0].articles == ["a", "b"] and ucsc[0].kind == "university"
    assert group_of(index, "b").recipient == ucsc[0].key
    assert group_of(index, "c").recipient != ucsc[0].key  # "the university" names no one in particular


def test_a_shortened_name_joins_the_full_name_within_an_article() -> None:
    index = build_index([article(
        "a", "Raymond Kestrel gave $5 million to St. Agnes Medical Center. St. Agnes president Miriam Sato spoke.",
        [gift(["Raymond Kestrel"], "St. Agnes Medical Center", 5_000_000, recipient_aliases=["St. Agnes"])],
        [Quote("A gift like no other,", ["Miriam Sato"], speaker_role="St. Agnes president")])])
    hospital = entity_named(index, "St. Agnes Medical Center")[0]
    assert hospital.aliases == ["St. Agnes"] and hospital.kind == "hospital"
    sato = entity_named(index, "Miriam Sato")[0]
    assert [(r.predicate, r.object_name) for r in sato.relations] == [("president_of", "St. Agnes Medical Center")]


# ---- relations -----------------------------------------------------------------------------------------------

def test_relations_stated_in_text_roles_and_records() -> None:
    text = ("Noor Patel, executive director of the Westfield Community Food Bank, thanked the Marlowe Community "
            "Foundation, which was founded by Ada Marlowe. Samir Patel gave through the foundation.")
    index = build_index([article(text, text, [
        gift(["Samir Patel"], "Westfield Community Food Bank", 90_000, donor_aliases=["Marlowe Community Foundation"])],
        [Quote("We are grateful,", ["Noor Patel"]), Quote("It matters,", ["Ada Marlowe"])])])
    stated = {(r.subject_name, r.predicate, r.object_name) for e in index.entities for r in e.relations}
    assert stated == {
        ("Noor Patel", "executive_director_of", "Westfield Community Food Bank"),
        ("Ada Marlowe", "founder_of", "Marlowe Community Foundation"),
        ("Samir Patel", "gave_through", "Marlowe Community Foundation"),
    }
    evidence = next(r.evidence for r in entity_named(index, "Noor Patel")[0].relations)
    assert evidence.startswith("Noor Patel, executive director of the Westfield Community Food Bank")


def test_a_couple_giving_together_are_couple_members() -> None:
    text = "Theodora Vance and her husband, Emil Vance, gave $8.5 million to Harmon Valley Community College."
    index = build_index([article("a", text, [
        gift(["Theodora Vance", "Emil Vance"], "Harmon Valley Community College", 8_500_000)])])
    assert {e.name: e.kind for e in index.entities} == {
        "Theodora Vance": "couple member", "Emil Vance": "couple member",
        "Harmon Valley Community College": "university"}


def test_entity_json_round_trips() -> None:
    text = "Noor Patel, executive director of the Westfield Food Bank, spoke."
    index = build_index([article("a", text, [gift(["Ann Lee"], "Westfield Food Bank", 10)],
                                 [Quote("Thanks,", ["Noor Patel"])])])
    for entity in index.entities:
        assert Entity.from_dict(entity.to_dict()) == entity
    assert entity_named(index, "Noor Patel")[0].to_dict()["relations"][0]["predicate"] == "executive_director_of"


# ---- gifts ---------------------------------------------------------------------------------------------------

def three_reports(amounts=(8_500_000, 8_460_000, 8_500_000), dates=("2026-03-09", None, "2026-03")):
    return [article(f"outlet-{n}", "A story.", [gift(["Theodora Vance", "Emil Vance"][:2 - (n == 2)],
                                                     "Harmon Valley Community College", amount, date=date)],
                    published=f"2026-03-1{n}")
            for n, (amount, date) in enumerate(zip(amounts, dates))]


def test_three_reports_of_one_gift_are_one_gift() -> None:
    index = build_index(three_reports())
    assert len(index.groups) == 1
    group = index.groups[0]
    assert sorted(group.members) == [("outlet-0", 0), ("outlet-1", 0), ("outlet-2", 0)]
    assert group.amount == 8_500_000  # what two of three reports say ($8.46m rounds to it)
    assert group.date == "2026-03-09"  # the most precise date any report gives
    assert [e for e in group.donors] == ["theodora-vance", "emil-vance"]


def test_different_amounts_or_distant_dates_are_different_gifts() -> None:
    assert len(build_index(three_reports(amounts=(8_500_000, 8_000_000, 8_500_000))).groups) == 2
    assert len(build_index(three_reports(dates=("2026-03-09", "2025-01-05", "2026-03"))).groups) == 2


def test_rounding_rule() -> None:
    def facts(amount, amount_max=None):
        return GiftFacts(("a", 0), [], None, False, amount, amount_max, "USD", "donation", None, None)
    assert amounts_agree(facts(8_460_000), facts(8_500_000))
    assert amounts_agree(facts(1_900_000), facts(2_000_000))       # "nearly $2 million"
    assert not amounts_agree(facts(1_400_000), facts(1_000_000))
    assert amounts_agree(facts(1_000_000, 2_000_000), facts(1_500_000))
    assert not amounts_agree(facts(2_600_000), facts(2_500_000))


def test_one_articles_two_gifts_are_never_merged() -> None:
    index = build_index([article("a", "Two gifts.", [
        gift(["Ann Lee"], "Westfield Food Bank", 10_000), gift(["Ann Lee"], "Westfield Food Bank", 10_000)])])
    assert len(index.groups) == 2


def test_anonymous_gifts_match_only_anonymous_ones() -> None:
    index = build_index([
        article("a", "An anonymous donor gave $1 million to Bayview Hospice.",
                [gift(["anonymous"], "Bayview Hospice", 1_000_000)]),
        article("b", "Bayview Hospice got $1 million from an anonymous donor.",
                [gift(["anonymous"], "Bayview Hospice", 1_000_000)]),
        article("c", "Ann Lee gave $1 million to Bayview Hospice.", [gift(["Ann Lee"], "Bayview Hospice", 1_000_000)]),
    ])
    assert sorted(len(g.members) for g in index.groups) == [1, 2]
    assert all(not e.name.lower().startswith("anonymous") for e in index.entities)


def test_a_later_payment_is_linked_to_its_pledge() -> None:
    index = build_index([
        article("p", "Harriet Quill pledged $2 million.", [
            gift(["Harriet Quill"], "Lakemont Animal Rescue League", 2_000_000, kind="pledge", date="2024-02-15")],
            published="2024-02-15"),
        article("q", "Quill made the final payment on her $2 million gift.", [
            gift(["Harriet Quill"], "Lakemont Animal Rescue League", 2_000_000, date="2025-11")],
            published="2025-11-20"),
    ])
    pledge, payment = group_of(index, "p"), group_of(index, "q")
    assert pledge is not payment and pledge.kind == "pledge"
    assert index.groups[payment.pledge] is pledge


def test_quotes_are_linked_to_the_gift_the_article_ties_them_to() -> None:
    text = ("Ann Lee gave $40,000 to the Westfield Food Bank.\n\n“The $40,000 buys a truck,” Lee said.\n\n"
            "Bo Ray gave $5,000 to Cedar Ridge Hospital.\n\n“Nice weather,” said Cy Tan.")
    index = build_index([article("a", text, [gift(["Ann Lee"], "Westfield Food Bank", 40_000),
                                             gift(["Bo Ray"], "Cedar Ridge Hospital", 5_000)],
                                 [Quote("The $40,000 buys a truck,", ["Ann Lee"]), Quote("Nice weather,", ["Cy Tan"])])])
    assert index.quote_gifts == [("a", 0, 0, "quote states the gift's amount")]


# ---- manual decisions ----------------------------------------------------------------------------------------

def smiths():
    return [article("a", "John Smith gave $5,000 to Cedar Ridge Hospital.",
                    [gift(["John Smith"], "Cedar Ridge Hospital", 5000)]),
            article("b", "“The river rose fast,” said John Smith.", quotes=[Quote("The river rose fast,", ["John Smith"])])]


def test_a_merge_joins_and_a_later_split_separates_again() -> None:
    a, b = node_key("a", "john smith"), node_key("b", "john smith")
    merged = build_index(smiths(), [Decision(1, "merge", [a], [b])])
    assert [e.articles for e in entity_named(merged, "John Smith")] == [["a", "b"]]
    again = build_index(smiths(), [Decision(1, "merge", [a], [b]), Decision(2, "split", [b], [a])])
    assert len(entity_named(again, "John Smith")) == 2


def test_a_split_overrides_automatic_evidence() -> None:
    articles = [article(x, "John Smith gave to Cedar Ridge Hospital.",
                        [gift(["John Smith"], "Cedar Ridge Hospital", 5000, date=d)])
                for x, d in (("a", "2024-01-01"), ("b", "2025-06-01"))]
    assert len(entity_named(build_index(articles), "John Smith")) == 1
    split = build_index(articles, [Decision(1, "split", [node_key("b", "john smith")], [node_key("a", "john smith")])])
    assert len(entity_named(split, "John Smith")) == 2
