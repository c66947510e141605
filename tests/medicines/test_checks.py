"""Plausibility: kind questions, never a silent store."""

from decimal import Decimal

import pytest

from intake.medicines import Schedule, Strength, check, get_product, read_strength

ABOVE = (
    "That adds up to more {name} in a day than its label usually allows. "
    "Please check the label and how many you take. If it is right, you can say so."
)


def problems(product_id, strength, schedule):
    product = get_product(product_id)
    return check(product, read_strength(product, strength).strength, schedule)


@pytest.mark.parametrize(
    ("product_id", "strength", "schedule"),
    [
        ("percocet", "5/325", Schedule.regular(1, 4)),
        ("percocet", "5/325", Schedule.regular(2, 6)),  # 12 tablets: the label's maximum
        ("norco", "10/325", Schedule.regular(1, 6)),
        ("ultracet", "37.5/325", Schedule.regular(2, 4)),
        ("tramadol", "50", Schedule.regular(2, 4)),  # 400 mg: the label's maximum
        ("duragesic", "100", Schedule.patch(3)),  # no label maximum
        ("butrans", "20", Schedule.patch(7)),
        ("belbuca", "900", Schedule.regular(1, 2)),
        ("suboxone", "12/3", Schedule.regular(2, 1)),
        ("oxycontin", "80", Schedule.regular(2, 3)),  # no ceiling on the label
    ],
)
def test_an_ordinary_entry_raises_no_question(product_id, strength, schedule):
    assert problems(product_id, strength, schedule) == ()


@pytest.mark.parametrize(
    ("product_id", "strength", "schedule", "detail"),
    [
        (
            "percocet",
            "10/325",
            Schedule.regular(1, 8),
            "8 tablets a day, label maximum 6 tablets (Percocet label, Dosage and "
            "Administration: maximal daily dose by strength)",
        ),
        (
            "ultracet",
            "37.5/325",
            Schedule.when_needed(10),
            "10 tablets a day, label maximum 8 tablets (Ultracet label, Dosage and "
            "Administration: not more than 8 tablets a day)",
        ),
        (
            "tramadol",
            "50",
            Schedule.regular(3, 3),
            "tramadol 450 mg/day, label maximum 400 mg/day (Tramadol hydrochloride tablets "
            "label, Dosage and Administration: not more than 400 mg a day)",
        ),
        (
            "nucynta-er",
            "250",
            Schedule.regular(1, 3),
            "tapentadol 750 mg/day, label maximum 500 mg/day (Nucynta ER label, Dosage and "
            "Administration: not more than 500 mg a day)",
        ),
        (
            "butrans",
            "20",
            Schedule.patch(7, patches=2),
            "buprenorphine 40 mcg/hr, label maximum 20 mcg/hr (Butrans label, Dosage and "
            "Administration: do not exceed 20 mcg/hour (QTc prolongation))",
        ),
        (
            "belbuca",
            "900",
            Schedule.regular(1, 3),
            "buprenorphine 2.7 mg/day, label maximum 1.8 mg/day (Belbuca label, Dosage and "
            "Administration: not more than 900 mcg every 12 hours)",
        ),
        (
            "codeine",
            "60",
            Schedule.regular(2, 4),
            "codeine 480 mg/day, label maximum 360 mg/day (Codeine sulfate tablets label, "
            "Dosage and Administration: not more than 360 mg in 24 hours)",
        ),
        # No tablet limit on this label: the acetaminophen limit still applies.
        (
            "hydrocodone-acetaminophen",
            "10/325",
            Schedule.regular(2, 7),
            "acetaminophen 4550 mg a day, limit 4000 mg a day",
        ),
        (
            "hydrocodone-acetaminophen-oral-solution",
            "7.5/325/15 mL",
            Schedule.regular(30, 7),
            "acetaminophen 4550 mg a day, limit 4000 mg a day",
        ),
    ],
)
def test_a_day_above_the_labels_usual_maximum_asks_the_patient_to_check(
    product_id, strength, schedule, detail
):
    name = get_product(product_id).name

    assert [
        (p.code, p.question, p.confirmable, p.detail)
        for p in problems(product_id, strength, schedule)
    ] == [
        (
            "above_label_maximum",
            ABOVE.format(name=name),
            True,
            f"above the label's usual maximum: {detail}",
        )
    ]


def test_a_strength_not_sold_is_a_confirmable_question_beside_the_dose_checks():
    product = get_product("roxicodone")
    typed = Strength("7 mg", (Decimal(7),), "mg")

    found = check(product, typed, Schedule.regular(1, 4))

    assert [(p.code, p.confirmable, p.detail) for p in found] == [
        ("strength_not_sold", True, "strength 7 mg is not on the product list")
    ]


def test_a_dose_that_rounds_to_zero_is_a_question_not_a_stored_zero():
    found = problems("oxycodone-oral-solution", "5 mg/5 mL", Schedule.regular("0.01", "0.1"))

    assert [(p.code, p.confirmable) for p in found] == [("dose_rounds_to_zero", False)]


def test_a_missing_number_of_doses_is_a_question():
    found = problems("percocet", "5/325", Schedule.regular(1, None))

    assert [(p.code, p.question) for p in found] == [
        ("times_per_day_missing", "Please say how many times a day you take it.")
    ]


def test_the_acetaminophen_limit_can_be_given_by_the_caller():
    product = get_product("percocet")
    strength = read_strength(product, "5/325").strength

    found = check(product, strength, Schedule.regular(2, 4), {"acetaminophen": Decimal(2000)})

    assert [p.detail for p in found] == [
        "above the label's usual maximum: acetaminophen 2600 mg a day, limit 2000 mg a day"
    ]
