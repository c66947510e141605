"""Ruling 18: the daily amount of one ingredient summed over every product, above its US label
maximum (acetaminophen 4,000 mg; tramadol 400 mg; tapentadol IR 600 mg, ER 500 mg), raises an
`over_label_maximum` warning naming the ingredient, the products and the sum. It never touches
MME."""

import pytest

from intake.medicines import Schedule, document_item, get_product, read_strength
from intake.screening import screen
from tests.screening.documents import STOPPED, make_document, opioid
from tests.screening.results import alert, alert_codes

CODE = "over_label_maximum"


def taken(product_id, strength, tablets_a_day):
    """The oih-intake/1 item the medicine step writes for so many tablets a day."""
    product = get_product(product_id)
    chosen = read_strength(product, strength).strength
    return document_item(product, chosen, Schedule.regular(1, tablets_a_day))


def percocet(tablets):
    return taken("percocet", "10 mg/325 mg", tablets)


def norco(tablets):
    return taken("norco", "10 mg/325 mg", tablets)


def over(result):
    return [code for code in alert_codes(result) if code == CODE]


@pytest.mark.parametrize(
    ("opioids", "expected"),
    [
        # Acetaminophen: 1,950 + 1,950 = 3,900 mg, under; one tablet more is 4,225 mg, over.
        ([percocet(6), norco(6)], []),
        ([percocet(6), norco(7)], [CODE]),
        # One product alone above the limit: Norco 10/325 x13 = 4,225 mg.
        ([norco(13)], [CODE]),
        # Tramadol: Ultracet 8 a day (300 mg) + tramadol ER 100 = 400 mg, at the maximum.
        ([taken("ultracet", "37.5 mg/325 mg", 8), taken("tramadol-er", "100 mg", 1)], []),
        (
            [
                taken("ultracet", "37.5 mg/325 mg", 8),
                taken("tramadol-er", "100 mg", 1),
                taken("tramadol", "50 mg", 1),
            ],
            [CODE],
        ),
        # Tramadol entered without a product counts too.
        ([opioid("tramadol", 400, formulation="immediate_release")], []),
        ([opioid("tramadol", 450, formulation="immediate_release")], [CODE]),
        # Tapentadol IR: 600 mg is the maximum; ER: 500 mg.
        ([taken("nucynta", "100 mg", 6)], []),
        ([taken("nucynta", "100 mg", 7)], [CODE]),
        ([taken("nucynta-er", "250 mg", 2)], []),
        ([opioid("tapentadol", 550, formulation="extended_release")], [CODE]),
        # IR and ER together are held to the ER maximum (the safer reading).
        ([taken("nucynta-er", "250 mg", 2), taken("nucynta", "50 mg", 1)], [CODE]),
        # No label maximum for oxycodone here: a high dose is the MME alerts' business.
        ([opioid("oxycodone", 300, formulation="immediate_release")], []),
    ],
)
def test_it_warns_when_one_ingredient_summed_over_the_products_passes_its_maximum(
    opioids, expected
):
    assert over(screen(make_document(opioids=opioids))) == expected


def test_the_warning_names_the_ingredient_the_products_and_the_sum():
    result = screen(make_document(opioids=[percocet(6), norco(7)]))

    assert alert(result, CODE) == {
        "code": CODE,
        "indicator": "warning",
        "summary": "Acetaminophen 4,225 mg/day (Percocet 10 mg/325 mg + Norco 10 mg/325 mg), "
        "above its 4,000 mg/day label maximum.",
        "source": "US prescribing information (DailyMed): FDA acetaminophen limit for "
        "prescription combinations; Ultram, Nucynta and Nucynta ER labels; oih-facts ruling 18",
        "evidence": {
            "acetaminophen": {
                "mg_per_day": 4225,
                "label_maximum_mg_per_day": 4000,
                "products": ["Percocet 10 mg/325 mg: 1,950 mg", "Norco 10 mg/325 mg: 2,275 mg"],
            }
        },
    }


def test_two_ingredients_over_their_maxima_are_named_in_one_short_warning():
    # Ultracet 13 a day: 487.5 mg tramadol and 4,225 mg acetaminophen. The products move to
    # the evidence, so that the summary stays under 140 characters.
    found = alert(screen(make_document(opioids=[taken("ultracet", "37.5 mg/325 mg", 13)])), CODE)

    assert found["summary"] == (
        "Acetaminophen 4,225 mg/day, above its 4,000 mg/day label maximum; tramadol 487.5 "
        "mg/day, above its 400 mg/day label maximum."
    )
    assert found["evidence"]["tramadol"] == {
        "mg_per_day": 487.5,
        "label_maximum_mg_per_day": 400,
        "products": ["Ultracet 37.5 mg/325 mg: 487.5 mg"],
    }


def test_it_never_changes_the_mme_total():
    result = screen(make_document(opioids=[percocet(6), norco(7)]))

    assert (result["mme"]["total_per_day"], result["mme"]["computable"]) == (160.0, True)


def test_past_opioids_of_someone_who_stopped_are_not_summed():
    document = make_document(**{**STOPPED, "opioids": [percocet(6), norco(7)]})

    assert over(screen(document)) == []


def test_an_item_in_a_unit_that_does_not_fit_is_left_out_of_the_sum():
    item = {**opioid("tramadol", 500, "tablets"), "formulation": "immediate_release"}

    assert over(screen(make_document(opioids=[item]))) == []


def test_a_normalised_document_screened_again_keeps_the_products():
    # The one write path screens the normalised copy: the products must survive it.
    from intake.screening import validate_document

    normalised = validate_document(make_document(opioids=[percocet(6), norco(7)]))

    assert over(screen(normalised)) == [CODE]
    assert validate_document(normalised) == normalised


def test_the_parts_a_document_gives_are_summed_without_the_product_list():
    # A document from another system: the acetaminophen part is given, no product id.
    item = {
        **opioid("oxycodone", 60, formulation="immediate_release"),
        "non_opioid_parts": [{"name": "acetaminophen", "daily_dose": 2275, "unit": "mg/day"}],
    }

    result = screen(make_document(opioids=[item, percocet(6)]))

    assert alert(result, CODE)["evidence"]["acetaminophen"]["products"] == [
        "oxycodone 60 mg/day: 2,275 mg",
        "Percocet 10 mg/325 mg: 1,950 mg",
    ]
