"""Validation and normalisation of `oih-intake/1` documents."""

import copy
import math

import pytest

from intake.screening import (
    ALERT_CODES,
    BETWEEN_DOSES,
    BODY_REGIONS,
    DOSE_CHANGES,
    FORMULATIONS,
    MISUSE_SIGNS,
    OPIOID_NAMES,
    PAIN_QUALITIES,
    PAIN_RESPONSES,
    PURPOSES,
    UNITS,
    WITHDRAWAL_SYMPTOMS,
    DocumentError,
    validate_document,
)
from tests.screening.documents import make_document


def with_opioid(**fields):
    opioid = {"name": "morphine", "daily_dose": 30, "unit": "mg/day", **fields}
    return make_document(opioids=[opioid])


def error_for(document):
    with pytest.raises(DocumentError) as caught:
        validate_document(document)
    return caught.value


def test_it_fills_every_missing_optional_key_with_its_default():
    normalised = validate_document({"format": "oih-intake/1"})

    assert normalised == {
        "format": "oih-intake/1",
        "reference": None,
        "opioids": [],
        "currently_taking_opioids": None,
        "months_on_opioids": None,
        "months_since_stopped": None,
        "dose_change_last_6_months": None,
        "weeks_since_last_dose_change": None,
        "pain_when_dose_increased": None,
        "pain_when_dose_decreased": None,
        "pain_between_doses_or_missed_dose": None,
        "withdrawal_symptoms_between_doses": [],
        "pain_score_now": None,
        "pain_score_at_start": None,
        "original_pain_sites": [],
        "current_pain_sites": [],
        "new_pain_qualities": [],
        "new_injury_or_disease_progression": {"present": None, "details": None},
        "signs_of_misuse": [],
        "known_opioid_use_disorder": None,
        "peg": None,
        "change_between_visits": None,
        "other_medicines": [],
        "naloxone_at_home": None,
        "opioid_products": [],
    }


def test_it_normalises_an_opioid_with_purpose_pain_by_default():
    normalised = validate_document(with_opioid(formulation="immediate_release"))

    assert normalised["opioids"] == [
        {
            "name": "morphine",
            "other_name": None,
            "formulation": "immediate_release",
            "daily_dose": 30,
            "unit": "mg/day",
            "purpose": "pain",
        }
    ]


def test_it_drops_extra_keys_at_every_level():
    document = make_document(expected={"oih_level": "flag"}, why="a note")
    document["opioids"][0]["brand"] = "X"
    document["peg"] = {"pain": 5, "enjoyment": 4, "activity": 3, "sleep": 2}
    document["new_injury_or_disease_progression"] = {"present": False, "details": "", "x": 1}

    normalised = validate_document(document)

    assert "expected" not in normalised and "why" not in normalised
    assert "brand" not in normalised["opioids"][0]
    assert normalised["peg"] == {"pain": 5, "enjoyment": 4, "activity": 3}
    assert normalised["new_injury_or_disease_progression"] == {"present": False, "details": ""}


def test_it_removes_duplicate_codes_keeping_the_first_order():
    document = make_document(
        current_pain_sites=["neck", "lower_back", "neck", "upper_back", "lower_back"],
        new_pain_qualities=["burning", "burning", "allodynia"],
        signs_of_misuse=["craving", "craving"],
        withdrawal_symptoms_between_doses=["yawning", "sweating", "yawning"],
    )

    normalised = validate_document(document)

    assert normalised["current_pain_sites"] == ["neck", "lower_back", "upper_back"]
    assert normalised["new_pain_qualities"] == ["burning", "allodynia"]
    assert normalised["signs_of_misuse"] == ["craving"]
    assert normalised["withdrawal_symptoms_between_doses"] == ["yawning", "sweating"]


def test_it_keeps_duplicate_opioids_so_that_none_is_silently_dropped():
    opioid = {"name": "morphine", "daily_dose": 30, "unit": "mg/day"}

    normalised = validate_document(make_document(opioids=[opioid, dict(opioid)]))

    assert len(normalised["opioids"]) == 2


def test_it_does_not_change_the_input_document():
    document = make_document(current_pain_sites=["neck", "neck"])
    before = copy.deepcopy(document)

    validate_document(document)

    assert document == before


