"""The product list: a data file a pharmacist can review, read and checked as it loads."""

from pathlib import Path

import pytest

import intake.medicines.catalogue as catalogue_module
from intake.medicines import (
    NON_OPIOID_INGREDIENTS,
    OPIOID_INGREDIENTS,
    CatalogueError,
    all_products,
    default_catalogue,
    get_product,
    load_catalogue,
    strengths,
)
from intake.medicines.catalogue import FORMULATIONS as CATALOGUE_FORMULATIONS
from intake.screening import FORMULATIONS, OPIOID_NAMES


def test_its_ingredients_and_formulations_are_the_intake_formats_codes():
    assert OPIOID_INGREDIENTS + ("other",) == OPIOID_NAMES
    assert CATALOGUE_FORMULATIONS == FORMULATIONS
    assert NON_OPIOID_INGREDIENTS == (
        "acetaminophen",
        "ibuprofen",
        "naloxone",
        "aspirin",
        "butalbital",
        "caffeine",
        "promethazine",
        "celecoxib",
        "homatropine",
        "chlorpheniramine",
    )


def test_the_file_names_its_sources_and_review_date():
    metadata = default_catalogue().metadata

    assert metadata["reviewed_on"] == "2026-11-29"
    assert "DailyMed" in metadata["sources"][0]
    assert "RxNorm" in metadata["sources"][1]


def test_it_lists_82_products_and_260_strengths():
    products = all_products()

    assert len(products) == 82
    assert sum(len(product.strengths) for product in products) == 260
    assert len({product.id for product in products}) == 82


def test_every_opioid_of_the_intake_format_has_a_product():
    assert {product.opioid for product in all_products()} == set(OPIOID_INGREDIENTS)


@pytest.mark.parametrize(
    ("product_id", "labels"),
    [
        ("percocet", ["2.5 mg/325 mg", "5 mg/325 mg", "7.5 mg/325 mg", "10 mg/325 mg"]),
        ("norco", ["5 mg/325 mg", "7.5 mg/325 mg", "10 mg/325 mg"]),
        ("tylenol-with-codeine", ["300 mg/30 mg (#3)", "300 mg/60 mg (#4)"]),
        ("ultracet", ["37.5 mg/325 mg"]),
        (
            "duragesic",
            [
                "12 mcg/hr",
                "25 mcg/hr",
                "37.5 mcg/hr",
                "50 mcg/hr",
                "62.5 mcg/hr",
                "75 mcg/hr",
                "87.5 mcg/hr",
                "100 mcg/hr",
            ],
        ),
        ("butrans", ["5 mcg/hr", "7.5 mcg/hr", "10 mcg/hr", "15 mcg/hr", "20 mcg/hr"]),
        ("suboxone", ["2 mg/0.5 mg", "4 mg/1 mg", "8 mg/2 mg", "12 mg/3 mg"]),
        ("belbuca", ["75 mcg", "150 mcg", "300 mcg", "450 mcg", "600 mcg", "750 mcg", "900 mcg"]),
        ("buprenorphine-tablet", ["2 mg", "8 mg"]),
        ("methadone", ["5 mg", "10 mg"]),
        ("methadone-oral-solution", ["5 mg/5 mL", "10 mg/5 mL"]),
        ("oxycodone-oral-solution", ["5 mg/5 mL"]),
        ("oxycodone-oral-concentrate", ["100 mg/5 mL (20 mg/mL)"]),
        ("oxycontin", ["10 mg", "15 mg", "20 mg", "30 mg", "40 mg", "60 mg", "80 mg"]),
        (
            "hydrocodone-acetaminophen-oral-solution",
            ["7.5 mg/325 mg per 15 mL", "10 mg/300 mg per 15 mL", "10 mg/325 mg per 15 mL"],
        ),
    ],
)
def test_strengths_are_labelled_as_on_the_box(product_id, labels):
    assert [strength.display for strength in strengths(get_product(product_id))] == labels


@pytest.mark.parametrize(
    ("product_id", "opioid", "formulation", "ingredients"),
    [
        ("percocet", "oxycodone", "immediate_release", ("oxycodone", "acetaminophen")),
        ("tylenol-with-codeine", "codeine", "immediate_release", ("acetaminophen", "codeine")),
        ("oxycontin", "oxycodone", "extended_release", ("oxycodone",)),
        ("duragesic", "fentanyl", "transdermal_patch", ("fentanyl",)),
        ("suboxone", "buprenorphine", "sublingual", ("buprenorphine", "naloxone")),
        ("belbuca", "buprenorphine", "sublingual", ("buprenorphine",)),
        ("vicoprofen", "hydrocodone", "immediate_release", ("hydrocodone", "ibuprofen")),
    ],
)
def test_each_product_names_its_opioid_and_other_parts(
    product_id, opioid, formulation, ingredients
):
    product = get_product(product_id)

    assert (product.opioid, product.formulation, product.ingredients) == (
        opioid,
        formulation,
        ingredients,
    )


def test_an_unknown_id_is_none():
    assert get_product("no-such-medicine") is None


PRODUCT = """
[[product]]
id = "test"
name = "Test"
generic = "oxycodone and acetaminophen"
form = "tablet"
formulation = "immediate_release"
ingredients = ["oxycodone", "acetaminophen"]
strengths = [{strength}]
"""


@pytest.mark.parametrize(
    ("strength", "message"),
    [
        ('"5 mg"', "needs one amount per ingredient (2)"),
        ('"5 mg/325"', "is not an amount such as '5 mg'"),
        ('"5 mg/325 mcg"', "mixes mg and mcg"),
        ('"5 mg/325 mg per 5 mL"', "only a liquid's strength has mL"),
    ],
)
def test_a_strength_the_loader_cannot_read_is_refused_by_name(tmp_path, strength, message):
    path = tmp_path / "products.toml"
    path.write_text(PRODUCT.format(strength=strength))

    with pytest.raises(CatalogueError) as error:
        load_catalogue(path)

    assert str(error.value).startswith("product test: ")
    assert message in str(error.value)


def test_a_product_without_one_opioid_is_refused(tmp_path):
    path = tmp_path / "products.toml"
    path.write_text(
        PRODUCT.format(strength='"5 mg/325 mg"').replace('"oxycodone", ', '"ibuprofen", ')
    )

    with pytest.raises(CatalogueError, match="needs exactly one opioid ingredient"):
        load_catalogue(path)


def test_the_package_imports_nothing_from_django_or_the_rest_of_intake():
    package = Path(catalogue_module.__file__).parent
    imports = [
        line
        for path in package.glob("*.py")
        for line in path.read_text().splitlines()
        if line.startswith(("import ", "from "))
    ]

    assert imports
    assert [line for line in imports if "django" in line or "intake" in line] == []
