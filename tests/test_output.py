"""What the CLI shows for query rows: a readable table, CSV a spreadsheet can read, JSON Lines for programs."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from giftwatch.output import (DONOR_COLUMNS, GIFT_COLUMNS, QUOTE_COLUMNS, format_amount, render_table, write_csv,
                              write_json)
from giftwatch.records import Article, Gift, Quote
from giftwatch.store import open_store

LONG_PURPOSE = ("to build a children's wing with forty beds, a rooftop garden, a family kitchen and "
                "a teaching lab for nurses")


@pytest.fixture
def rows(tmp_path: Path) -> dict[str, list[dict]]:
    """Rows exactly as the store returns them for two articles."""
    pledge = Article(
        id="herald-7", published="2024-03-02", title="Couple's pledge", text="(text)",
        gifts=[Gift(donors=["Maria Delgado", "Tom Delgado"], recipient="St. Brigid's Children's Hospital",
                    amount=2_500_000, currency="USD", amount_text="$2.5 million", kind="pledge", date="2024-03",
                    purpose=LONG_PURPOSE, evidence="They pledged $2.5 million.")],
        quotes=[Quote(text="It is the least we can do.\nWe owe them everything.", speakers=["Maria Delgado"],
                      speaker_role="donor", cue="said")])
    grant = Article(
        id="gazette-9", published="2023-10-10", text="(text)",
        gifts=[Gift(donors=["Harlow Family Foundation"], recipient="Northside Food Bank", amount=2_000_000,
                    amount_max=3_000_000, currency="GBP", amount_text="£2m to £3m", kind="grant",
                    evidence="A grant of £2m to £3m.")])
    with open_store(tmp_path / "out.db") as store:
        store.add_articles([pledge, grant])
        return {"gifts": store.gifts(), "quotes": store.quotes(), "donors": store.donors()}


def test_amounts_read_like_money() -> None:
    assert format_amount(1_500_000, None, "USD") == "$1,500,000"
    assert format_amount(2_000_000.0, None, "GBP") == "£2,000,000"
    assert format_amount(1_000_000, 2_000_000, "USD") == "$1,000,000–2,000,000"
    assert format_amount(250.5, None, "EUR") == "€250.50"
    assert format_amount(500_000, None, "CHF") == "CHF 500,000"
    assert format_amount(None, None, None) == ""


def test_gift_table_shows_formatted_amounts_joined_donors_and_cut_text(rows) -> None:
    table = render_table(rows["gifts"], GIFT_COLUMNS)
    lines = table.splitlines()
    assert lines[0].split() == list(GIFT_COLUMNS)
    assert set(lines[1]) <= {"-", " "}
    assert len(lines) == 4
    assert "Maria Delgado; Tom Delgado" in lines[2]
    assert "$2,500,000" in lines[2] and "2024-03" in lines[2]
    assert "£2,000,000–3,000,000" in lines[3]
    assert LONG_PURPOSE not in table and "to build a children's wing" in table and "…" in lines[2]
    assert "None" not in table  # the grant's missing date and purpose are blank


def test_table_columns_line_up(rows) -> None:
    lines = render_table(rows["gifts"], GIFT_COLUMNS).splitlines()
    start = lines[0].index("recipient")
    assert lines[2][start:].startswith("St. Brigid's")
    assert lines[3][start:].startswith("Northside Food Bank")


def test_quote_table_keeps_each_row_on_one_line(rows) -> None:
    table = render_table(rows["quotes"], QUOTE_COLUMNS)
    assert table.splitlines()[2].split("  ")[0] == "2024-03-02"
    assert "It is the least we can do. We owe them everything." in table
    assert len(table.splitlines()) == 3


def test_donor_table_shows_totals_per_currency(rows) -> None:
    table = render_table(rows["donors"], DONOR_COLUMNS)
    maria = next(line for line in table.splitlines() if line.startswith("Maria Delgado"))
    assert "$2,500,000" in maria and "St. Brigid's Children's Hospital" in maria
    harlow = next(line for line in table.splitlines() if line.startswith("Harlow Family Foundation"))
    assert "£2,000,000" in harlow and "$" not in harlow


def test_empty_result_is_just_the_header() -> None:
    assert render_table([], QUOTE_COLUMNS).splitlines()[0].split() == list(QUOTE_COLUMNS)


def test_csv_parses_back_with_plain_numbers_and_joined_lists(rows) -> None:
    stream = io.StringIO()
    write_csv(rows["gifts"], GIFT_COLUMNS, stream)
    parsed = list(csv.DictReader(io.StringIO(stream.getvalue())))
    assert len(parsed) == 2
    assert parsed[0]["donors"] == "Maria Delgado; Tom Delgado"
    assert parsed[0]["amount"] == "2500000" and parsed[0]["currency"] == "USD"
    assert parsed[0]["purpose"] == LONG_PURPOSE  # CSV is not cut
    assert parsed[1]["date"] == "" and parsed[1]["recipient"] == "Northside Food Bank"

    stream = io.StringIO()
    write_csv(rows["donors"], DONOR_COLUMNS, stream)
    donors = {row["donor"]: row for row in csv.DictReader(io.StringIO(stream.getvalue()))}
    assert donors["Harlow Family Foundation"]["totals"] == "GBP 2000000"
    assert donors["Harlow Family Foundation"]["total_usd"] == ""
    assert donors["Tom Delgado"]["total_usd"] == "2500000"


def test_json_lines_hold_every_field(rows) -> None:
    stream = io.StringIO()
    write_json(rows["gifts"], stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["donors"] == ["Maria Delgado", "Tom Delgado"]
    assert first["amount"] == 2500000 and isinstance(first["amount"], int)
    assert first["purpose"] == LONG_PURPOSE and first["title"] == "Couple's pledge"
    assert json.loads(lines[1])["amount_max"] == 3000000

    stream = io.StringIO()
    write_json(rows["quotes"], stream)
    assert json.loads(stream.getvalue())["text"] == "It is the least we can do.\nWe owe them everything."