@pytest.mark.parametrize(
    "unit",
    ["mg/hr", "mcg/day", "tablets", "MG/DAY"],
)
def test_it_keeps_an_unknown_unit_as_entered(unit):
    normalised = validate_document(with_opioid(unit=unit))

    assert normalised["opioids"][0]["unit"] == unit


@pytest.mark.parametrize(
    ("name", "unit"),
    [("morphine", "mcg/hr"), ("fentanyl", "mg/day"), ("buprenorphine", "mcg/hr")],
)
def test_it_keeps_a_known_unit_that_does_not_fit_the_drug(name, unit):
    normalised = validate_document(with_opioid(name=name, unit=unit))

    assert normalised["opioids"][0]["unit"] == unit


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"format": "oih-intake/2"}, "format"),
        ({"format": None}, "format"),
        ({}, "format"),
        ({"format": "oih-screening/1"}, "format"),
        (make_document(opioids={"name": "morphine"}), "opioids"),
        (make_document(opioids=["morphine"]), "opioids[0]"),
        (with_opioid(name="heroin"), "opioids[0].name"),
        (with_opioid(name=None), "opioids[0].name"),
        (with_opioid(name="Morphine"), "opioids[0].name"),
        (with_opioid(formulation="patch"), "opioids[0].formulation"),
        (with_opioid(purpose="recreation"), "opioids[0].purpose"),
        (with_opioid(unit=None), "opioids[0].unit"),
        (with_opioid(unit="  "), "opioids[0].unit"),
        (with_opioid(unit=5), "opioids[0].unit"),
        (with_opioid(daily_dose=None), "opioids[0].daily_dose"),
        (with_opioid(name="other"), "opioids[0].other_name"),
        (with_opioid(name="other", other_name=" "), "opioids[0].other_name"),
        (with_opioid(name="other", other_name=7), "opioids[0].other_name"),
        (make_document(currently_taking_opioids="yes"), "currently_taking_opioids"),
        (make_document(currently_taking_opioids=1), "currently_taking_opioids"),
        (make_document(known_opioid_use_disorder="no"), "known_opioid_use_disorder"),
        (make_document(dose_change_last_6_months="up"), "dose_change_last_6_months"),
        (make_document(pain_when_dose_increased="much_worse"), "pain_when_dose_increased"),
        (make_document(pain_when_dose_decreased="no_change"), "pain_when_dose_decreased"),
        (
            make_document(pain_between_doses_or_missed_dose="unchanged"),
            "pain_between_doses_or_missed_dose",
        ),
        (
            make_document(withdrawal_symptoms_between_doses=["yawning", "fever"]),
            "withdrawal_symptoms_between_doses[1]",
        ),
        (
            make_document(withdrawal_symptoms_between_doses="yawning"),
            "withdrawal_symptoms_between_doses",
        ),
        (make_document(original_pain_sites=["back"]), "original_pain_sites[0]"),
        (make_document(current_pain_sites=["neck", "left_ear"]), "current_pain_sites[1]"),
        (make_document(current_pain_sites=[None]), "current_pain_sites[0]"),
        (make_document(new_pain_qualities=["throbbing"]), "new_pain_qualities[0]"),
        (make_document(signs_of_misuse=["selling"]), "signs_of_misuse[0]"),
        (
            make_document(new_injury_or_disease_progression=True),
            "new_injury_or_disease_progression",
        ),
        (
            make_document(new_injury_or_disease_progression={"present": "no"}),
            "new_injury_or_disease_progression.present",
        ),
        (
            make_document(new_injury_or_disease_progression={"present": True, "details": 3}),
            "new_injury_or_disease_progression.details",
        ),
        (make_document(peg=[5, 5, 5]), "peg"),
        (make_document(peg={"pain": 11, "enjoyment": 5, "activity": 5}), "peg.pain"),
        (make_document(peg={"pain": 5, "enjoyment": -1, "activity": 5}), "peg.enjoyment"),
        (make_document(peg={"pain": 5, "enjoyment": 5, "activity": 5.5}), "peg.activity"),
        (make_document(reference=12), "reference"),
        (make_document(months_on_opioids="12"), "months_on_opioids"),
        (make_document(weeks_since_last_dose_change=-1), "weeks_since_last_dose_change"),
        (make_document(weeks_since_last_dose_change=5201), "weeks_since_last_dose_change"),
        (make_document(months_since_stopped=1201), "months_since_stopped"),
    ],
)
def test_it_rejects_a_broken_document_naming_the_field(document, field):
    assert error_for(document).field == field


