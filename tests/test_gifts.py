"""Gift extraction on invented press-release wording: the patterns real releases use, and non-gifts."""
from __future__ import annotations

import pytest

from giftwatch import extract

PUBLISHED = "2025-03-04"


def gifts_of(text: str, published: str = PUBLISHED):
    # The same path as giftwatch.extract(); called through the pipeline because once the
    # giftwatch.extractors subpackage is imported, the name giftwatch.extractors means the package.
    return extract(text, published=published).gifts


def only_gift(text: str, published: str = PUBLISHED):
    gifts = gifts_of(text, published)
    assert len(gifts) == 1, [(g.donors, g.recipient, g.amount) for g in gifts]
    return gifts[0]


def test_subject_reached_through_proud_to_donate():
    gift = only_gift("Marrow Lane Bakery and Quillfeather Press are proud to donate $6,250 to the Harbor Literacy Fund "
                     "as part of a joint campaign.")
    named = " ".join(gift.donors)   # both companies are named as givers
    assert "Marrow Lane Bakery" in named and "Quillfeather Press" in named
    assert gift.recipient == "Harbor Literacy Fund"
    assert gift.amount == 6250
    assert gift.kind == "donation"
    assert gift.date is None   # nothing in the text says when


def test_dateline_is_not_a_donor_and_its_date_is_not_the_gift_date():
    gift = only_gift("PORTLAND, OR, March 4, 2025 /24-7PressRelease/ -- Ridgeway Tile Company is donating $12,000 "
                     "to the Cascade Food Pantry to restock its shelves.")
    assert gift.donors == ["Ridgeway Tile Company"]
    assert gift.recipient == "Cascade Food Pantry"
    assert gift.amount == 12000
    assert gift.date is None


def test_donating_after_by_takes_the_clause_subject():
    gift = only_gift("In 2023, the Brightwater Rotary Club marked its centennial by donating $4,000 to the Elm Street "
                     "Animal Shelter.")
    assert gift.donors == ["Brightwater Rotary Club"]
    assert gift.recipient == "Elm Street Animal Shelter"
    assert gift.date == "2023"


def test_thanks_to_a_gift_from_names_the_clause_subject_as_recipient():
    gift = only_gift("The Tamsin Valley Conservancy announced today that it has bought the Larkspur Meadow thanks to a "
                     "$3 million gift from Olwen Systems, a software maker.")
    assert gift.donors == ["Olwen Systems"]
    assert gift.recipient == "Tamsin Valley Conservancy"
    assert gift.amount == 3_000_000
    assert gift.date == PUBLISHED   # "today" is the published date


def test_grateful_to_donor_for_a_donation():
    gift = only_gift("The Pinecrest Youth Orchestra is grateful to the Halvorsen Foundation for a recent donation of "
                     "$8,500.")
    assert gift.donors == ["Halvorsen Foundation"]
    assert gift.recipient == "Pinecrest Youth Orchestra"
    assert gift.amount == 8500


def test_launch_with_a_donation_takes_the_launcher_as_donor():
    gift = only_gift("Corbel Roofing has launched its new Raise the Roof program with a $2,000 donation to "
                     "A Home For Every Vet Foundation.")
    assert gift.donors == ["Corbel Roofing"]
    assert gift.recipient == "A Home For Every Vet Foundation"
    assert gift.amount == 2000


def test_the_donation_in_a_later_sentence_gives_the_amount():
    gift = only_gift("The Brennan Music School received a generous donation from Tollard Instruments this spring. "
                     "The $41,500 donation equals a year of profits from its student violin line.")
    assert gift.donors == ["Tollard Instruments"]
    assert gift.recipient == "Brennan Music School"
    assert gift.amount == 41500


def test_grant_awarded_by_foundation_to_grantee():
    gift = only_gift("Families across Ohio will gain access to dental care thanks to a $90,000 Smile Grant awarded by "
                     "the Corwin Health Foundation to the Lakeshore Free Clinic.")
    assert gift.donors == ["Corwin Health Foundation"]
    assert gift.recipient == "Lakeshore Free Clinic"
    assert gift.kind == "grant"


