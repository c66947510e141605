"""Products added after a pharmacist's reading of the list: what each is made of, what a day of
it counts as, and that every product converts with the clinic's MME table (oih-facts section 5)
or, for buprenorphine, is never added and never unconvertible (ruling 7)."""

from decimal import Decimal

import pytest

from intake.medicines import (
    NON_OPIOID_INGREDIENTS,
    Schedule,
    all_products,
    check,
    daily_dose,
    describe,
    document_item,
    get_product,
    read_strength,
)
from intake.screening.mme import MME_FACTORS, measure_mme

# oih-facts section 5, as printed there (not read from the code under test).
SECTION_5_FACTORS = {
    "codeine": Decimal("0.15"),
    "tramadol": Decimal("0.2"),
    "tapentadol": Decimal("0.4"),
    "hydrocodone": Decimal("1"),
    "morphine": Decimal("1"),
    "oxycodone": Decimal("1.5"),
    "oxymorphone": Decimal("3"),
    "hydromorphone": Decimal("5"),
    "methadone": Decimal("4.7"),
    "fentanyl": Decimal("2.4"),
}


def strength(product_id, text):
    reading = read_strength(get_product(product_id), text)
    assert reading.problems == ()
    return reading.strength


@pytest.mark.parametrize(
    ("product_id", "ingredients", "labels"),
    [
        ("kadian", ("morphine",), ["10 mg", "20 mg", "30 mg", "50 mg", "100 mg", "200 mg"]),
        ("morphine-er-capsule", ("morphine",), ["10 mg", "30 mg", "60 mg", "100 mg"]),
        ("conzip", ("tramadol",), ["100 mg", "200 mg", "300 mg"]),
        ("lortab-elixir", ("hydrocodone", "acetaminophen"), ["10 mg/300 mg per 15 mL"]),
        ("lorcet", ("hydrocodone", "acetaminophen"), ["5 mg/325 mg", "10 mg/325 mg"]),
        ("percodan", ("oxycodone", "aspirin"), ["4.8355 mg/325 mg"]),
        ("apadaz", ("hydrocodone", "acetaminophen"), ["4.08 mg/325 mg", "8.16 mg/325 mg"]),
        ("seglentis", ("celecoxib", "tramadol"), ["56 mg/44 mg"]),
        ("roxybond", ("oxycodone",), ["5 mg", "15 mg", "30 mg"]),
        ("prolate", ("oxycodone", "acetaminophen"), ["5 mg/300 mg", "10 mg/300 mg"]),
        ("prolate-oral-solution", ("oxycodone", "acetaminophen"), ["10 mg/300 mg per 5 mL"]),
        ("nalocet", ("oxycodone", "acetaminophen"), ["2.5 mg/300 mg"]),
        ("primlev", ("oxycodone", "acetaminophen"), ["7.5 mg/300 mg"]),
        ("qdolo", ("tramadol",), ["5 mg/mL"]),
        (
            "promethazine-codeine",
            ("promethazine", "codeine"),
            ["6.25 mg/10 mg per 5 mL"],
        ),
        ("hydrocodone-homatropine", ("hydrocodone", "homatropine"), ["5 mg/1.5 mg per 5 mL"]),
        ("tussionex", ("hydrocodone", "chlorpheniramine"), ["10 mg/8 mg per 5 mL"]),
        (
            "fioricet-with-codeine",
            ("butalbital", "acetaminophen", "caffeine", "codeine"),
            ["50 mg/300 mg/40 mg/30 mg"],
        ),
        (
            "fiorinal-with-codeine",
            ("butalbital", "aspirin", "caffeine", "codeine"),
            ["50 mg/325 mg/40 mg/30 mg"],
        ),
        ("fentanyl-patch", ("fentanyl",), ["37.5 mcg/hr", "62.5 mcg/hr", "87.5 mcg/hr"]),
        ("methadose-tablet", ("methadone",), ["5 mg", "10 mg"]),
        ("sublocade", ("buprenorphine",), ["100 mg", "300 mg"]),
        ("brixadi", ("buprenorphine",), ["8 mg", "32 mg", "64 mg", "128 mg"]),
    ],
)
def test_the_product_is_listed_with_its_parts_and_strengths(product_id, ingredients, labels):
    product = get_product(product_id)

    assert product.ingredients == ingredients
    assert set(labels) <= {s.label for s in product.strengths}