@pytest.mark.parametrize("document", [None, [], "oih-intake/1", 42])
def test_it_rejects_a_document_that_is_not_an_object(document):
    assert error_for(document).field == "document"


@pytest.mark.parametrize(
    ("score", "is_valid"),
    [
        (-1, False),
        (0, True),
        (10, True),
        (11, False),
        (5.0, False),
        (True, False),
        (False, False),
        ("5", False),
        (None, True),
    ],
)
@pytest.mark.parametrize("field", ["pain_score_now", "pain_score_at_start"])
def test_it_accepts_only_whole_pain_scores_from_0_to_10(field, score, is_valid):
    document = make_document(**{field: score})

    if is_valid:
        assert validate_document(document)[field] == score
    else:
        error = error_for(document)
        assert (error.field, error.message) == (field, "must be a whole number from 0 to 10")


@pytest.mark.parametrize(
    ("score", "is_valid"),
    [(-1, False), (0, True), (10, True), (11, False), (True, False), (7.0, False)],
)
@pytest.mark.parametrize("item", ["pain", "enjoyment", "activity"])
def test_it_accepts_only_whole_peg_items_from_0_to_10(item, score, is_valid):
    peg = {"pain": 5, "enjoyment": 5, "activity": 5, item: score}
    document = make_document(peg=peg)

    if is_valid:
        assert validate_document(document)["peg"][item] == score
    else:
        assert error_for(document).field == f"peg.{item}"


@pytest.mark.parametrize(
    ("months", "is_valid"),
    [(-0.1, False), (-1, False), (0, True), (0.5, True), (1200, True), (True, False), (None, True)],
)
@pytest.mark.parametrize("field", ["months_on_opioids", "months_since_stopped"])
def test_it_rejects_negative_months(field, months, is_valid):
    document = make_document(**{field: months})

    if is_valid:
        assert validate_document(document)[field] == months
    else:
        assert error_for(document).field == field


@pytest.mark.parametrize(
    ("dose", "is_valid"),
    [
        (0, False),
        (-1, False),
        (0.1, True),
        (1, True),
        (100000, True),
        (100000.1, False),
        (True, False),
        ("30", False),
        (math.nan, False),
        (math.inf, False),
    ],
)
def test_it_accepts_only_positive_plausible_daily_doses(dose, is_valid):
    document = with_opioid(daily_dose=dose)

    if is_valid:
        assert validate_document(document)["opioids"][0]["daily_dose"] == dose
    else:
        assert error_for(document).field == "opioids[0].daily_dose"


def test_it_names_the_position_of_the_broken_opioid():
    document = make_document(
        opioids=[
            {"name": "morphine", "daily_dose": 30, "unit": "mg/day"},
            {"name": "oxycodone", "daily_dose": -5, "unit": "mg/day"},
        ]
    )

    assert error_for(document).field == "opioids[1].daily_dose"


@pytest.mark.parametrize(("length", "is_valid"), [(2000, True), (2001, False)])
@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda text: make_document(reference=text), "reference"),
        (lambda text: with_opioid(name="other", other_name=text), "opioids[0].other_name"),
        (lambda text: with_opioid(unit=text), "opioids[0].unit"),
        (
            lambda text: make_document(
                new_injury_or_disease_progression={"present": True, "details": text}
            ),
            "new_injury_or_disease_progression.details",
        ),
    ],
)
def test_it_rejects_text_over_2000_characters(build, field, length, is_valid):
    document = build("x" * length)

    if is_valid:
        validate_document(document)
    else:
        error = error_for(document)
        assert (error.field, error.message) == (field, "is longer than 2000 characters")


def test_it_accepts_an_other_opioid_with_its_name():
    normalised = validate_document(with_opioid(name="other", other_name="levorphanol"))

    assert normalised["opioids"][0]["other_name"] == "levorphanol"


def test_the_error_reads_field_then_message_and_is_a_value_error():
    error = error_for(with_opioid(daily_dose=0))

    assert isinstance(error, ValueError)
    assert error.field == "opioids[0].daily_dose"
    assert error.message == "must be a positive number"
    assert str(error) == "opioids[0].daily_dose: must be a positive number"