def test_titled_person_keeps_only_the_name_and_couples_share_a_surname():
    gift = only_gift("Philanthropist Marguerite Olsson has donated $5 million to Fenwick College.")
    assert gift.donors == ["Marguerite Olsson"]
    couple = only_gift("The Hollis Children's Museum opened a new wing thanks to a $750,000 gift from Dario and "
                       "Lucia Brandt.")
    assert couple.donors == ["Dario Brandt", "Lucia Brandt"]
    assert couple.recipient == "Hollis Children's Museum"


def test_list_of_recipients_without_amounts_is_one_gift_each():
    gifts = gifts_of("Over the years, the Garnet Auto Group has made charitable contributions to the Marlow Children's "
                     "Hospital Foundation and the Seaside Humane Society.")
    assert sorted(g.recipient for g in gifts) == ["Marlow Children's Hospital Foundation", "Seaside Humane Society"]
    assert all(g.donors == ["Garnet Auto Group"] and g.amount is None for g in gifts)


def test_since_a_year_the_sum_given_is_a_running_total():
    gifts = gifts_of("Ines Carvalho gave $200,000 to the Rowan Hospice in May. Since 2012, she has given $1.1 million "
                     "to the hospice.")
    assert [g.amount for g in gifts] == [200000]


def test_lifetime_totals_are_not_gifts():
    assert gifts_of("Since its founding in 1998, the Wexley Foundation has granted $40 million to arts groups.") == []


def test_previous_gift_of_the_same_amount_stays_separate():
    gifts = gifts_of("Orla Fenn has made a $1 million gift to the Dunmore Clinic. Her previous $1 million gift in 2019 "
                     "to the Dunmore Clinic established a chair in cardiology.")
    assert sorted((g.date or "") for g in gifts) == ["", "2019"]


def test_second_in_kind_gift_is_not_merged_into_the_cash_gift():
    gifts = gifts_of("Brisk Linen Services is donating $15,000 to the Riverbend Relief Fund. They are also providing "
                     "300 hygiene kits for the Riverbend Relief Fund to hand out.")
    kinds = sorted(g.kind for g in gifts)
    assert kinds == ["donation", "in-kind"]


def test_in_honor_of_stops_at_credentials():
    gift = only_gift("Made in honor of Lena Rusk, MD, chief of pediatrics, the $250,000 gift from Caleb Ormond to "
                     "Westfield Hospital will fund a new playroom.")
    assert gift.in_name_of == ["Lena Rusk"]


@pytest.mark.parametrize("text", [
    "Garrow Holdings gave $5,000 to the re-election campaign of Senator Ana Pruitt.",
    "The school won a $2.4 million federal grant from the National Teacher Program to train aides.",
    "The spring gala raised $2 million for the Lindell Arts Center.",
    "Dr. Imani Roe received $100,000 in prize money as winner of the Castell Prize for chemistry.",
    "Northfield Bank purchased the Alder Building for $3 million from the city.",
])
def test_non_gifts_produce_nothing(text):
    assert gifts_of(text) == []


# --- couples, families, lists, passives, kinds and dates (issue 3) ----------------------------------------------

def test_spouse_named_in_apposition_takes_the_family_name():
    gift = only_gift("Retired surgeon Okonkwo Adeyemi, who trained at the hospital in the 1970s, and his wife, Funmi, "
                     "have given $4 million to the Harbourside Cancer Institute.")
    assert gift.donors == ["Okonkwo Adeyemi", "Funmi Adeyemi"]
    assert gift.recipient == "Harbourside Cancer Institute"


def test_list_of_gifts_gives_one_record_per_giver_and_no_total():
    text = ("The Wrenfield Arts Center has received $7 million for its new stage: $5 million from the Halloran "
            "Foundation and $2 million from Petra and Jonas Vail. The center announced both gifts on Tuesday.")
    gifts = sorted(gifts_of(text, "2025-06-12"), key=lambda g: g.amount)
    assert [(g.amount, g.recipient) for g in gifts] == [(2_000_000, "Wrenfield Arts Center"),
                                                       (5_000_000, "Wrenfield Arts Center")]
    assert gifts[0].donors == ["Petra Vail", "Jonas Vail"]
    assert gifts[1].donors == ["Halloran Foundation"]
    assert {g.date for g in gifts} == {"2025-06-10"}   # the Tuesday before publication


