"""The daily opioid dose from what the patient says: the opioid part only, in Decimal."""

from decimal import Decimal

import pytest

from intake.medicines import DoseError, OpioidDose, Schedule, daily_dose, get_product
from intake.medicines import read_strength as _read


def dose(product_id, strength, schedule):
    product = get_product(product_id)
    return daily_dose(product, _read(product, strength).strength, schedule)


@pytest.mark.parametrize(
    ("product_id", "strength", "schedule", "expected"),
    [
        # Only the opioid part counts: oxycodone 5 mg x 1 x 4.
        ("percocet", "5/325", Schedule.regular(1, 4), ("oxycodone", "20.00", "mg/day")),
        ("percocet", "10/325", Schedule.regular(2, 3), ("oxycodone", "60.00", "mg/day")),
        ("norco", "7.5/325", Schedule.regular("1.5", 4), ("hydrocodone", "45.00", "mg/day")),
        ("tylenol-with-codeine", "#3", Schedule.regular(2, 4), ("codeine", "240.00", "mg/day")),
        ("ultracet", "37.5/325", Schedule.regular(2, 4), ("tramadol", "300.00", "mg/day")),
        ("oxycontin", "20", Schedule.regular(1, 2), ("oxycodone", "40.00", "mg/day")),
        ("ms-contin", "30", Schedule.regular(1, 3), ("morphine", "90.00", "mg/day")),
        ("dilaudid", "2", Schedule.regular("0.5", 6), ("hydromorphone", "6.00", "mg/day")),
        ("methadone", "10", Schedule.regular(1, 3), ("methadone", "30.00", "mg/day")),
        ("suboxone", "8/2", Schedule.regular(2, 1), ("buprenorphine", "16.00", "mg/day")),
        ("zubsolv", "5.7/1.4", Schedule.regular(1, 1), ("buprenorphine", "5.70", "mg/day")),
        # Belbuca is in mcg; the intake's unit is mg/day.
        ("belbuca", "150", Schedule.regular(1, 2), ("buprenorphine", "0.30", "mg/day")),
        ("belbuca", "75", Schedule.regular(1, 1), ("buprenorphine", "0.08", "mg/day")),
        # "As needed, up to N a day": the most in a day.
        ("percocet", "5/325", Schedule.when_needed(6), ("oxycodone", "30.00", "mg/day")),
        ("tramadol", "50", Schedule.when_needed(8, amount=2), ("tramadol", "400.00", "mg/day")),
    ],
)
def test_tablets_and_films_are_strength_times_number_times_doses(
    product_id, strength, schedule, expected
):
    name, amount, unit = expected
    product = get_product(product_id)

    assert dose(product_id, strength, schedule) == OpioidDose(
        name, product.formulation, Decimal(amount), unit
    )


@pytest.mark.parametrize(
    ("product_id", "strength", "ml", "times", "expected"),
    [
        ("oxycodone-oral-solution", "5 mg/5 mL", 10, 4, "40.00"),
        ("oxycodone-oral-concentrate", "100 mg/5 mL", "0.25", 4, "20.00"),
        ("morphine-oral-solution", "10 mg/5 mL", "7.5", 6, "90.00"),
        ("methadose-oral-concentrate", "10 mg/mL", 8, 1, "80.00"),
        ("methadone-oral-solution", "10 mg/5 mL", 5, 2, "20.00"),
        ("dilaudid-oral-solution", "1 mg/mL", 2, 4, "8.00"),
        # 7.5 mg per 15 mL: 15 mL four times a day, the acetaminophen not counted.
        ("hydrocodone-acetaminophen-oral-solution", "7.5/325/15 mL", 15, 4, "30.00"),
        # 10 mg per 15 mL: 5 mL three times a day is exactly 10 mg, not 9.99.
        ("hydrocodone-acetaminophen-oral-solution", "10/325/15 mL", 5, 3, "10.00"),
        ("hydrocodone-acetaminophen-oral-solution", "10/325/15 mL", 5, 1, "3.33"),
        ("acetaminophen-codeine-oral-solution", "120/12/5 mL", 10, 4, "96.00"),
    ],
)
def test_a_liquid_is_ml_per_dose_times_mg_per_ml(product_id, strength, ml, times, expected):
    assert dose(product_id, strength, Schedule.regular(ml, times)).daily_dose == Decimal(expected)


@pytest.mark.parametrize(
    ("product_id", "strength", "schedule", "expected"),
    [
        ("duragesic", "25", Schedule.patch(change_every_days=3), ("fentanyl", "25.00")),
        ("duragesic", "12", Schedule.patch(change_every_days=2), ("fentanyl", "12.00")),
        ("fentanyl-patch", "50", Schedule.patch(), ("fentanyl", "50.00")),
        ("duragesic", "37.5", Schedule.patch(3, patches=2), ("fentanyl", "75.00")),
        ("butrans", "10", Schedule.patch(change_every_days=7), ("buprenorphine", "10.00")),
    ],
)
def test_a_patch_is_its_mcg_per_hour_however_often_it_is_changed(
    product_id, strength, schedule, expected
):
    name, amount = expected

    assert dose(product_id, strength, schedule) == OpioidDose(
        name, "transdermal_patch", Decimal(amount), "mcg/hr"
    )


def test_changing_a_patch_more_or_less_often_does_not_change_its_dose():
    doses = {
        dose("duragesic", "25", Schedule.patch(change_every_days=days)).daily_dose
        for days in (2, 3, 7)
    }

    assert doses == {Decimal("25.00")}


def test_a_dose_that_rounds_to_zero_is_an_error_not_zero():
    with pytest.raises(DoseError) as error:
        dose("oxycodone-oral-solution", "5 mg/5 mL", Schedule.regular("0.01", "0.1"))

    assert error.value.code == "dose_rounds_to_zero"
    assert error.value.message == (
        "That is too small to be a day's dose. Please check the amount and how often."
    )


def test_the_smallest_dose_that_does_not_round_to_zero_is_kept():
    # 0.005 mg/day rounds half up to 0.01.
    kept = dose("oxycodone-oral-solution", "5 mg/5 mL", Schedule.regular("0.005", 1))

    assert kept.daily_dose == Decimal("0.01")


@pytest.mark.parametrize(
    ("schedule", "code"),
    [
        (Schedule.regular(None, 4), "amount_missing"),
        (Schedule.regular(1, None), "times_per_day_missing"),
        (Schedule.regular(0, 4), "amount_not_positive"),
        (Schedule.regular(1, -2), "times_per_day_not_positive"),
        (Schedule.regular(1, 25), "too_many_times"),
        (Schedule.when_needed(None), "up_to_per_day_missing"),
        (Schedule.when_needed(0), "up_to_per_day_not_positive"),
    ],
)
def test_a_schedule_that_gives_no_daily_dose_is_an_error_with_a_code(schedule, code):
    with pytest.raises(DoseError) as error:
        dose("percocet", "5/325", schedule)

    assert error.value.code == code


def test_a_patch_with_times_a_day_is_an_error():
    with pytest.raises(DoseError) as error:
        dose("duragesic", "25", Schedule.regular(1, 3))

    assert error.value.code == "schedule_not_for_patch"


def test_text_that_is_not_a_number_is_an_error():
    with pytest.raises(DoseError) as error:
        Schedule.regular("one", 4)

    assert error.value.code == "not_a_number"