def test_an_unknown_code_message_names_the_value_and_the_allowed_codes():
    error = error_for(make_document(dose_change_last_6_months="up"))

    assert error.message == (
        "'up' is not one of: increased, decreased, stable, started, stopped, unknown"
    )


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        (UNITS, ("mg/day", "mcg/hr")),
        (PURPOSES, ("pain", "oud_treatment")),
        (PAIN_RESPONSES, ("better", "worse", "unchanged", "not_tried")),
        (BETWEEN_DOSES, ("worse", "no_change", "not_applicable")),
        (DOSE_CHANGES, ("increased", "decreased", "stable", "started", "stopped", "unknown")),
        (
            FORMULATIONS,
            ("immediate_release", "extended_release", "transdermal_patch", "sublingual", "other"),
        ),
        (
            ALERT_CODES,
            (
                "mme_ge_50",
                "mme_ge_90",
                "mme_not_computable",
                "withdrawal_after_dose_cut",
                "withdrawal_symptoms_after_change",
                "misuse_signals",
                "data_quality",
                "over_label_maximum",
                "sedative_with_opioid",
                "gabapentinoid_with_opioid",
                "naloxone_not_at_home",
            ),
        ),
    ],
)
def test_the_small_vocabularies_are_exactly_the_documented_codes(codes, expected):
    assert codes == expected


@pytest.mark.parametrize(
    ("codes", "count"),
    [
        (OPIOID_NAMES, 12),
        (WITHDRAWAL_SYMPTOMS, 9),
        (PAIN_QUALITIES, 7),
        (MISUSE_SIGNS, 7),
        (BODY_REGIONS, 27),
    ],
)
def test_the_long_vocabularies_have_the_documented_number_of_unique_codes(codes, count):
    assert isinstance(codes, tuple)
    assert len(set(codes)) == len(codes) == count


def test_body_regions_run_from_head_to_foot_with_both_sides():
    assert BODY_REGIONS[:3] == ("head", "face", "neck")
    assert BODY_REGIONS[-2:] == ("left_foot", "right_foot")
    for part in ("shoulder", "upper_arm", "forearm", "hand", "hip", "thigh", "knee", "lower_leg"):
        assert f"left_{part}" in BODY_REGIONS and f"right_{part}" in BODY_REGIONS


# Values a JSON parser hands over that Python cannot print or compare as usual ----------------

HUGE_INT = 10**400


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        (
            with_opioid(daily_dose=HUGE_INT),
            "opioids[0].daily_dose",
            "is too large to be a daily dose (over 100000)",
        ),
        (with_opioid(daily_dose=-HUGE_INT), "opioids[0].daily_dose", "must be a positive number"),
        (
            make_document(pain_score_now=HUGE_INT),
            "pain_score_now",
            "must be a whole number from 0 to 10",
        ),
        (
            make_document(weeks_since_last_dose_change=HUGE_INT),
            "weeks_since_last_dose_change",
            "is too large (over 5200)",
        ),
        (
            make_document(dose_change_last_6_months=HUGE_INT),
            "dose_change_last_6_months",
            "a number is not one of: increased, decreased, stable, started, stopped, unknown",
        ),
        (
            make_document(reference="ok\ud800"),
            "reference",
            "contains a character that is not valid text (a lone surrogate)",
        ),
        (
            with_opioid(unit="mg/day\udc80"),
            "opioids[0].unit",
            "contains a character that is not valid text (a lone surrogate)",
        ),
        (
            make_document(pain_when_dose_increased="x" * 5000),
            "pain_when_dose_increased",
            f"'{'x' * 40}...' is not one of: better, worse, unchanged, not_tried",
        ),
        (
            make_document(pain_when_dose_increased={"a": 1}),
            "pain_when_dose_increased",
            "an object is not one of: better, worse, unchanged, not_tried",
        ),
    ],
)
def test_it_names_the_field_of_a_value_python_cannot_print_as_is(document, field, message):
    error = error_for(document)

    assert (error.field, error.message) == (field, message)


def test_it_accepts_text_with_valid_characters_beyond_ascii():
    normalised = validate_document(make_document(reference="Zoë 😀 Ångström"))

    assert normalised["reference"] == "Zoë 😀 Ångström"