def test_bracketed_amounts_after_a_total_are_the_gifts():
    text = ("The Tidewater Guild is pleased to announce donations totaling $9,000 to three local groups. Members "
            "chose Lantern House ($4,000), Quarry Hill Food Pantry ($3,000) and Bright Paws Rescue ($2,000) as "
            "recipients.")
    gifts = gifts_of(text)
    assert sorted((g.recipient, g.amount) for g in gifts) == [
        ("Bright Paws Rescue", 2000), ("Lantern House", 4000), ("Quarry Hill Food Pantry", 3000)]
    assert all(g.donors == ["Tidewater Guild"] for g in gifts)


def test_passive_with_anonymous_giver_and_misplaced_to():
    gift = only_gift("$1.4 million was donated by an anonymous graduate to the Marston Institute of Design, the "
                     "institute said.")
    assert gift.donors == ["anonymous"]
    assert gift.recipient == "Marston Institute of Design"
    assert gift.amount == 1_400_000


def test_given_with_the_recipient_as_first_object_and_a_range():
    gift = only_gift("An anonymous family has given the Carrow Valley Hospice between $250,000 and $500,000, its "
                     "director said.")
    assert gift.donors == ["anonymous"]
    assert gift.recipient == "Carrow Valley Hospice"
    assert (gift.amount, gift.amount_max) == (250_000, 500_000)


def test_match_every_dollar_up_to_a_cap():
    gift = only_gift("The Fenwick Trust will match every dollar given to the Alder Creek Children's Choir before "
                     "June 30, up to $75,000, the choir said on Monday.", "2025-05-07")
    assert gift.donors == ["Fenwick Trust"]
    assert gift.recipient == "Alder Creek Children's Choir"
    assert (gift.amount, gift.kind) == (75_000, "matching")
    assert gift.date == "2025-05-05"   # the announcement, not the deadline


def test_goods_with_a_stated_value_are_in_kind():
    gift = only_gift("Kestova Robotics donated twelve classroom 3D printers, valued at $48,000, to the Millhaven "
                     "Public Library last week.", "2025-10-15")
    assert (gift.amount, gift.kind) == (48_000, "in-kind")
    assert gift.recipient == "Millhaven Public Library"


def test_donated_land_is_in_kind_without_an_amount():
    gift = only_gift("Odile and Bram Vasquez donated their 60-acre walnut grove to the Sierra Foothills Land Trust.")
    assert gift.donors == ["Odile Vasquez", "Bram Vasquez"]
    assert (gift.amount, gift.kind) == (None, "in-kind")


def test_bequest_dated_by_its_disclosure_in_a_later_sentence():
    gift = only_gift("The late Theodora Quill, a ferry captain, left $900,000 to the Brindle Point Lighthouse Society "
                     "in her will. The society disclosed the bequest last month.", "2025-03-07")
    assert gift.donors == ["Theodora Quill"]
    assert (gift.kind, gift.date) == ("bequest", "2025-02")


def test_an_older_gift_keeps_its_own_year():
    text = ("Nils and Ebba Hallberg have given $6 million to the Tern Island Aquarium. The gift follows a donation of "
            "$2 million that the Hallbergs made to the Tern Island Aquarium in 2018.")
    dates = {g.amount: g.date for g in gifts_of(text)}
    assert dates == {6_000_000: None, 2_000_000: "2018"}


def test_who_announces_a_commitment_is_not_its_giver():
    gift = only_gift("Copperline Credit Union will give $40,000 a year for three years to the Eastgate Reading "
                     "Corps. Branch manager Tessa Hurd announced the commitment at a breakfast.")
    assert gift.donors == ["Copperline Credit Union"]
    assert (gift.amount, gift.kind) == (120_000, "pledge")


