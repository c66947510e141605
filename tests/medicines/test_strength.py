"""Reading the strength a patient types against the strengths the product is sold in."""

import pytest

from intake.medicines import get_product, read_strength


def read(product_id, typed):
    reading = read_strength(get_product(product_id), typed)
    label = reading.strength.label if reading.strength else None
    return label, [problem.code for problem in reading.problems]


@pytest.mark.parametrize(
    ("product_id", "typed", "label"),
    [
        ("percocet", "5 mg/325 mg", "5 mg/325 mg"),
        ("percocet", "5/325", "5 mg/325 mg"),
        ("percocet", "5-325 MG", "5 mg/325 mg"),
        ("percocet", "325/5", "5 mg/325 mg"),
        # One number: the opioid part of exactly one strength.
        ("percocet", "7.5", "7.5 mg/325 mg"),
        ("norco", "10", "10 mg/325 mg"),
        ("tylenol-with-codeine", "#3", "300 mg/30 mg"),
        ("tylenol-with-codeine", "No. 4", "300 mg/60 mg"),
        ("tylenol-with-codeine", "30", "300 mg/30 mg"),
        ("vicodin", "Vicodin ES", "7.5 mg/300 mg"),
        ("duragesic", "25", "25 mcg/hr"),
        ("duragesic", "25 mcg/hr", "25 mcg/hr"),
        ("butrans", "7.5", "7.5 mcg/hr"),
        ("belbuca", "150", "150 mcg"),
        ("belbuca", "0.15 mg", "150 mcg"),
        ("suboxone", "8/2", "8 mg/2 mg"),
        ("zubsolv", "5.7/1.4", "5.7 mg/1.4 mg"),
        ("oxycodone-oral-solution", "5 mg/5 mL", "5 mg/5 mL"),
        ("oxycodone-oral-solution", "5/5 ml", "5 mg/5 mL"),
        # The same concentration written per mL.
        ("oxycodone-oral-solution", "1 mg/mL", "5 mg/5 mL"),
        ("oxycodone-oral-concentrate", "20 mg/mL", "100 mg/5 mL"),
        ("morphine-oral-solution", "20 mg/5 mL", "20 mg/5 mL"),
        ("morphine-oral-solution", "20 mg/mL", "100 mg/5 mL"),
        ("dilaudid-oral-solution", "5 mg/5 mL", "1 mg/mL"),
        ("hydrocodone-acetaminophen-oral-solution", "7.5/325/15 mL", "7.5 mg/325 mg per 15 mL"),
        ("methadose-oral-concentrate", "10 mg/mL", "10 mg/mL"),
    ],
)
def test_a_strength_on_the_list_is_read_however_it_is_typed(product_id, typed, label):
    assert read(product_id, typed) == (label, [])


def test_325_on_percocet_asks_for_the_strength_on_the_label():
    reading = read_strength(get_product("percocet"), "325")

    assert reading.strength is None
    assert [(p.code, p.question, p.confirmable) for p in reading.problems] == [
        (
            "strength_is_non_opioid_part",
            "325 mg is usually the acetaminophen part of Percocet. Which strength is on the "
            "label? It comes in 2.5 mg/325 mg, 5 mg/325 mg, 7.5 mg/325 mg, 10 mg/325 mg.",
            False,
        )
    ]


@pytest.mark.parametrize(
    ("product_id", "typed", "part"),
    [
        ("norco", "325", "325 mg is usually the acetaminophen part of Norco."),
        ("vicodin", "300", "300 mg is usually the acetaminophen part of Vicodin."),
        ("tylenol-with-codeine", "300", "300 mg is usually the acetaminophen part of Tylenol"),
        ("vicoprofen", "200", "200 mg is usually the ibuprofen part of Vicoprofen."),
        ("ultracet", "325", "325 mg is usually the acetaminophen part of Ultracet."),
    ],
)
def test_a_number_that_is_the_non_opioid_part_is_never_taken_as_the_dose(product_id, typed, part):
    reading = read_strength(get_product(product_id), typed)

    assert reading.strength is None
    assert [p.code for p in reading.problems] == ["strength_is_non_opioid_part"]
    assert reading.problems[0].question.startswith(part)


def test_5325_typed_without_the_slash_suggests_5_mg_325_mg():
    reading = read_strength(get_product("percocet"), "5325")

    assert reading.strength is None
    assert [(p.code, p.question) for p in reading.problems] == [
        (
            "strength_run_together",
            "Did you mean 5 mg/325 mg? Please choose the strength on the label.",
        )
    ]
    assert reading.problems[0].suggestion.label == "5 mg/325 mg"


def test_a_strength_not_sold_is_kept_to_confirm_with_a_question():
    reading = read_strength(get_product("roxicodone"), "7")

    assert reading.strength.label == "7 mg"
    assert [(p.code, p.question, p.confirmable) for p in reading.problems] == [
        (
            "strength_not_sold",
            "Roxicodone is not usually sold as 7 mg. Please check the label. It comes in "
            "5 mg, 15 mg, 30 mg. If the label says 7 mg, you can say so.",
            True,
        )
    ]


@pytest.mark.parametrize(
    ("product_id", "typed", "label", "codes"),
    [
        ("percocet", "6/325", "6 mg/325 mg", ["strength_not_sold"]),
        ("duragesic", "30", "30 mcg/hr", ["strength_not_sold"]),
        ("belbuca", "200", "200 mcg", ["strength_not_sold"]),
        ("oxycodone-oral-solution", "10 mg/5 mL", "10 mg/5 mL", ["strength_not_sold"]),
        ("percocet", "", None, ["strength_missing"]),
        ("percocet", "abc", None, ["strength_unreadable"]),
        ("percocet", "5/325/10", None, ["strength_unreadable"]),
        ("percocet", "6", None, ["strength_incomplete"]),
        # A bare number on a liquid could be per mL or per 5 mL: a 5-fold difference.
        ("morphine-oral-solution", "20", None, ["strength_incomplete"]),
        # 5 mg/300 mg and 5 mg/325 mg are both sold.
        ("hydrocodone-acetaminophen", "5", None, ["strength_ambiguous"]),
        # 2 mg/0.5 mg, or the naloxone part of 8 mg/2 mg.
        ("suboxone", "2", None, ["strength_ambiguous"]),
    ],
)
def test_what_cannot_be_read_as_a_sold_strength_gets_a_question(product_id, typed, label, codes):
    assert read(product_id, typed) == (label, codes)


def test_an_ambiguous_number_names_the_strengths_to_choose_from():
    reading = read_strength(get_product("hydrocodone-acetaminophen"), "5")

    assert reading.problems[0].question == (
        "Which strength is on the label: 5 mg/300 mg or 5 mg/325 mg?"
    )


def test_a_volume_of_zero_is_asked_again_not_divided_by():
    reading = read_strength(get_product("methadose-oral-concentrate"), "10 mg/0 mL")

    assert reading.strength is None
    assert [problem.code for problem in reading.problems] == ["strength_unreadable"]


@pytest.mark.parametrize("typed", ["?", "/", "-", "no", "#"])
def test_a_strength_without_a_number_is_asked_again_never_the_first_one_taken(typed):
    reading = read_strength(get_product("percocet"), typed)

    assert reading.strength is None
    assert [problem.code for problem in reading.problems] == ["strength_unreadable"]


def test_digits_of_other_scripts_are_read_as_digits():
    reading = read_strength(get_product("percocet"), "١٠/٣٢٥")

    assert reading.strength.label == "10 mg/325 mg"