def test_non_opioid_parts_beyond_acetaminophen_ibuprofen_and_naloxone_are_accepted():
    assert {"aspirin", "butalbital", "caffeine", "promethazine", "celecoxib"} <= set(
        NON_OPIOID_INGREDIENTS
    )


@pytest.mark.parametrize(
    ("product_id", "typed", "schedule", "expected"),
    [
        # Xtampza ER is labelled as oxycodone base: 9 mg is 10 mg of oxycodone hydrochloride,
        # the salt every other oxycodone product (and so the MME factor 1.5) is counted in.
        ("xtampza-er", "36", Schedule.regular(1, 2), "80.00"),
        ("xtampza-er", "9", Schedule.regular(1, 2), "20.00"),
        # Apadaz is benzhydrocodone: 6.12 mg is 7.5 mg of hydrocodone bitartrate (its label).
        ("apadaz", "6.12/325", Schedule.regular(1, 4), "30.00"),
        ("apadaz", "8.16/325", Schedule.regular(2, 3), "60.00"),
        ("percodan", "4.8355/325", Schedule.regular(1, 4), "19.34"),
        ("seglentis", "56/44", Schedule.regular(2, 2), "176.00"),
        ("promethazine-codeine", "6.25/10/5 mL", Schedule.regular(5, 4), "40.00"),
        ("fioricet-with-codeine", "50/300/40/30", Schedule.regular(1, 6), "180.00"),
        ("qdolo", "5 mg/mL", Schedule.regular(10, 4), "200.00"),
        ("methadose-tablet", "10", Schedule.regular(1, 3), "30.00"),
        # A long-acting injection: the dose spread over the days it lasts.
        ("sublocade", "300", Schedule.patch(change_every_days=28), "10.71"),
        ("brixadi", "32", Schedule.patch(change_every_days=7), "4.57"),
    ],
)
def test_a_day_of_the_product(product_id, typed, schedule, expected):
    product = get_product(product_id)

    found = daily_dose(product, strength(product_id, typed), schedule)

    assert found.daily_dose == Decimal(expected)
    assert found.unit == "mg/day"


def test_the_label_maximum_of_xtampza_is_read_in_its_own_base_milligrams():
    product = get_product("xtampza-er")
    capsule = strength("xtampza-er", "36")

    assert check(product, capsule, Schedule.regular(1, 8)) == ()
    assert [p.code for p in check(product, capsule, Schedule.regular(1, 9))] == [
        "above_label_maximum"
    ]


def test_an_injection_is_described_and_stored_with_how_often():
    product = get_product("sublocade")
    schedule = Schedule.patch(change_every_days=28)
    item = document_item(product, strength("sublocade", "300"), schedule)

    assert describe(product, strength("sublocade", "300"), schedule) == (
        "Sublocade 300 mg injection, every 28 days"
    )
    assert item["name"] == "buprenorphine"
    assert item["schedule"] == {"change_every_days": 28}


def first_day(product):
    sold = product.strengths[0]
    if product.is_patch or product.is_injection:
        schedule = Schedule.patch(change_every_days=7)
    else:
        schedule = Schedule.regular(1, 1)
    return document_item(product, sold, schedule)


@pytest.mark.parametrize("product", all_products(), ids=lambda product: product.id)
def test_every_product_converts_with_the_section_5_factor_or_is_buprenorphine(product):
    item = first_day(product)
    measured = measure_mme([item])
    (counted,) = measured["items"]

    if product.opioid == "buprenorphine":
        # Ruling 7: shown, never added, never unconvertible.
        assert (counted["included"], counted["why"]) == (False, "buprenorphine")
        assert measured["total_per_day"] is None
        assert measured["computable"] is True
    else:
        assert counted["included"] is True
        assert Decimal(str(counted["factor"])) == SECTION_5_FACTORS[product.opioid]
        assert MME_FACTORS[product.opioid] == SECTION_5_FACTORS[product.opioid]