def test_a_named_family_and_a_seven_figure_gift():
    gift = only_gift("A seven-figure gift from the Marchetti family to the Riverbend Children's Museum will pay for "
                     "a new science wing.")
    assert gift.donors == ["Marchetti family"]
    assert (gift.amount, gift.amount_max) == (1_000_000, 9_999_999)


def test_name_with_particles_and_a_place_after_it():
    gift = only_gift("The Sauveterre Foundation has awarded a €200,000 grant to the Musée des Lanternes in Marseille.")
    assert gift.recipient == "Musée des Lanternes"
    assert (gift.currency, gift.kind) == ("EUR", "grant")


def test_gift_without_a_recipient_in_its_sentence_goes_to_the_one_just_named():
    text = ("Harwick Hospice received $500,000 from the Delaune Foundation in March. This year the Saltmarsh "
            "Rotary Club added a $60,000 gift for the hospice's garden.")
    gifts = {g.amount: g for g in gifts_of(text, "2025-09-01")}
    assert gifts[60_000].donors == ["Saltmarsh Rotary Club"]
    assert gifts[60_000].recipient == "Harwick Hospice"


@pytest.mark.parametrize("text", [
    "Developer Simon Achter gave $3,000 to the Ramos for Mayor committee in April.",
    "Orchard Capital donated $250,000 to the inaugural committee of Governor-elect Dana Pruett.",
    "Since the program's inception in 2012, Fairlane Motors has contributed more than $2 million to the Tri-Valley "
    "Heart Fund.",
])
def test_political_money_and_lifetime_totals_are_not_gifts(text):
    assert gifts_of(text) == []


# --- round 3: recipients and givers told in context ------------------------------------------------------


def test_long_recipient_list_in_an_about_section_is_one_gift_each_from_the_company():
    text = ("Harlow Marine Supply Opens Third Store\n\nHarlow Marine Supply opened its third store on Friday.\n\n"
            "About Harlow Marine Supply\n\n"
            "Founded by Edwin Harlow, Harlow Marine Supply owns Seaside Boats, Tern Point Chandlery and Gull Harbor "
            "Outfitters. The company's goal is to be the coast's most trusted marine retailer. It is also known for "
            "its community work. Over the past 20 years, it has made charitable contributions to the Bayside "
            "Children's Hospital Foundation, the Animal Rescue League of Tillman County, Pinecrest Winter Coat Drive, "
            "Coastal Radio's Families First Holiday Program, and the Lighthouse Literacy Council.")
    gifts = gifts_of(text)
    assert {g.recipient for g in gifts} == {
        "Bayside Children's Hospital Foundation", "Animal Rescue League of Tillman County",
        "Pinecrest Winter Coat Drive", "Coastal Radio's Families First Holiday Program", "Lighthouse Literacy Council"}
    # "it" is the company the section is about, not the dealership named last
    assert all(g.donors == ["Harlow Marine Supply"] and g.amount is None for g in gifts)


def test_funding_from_a_list_of_foundations_goes_to_the_organisation_the_article_is_about():
    text = ("The Ridgeview Land Trust announced today that it has bought the 4,000-acre Alder Creek parcel thanks to "
            "a $6 million gift from Corliss Analytics. The Ridgeview Land Trust will open the land to hikers next "
            "year. Initial funding for the purchase came from the Maplestone Foundation, the Quill Family Foundation, "
            "and other donors.")
    gifts = {g.donors[0]: g for g in gifts_of(text)}
    assert set(gifts) == {"Corliss Analytics", "Maplestone Foundation", "Quill Family Foundation"}
    assert all(g.recipient == "Ridgeview Land Trust" for g in gifts.values())
    assert (gifts["Maplestone Foundation"].amount, gifts["Maplestone Foundation"].kind) == (None, "grant")


def test_her_is_not_the_man_named_last():
    text = ("Philanthropist Ingrid Lindqvist has donated $5 million to Alder State University. Martin Okafor, the "
            "university's provost, said the gift would fund scholarships. \"It changes what we can offer,\" he said. "
            "Her earlier gift of $1 million to the Alder Valley Food Bank came in 2021.")
    earlier = next(g for g in gifts_of(text) if g.amount == 1_000_000)
    assert earlier.donors == ["Ingrid Lindqvist"]
    assert (earlier.recipient, earlier.date) == ("Alder Valley Food Bank", "2021")


