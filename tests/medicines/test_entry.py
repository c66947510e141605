"""The medicine as the patient entered it, and as an oih-intake/1 item."""

from decimal import Decimal

import pytest

from intake.medicines import (
    DoseError,
    Schedule,
    describe,
    document_item,
    get_product,
    read_strength,
    unlisted_item,
)
from intake.screening import compute_mme, validate_document
from tests.screening.documents import make_document


def entry(product_id, strength):
    product = get_product(product_id)
    return product, read_strength(product, strength).strength


@pytest.mark.parametrize(
    ("product_id", "strength", "schedule", "text"),
    [
        (
            "percocet",
            "5/325",
            Schedule.regular(1, 4),
            "Percocet 5 mg/325 mg, 1 tablet 4 times a day",
        ),
        ("norco", "10/325", Schedule.regular(2, 2), "Norco 10 mg/325 mg, 2 tablets twice a day"),
        ("oxycontin", "20", Schedule.regular(1, 1), "OxyContin 20 mg, 1 tablet once a day"),
        ("dilaudid", "2", Schedule.regular("0.5", 3), "Dilaudid 2 mg, 0.5 tablets 3 times a day"),
        (
            "tylenol-with-codeine",
            "#3",
            Schedule.regular(1, 4),
            "Tylenol with Codeine 300 mg/30 mg (#3), 1 tablet 4 times a day",
        ),
        (
            "percocet",
            "5/325",
            Schedule.when_needed(6),
            "Percocet 5 mg/325 mg, as needed, up to 6 tablets a day",
        ),
        (
            "percocet",
            "5/325",
            Schedule.when_needed(6, amount=1),
            "Percocet 5 mg/325 mg, 1 tablet as needed, up to 6 tablets a day",
        ),
        (
            "duragesic",
            "25",
            Schedule.patch(change_every_days=3),
            "Duragesic 25 mcg/hr patch, changed every 3 days",
        ),
        (
            "butrans",
            "10",
            Schedule.patch(change_every_days=7),
            "Butrans 10 mcg/hr patch, changed every 7 days",
        ),
        ("duragesic", "25", Schedule.patch(), "Duragesic 25 mcg/hr patch"),
        (
            "duragesic",
            "50",
            Schedule.patch(change_every_days=3, patches=2),
            "Duragesic 50 mcg/hr, 2 patches at a time, changed every 3 days",
        ),
        ("suboxone", "8/2", Schedule.regular(1, 2), "Suboxone 8 mg/2 mg, 1 film twice a day"),
        (
            "oxycodone-oral-solution",
            "5/5 mL",
            Schedule.regular(10, 4),
            "Oxycodone oral solution 5 mg/5 mL, 10 mL 4 times a day",
        ),
    ],
)
def test_it_is_described_as_entered(product_id, strength, schedule, text):
    product, sold = entry(product_id, strength)

    assert describe(product, sold, schedule) == text


def test_percocet_5_325_four_a_day_is_oxycodone_20_mg_a_day_and_30_mme():
    product, strength = entry("percocet", "5/325")

    item = document_item(product, strength, Schedule.regular(1, 4))

    assert item == {
        "name": "oxycodone",
        "formulation": "immediate_release",
        "daily_dose": 20,
        "unit": "mg/day",
        "product": "percocet",
        "product_name": "Percocet",
        "strength": "5 mg/325 mg",
        "schedule": {"amount": 1, "times_per_day": 4, "amount_unit": "tablet"},
        # 4 x 325 mg: summed across products by the rules (ruling 18).
        "non_opioid_parts": [{"name": "acetaminophen", "daily_dose": 1300, "unit": "mg/day"}],
    }
    assert compute_mme([item])["total_per_day"] == 30.0


def test_a_fentanyl_25_patch_is_25_mcg_per_hour_and_60_mme():
    product, strength = entry("duragesic", "25")

    item = document_item(product, strength, Schedule.patch(change_every_days=3))

    assert item == {
        "name": "fentanyl",
        "formulation": "transdermal_patch",
        "daily_dose": 25,
        "unit": "mcg/hr",
        "product": "duragesic",
        "product_name": "Duragesic",
        "strength": "25 mcg/hr",
        "schedule": {"patches": 1, "change_every_days": 3},
    }
    assert compute_mme([item])["total_per_day"] == 60.0


def test_a_buprenorphine_film_item_carries_its_purpose_and_a_fractional_dose():
    product, strength = entry("belbuca", "150")

    item = document_item(product, strength, Schedule.when_needed(2, amount=1), purpose="pain")

    assert item == {
        "name": "buprenorphine",
        "formulation": "sublingual",
        "daily_dose": 0.3,
        "unit": "mg/day",
        "product": "belbuca",
        "product_name": "Belbuca",
        "strength": "150 mcg",
        "schedule": {"amount": 1, "as_needed": True, "up_to_per_day": 2, "amount_unit": "film"},
        "purpose": "pain",
    }


def test_the_items_pass_the_intake_documents_validation():
    percocet = document_item(*entry("percocet", "5/325"), Schedule.regular(1, 4))
    patch = document_item(*entry("duragesic", "25"), Schedule.patch(3))
    other = {**unlisted_item("Kadian", "30 mg"), "daily_dose": 60, "unit": "mg/day"}

    validated = validate_document(make_document(opioids=[percocet, patch, other]))

    assert [(o["name"], o["daily_dose"], o["unit"]) for o in validated["opioids"]] == [
        ("oxycodone", 20, "mg/day"),
        ("fentanyl", 25, "mcg/hr"),
        ("other", 60, "mg/day"),
    ]


def test_a_name_not_on_the_list_is_kept_as_typed():
    assert unlisted_item("  Kadian   ER ", " 30  mg ") == {
        "name": "other",
        "other_name": "Kadian ER",
        "formulation": "other",
        "strength": "30 mg",
    }


def test_a_blank_name_is_an_error():
    with pytest.raises(DoseError) as error:
        unlisted_item("   ")

    assert (error.value.code, error.value.message) == (
        "name_missing",
        "Please type the name of the medicine.",
    )


def test_the_daily_dose_in_the_item_is_the_rounded_decimal_as_a_json_number():
    product, strength = entry("hydrocodone-acetaminophen-oral-solution", "10/325/15 mL")

    item = document_item(product, strength, Schedule.regular(5, 1))

    assert item["daily_dose"] == 3.33
    assert Decimal(str(item["daily_dose"])) == Decimal("3.33")