def test_generous_support_names_the_giver_and_his_contribution_the_amount():
    gift = only_gift("The Kestrel Valley Food Bank is honored by the generous support of chef Marco Bellini. His "
                     "contribution of $250,000 will stock the pantry's shelves through the winter.")
    assert gift.donors == ["Marco Bellini"]
    assert (gift.recipient, gift.amount) == ("Kestrel Valley Food Bank", 250_000)


def test_announced_grant_from_a_company_and_a_series_of_donations_from_others():
    text = ("The Harbor History Project is proud to announce its first grant of $15,000 from Tidewater Grocers. "
            "Executive director Lena Morrow noted that this grant, the latest in a series of donations from "
            "companies including Norvale Software, Brightwell Airlines, and Castine Pharmaceuticals, shows growing "
            "support for the Harbor History Project.")
    gifts = {g.donors[0]: g for g in gifts_of(text)}
    assert set(gifts) == {"Tidewater Grocers", "Norvale Software", "Brightwell Airlines", "Castine Pharmaceuticals"}
    assert all(g.recipient == "Harbor History Project" for g in gifts.values())
    assert (gifts["Tidewater Grocers"].amount, gifts["Tidewater Grocers"].kind) == (15_000, "grant")
    assert gifts["Norvale Software"].amount is None


def test_team_of_a_named_school_receives_for_the_school():
    gift = only_gift("Copperline Outfitters marked its anniversary with a $20,000 donation to the Marlow High School "
                     "girls soccer program.")
    assert (gift.donors, gift.recipient, gift.amount) == (["Copperline Outfitters"], "Marlow High School", 20_000)


def test_previous_gift_after_a_lifetime_total_is_a_gift_of_its_own():
    text = ("Dana Whitcomb has made a $3 million gift to the Ferris Museum of Art. This latest gift brings her total "
            "contributions to the Ferris Museum of Art to $6 million. Her previous $3 million gift in 2018 endowed "
            "a curator's chair.")
    gifts = sorted(gifts_of(text, "2025-06-01"), key=lambda g: g.date or "")
    assert [(g.amount, g.date) for g in gifts] == [(3_000_000, None), (3_000_000, "2018")]
    assert all(g.recipient == "Ferris Museum of Art" and g.donors == ["Dana Whitcomb"] for g in gifts)


def test_first_gift_commitment_and_estate_pledge_are_three_gifts():
    text = ("Philanthropists Nora and Eli Ostrander were honored at the Greyfield Animal Shelter gala. From their "
            "first $2,000 gift in 2009 to their $1 million commitment to expand the Greyfield Animal Shelter's "
            "clinic, the Ostranders have been steadfast friends of animals. They have also pledged a portion of "
            "their estate to the Greyfield Animal Shelter.")
    gifts = sorted(gifts_of(text), key=lambda g: g.amount or 0)
    assert [(g.amount, g.kind) for g in gifts] == [(None, "bequest"), (2_000, "donation"), (1_000_000, "pledge")]
    assert all(g.recipient == "Greyfield Animal Shelter" and "Ostrander" in g.donors[0] for g in gifts)
    assert gifts[1].date == "2009"


@pytest.mark.parametrize("text", [
    "The Elmwood Arts Council thanked Mayor Rita Vance for her support of the new mural program.",
    "The Dunmore Foundation provides funding for hundreds of nonprofits across the state.",
    "Velo Bank announced its sponsorship of the Elmwood Marathon. Velo Bank is based in Elmwood.",
    "The Tarrow Youth Orchestra is grateful for the generous support of its families. The Tarrow Youth Orchestra "
    "will perform on Saturday.",
    "Since beginning its grantmaking in 2009, the Orwell Trust has committed more than $2 billion for a wide range "
    "of charitable purposes. The Orwell Trust is based in Denver.",
])
def test_support_sponsorship_and_grantmaking_totals_are_not_gifts(text):
    assert gifts_of(text) == []
