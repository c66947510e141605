"""Comparison with the same patient's previous intake."""

import pytest

from intake.screening import DocumentError, screen


def make_document(**overrides):
    document = {
        "format": "oih-intake/1",
        "opioids": [{"name": "oxycodone", "daily_dose": 40, "unit": "mg/day"}],
        "currently_taking_opioids": True,
        "months_on_opioids": 24,
        "dose_change_last_6_months": "stable",
        "pain_when_dose_increased": "not_tried",
        "pain_when_dose_decreased": "not_tried",
        "pain_score_now": 6,
        "pain_score_at_start": 7,
        "original_pain_sites": ["lower_back"],
        "current_pain_sites": ["lower_back"],
        "new_injury_or_disease_progression": {"present": False, "details": ""},
        "peg": {"pain": 6, "enjoyment": 5, "activity": 5},
    }
    document.update(overrides)
    return document


def reason_codes(result):
    return [reason["code"] for reason in result["oih"]["reasons"]]


def test_it_adds_no_comparison_without_a_previous_visit():
    assert "comparison" not in screen(make_document())


def test_it_compares_pain_peg_mme_and_regions_with_the_previous_visit():
    previous = make_document(
        current_pain_sites=["lower_back", "neck"],
        pain_score_now=5,
        peg={"pain": 5, "enjoyment": 4, "activity": 4},
        opioids=[{"name": "oxycodone", "daily_dose": 30, "unit": "mg/day"}],
    )
    document = make_document(
        current_pain_sites=["lower_back", "left_hip", "neck", "right_hip"],
        pain_score_now=7,
        peg={"pain": 7, "enjoyment": 6, "activity": 6},
    )

    result = screen(document, previous=previous)

    assert result["comparison"] == {
        "mme_change": 15.0,
        "new_regions_since_last_visit": ["left_hip", "right_hip"],
        "pain_change": 2,
        "peg_change": 2.0,
    }


def test_it_rounds_the_peg_change_to_one_decimal():
    previous = make_document(peg={"pain": 6, "enjoyment": 5, "activity": 5})
    document = make_document(peg={"pain": 6, "enjoyment": 5, "activity": 4})

    assert screen(document, previous=previous)["comparison"]["peg_change"] == -0.3


@pytest.mark.parametrize(
    ("previous_overrides", "overrides", "field"),
    [
        ({"pain_score_now": None}, {}, "pain_change"),
        ({}, {"pain_score_now": None}, "pain_change"),
        ({"peg": None}, {}, "peg_change"),
        ({}, {"peg": {"pain": 6, "enjoyment": 5}}, "peg_change"),
        (
            {"opioids": [{"name": "buprenorphine", "daily_dose": 8, "unit": "mg/day"}]},
            {},
            "mme_change",
        ),
        ({}, {"opioids": [{"name": "morphine", "daily_dose": 10, "unit": "mcg/hr"}]}, "mme_change"),
    ],
)
def test_a_change_is_none_when_either_visit_lacks_the_value(previous_overrides, overrides, field):
    result = screen(make_document(**overrides), previous=make_document(**previous_overrides))

    assert result["comparison"][field] is None


def test_it_counts_the_mme_of_a_patient_who_stopped_as_zero():
    previous = make_document()
    document = make_document(currently_taking_opioids=False, opioids=[], months_since_stopped=2)

    assert screen(document, previous=previous)["comparison"]["mme_change"] == -60.0


def test_it_counts_regions_new_since_the_last_visit_as_spread_when_original_sites_are_unknown():
    previous = make_document(original_pain_sites=[], current_pain_sites=["lower_back"])
    document = make_document(original_pain_sites=[], current_pain_sites=["lower_back", "neck"])

    without_previous = screen(document)
    with_previous = screen(document, previous=previous)

    assert "pain_spread" not in reason_codes(without_previous)
    spread = with_previous["oih"]["reasons"][0]
    assert spread["code"] == "pain_spread"
    assert spread["evidence"] == {
        "current_pain_sites": ["lower_back", "neck"],
        "new_regions_since_last_visit": ["neck"],
        "original_pain_sites": [],
    }
    assert spread["summary"] == "Pain has spread to 1 body region since the last visit (minor m1)."


def test_it_adds_the_new_regions_to_the_spread_evidence():
    previous = make_document(current_pain_sites=["lower_back", "neck"])
    document = make_document(current_pain_sites=["lower_back", "neck", "left_thigh"])

    spread = screen(document, previous=previous)["oih"]["reasons"][0]

    assert spread["evidence"]["new_regions_since_last_visit"] == ["left_thigh"]
    assert (
        spread["summary"] == "Pain has spread to 2 body regions beyond where it started (minor m1)."
    )


def test_it_flags_when_a_worse_dose_response_comes_with_spread_since_the_last_visit():
    previous = make_document(original_pain_sites=[], current_pain_sites=["lower_back"])
    document = make_document(
        original_pain_sites=[],
        current_pain_sites=["lower_back", "neck", "upper_back"],
        pain_when_dose_increased="worse",
        pain_score_now=8,
    )

    assert screen(document)["oih"]["level"] == "borderline"
    assert screen(document, previous=previous)["oih"]["level"] == "flag"


def test_pain_returning_at_an_original_site_is_not_spread():
    previous = make_document(
        original_pain_sites=["lower_back", "neck"], current_pain_sites=["lower_back"]
    )
    document = make_document(
        original_pain_sites=["lower_back", "neck"], current_pain_sites=["lower_back", "neck"]
    )

    result = screen(document, previous=previous)

    assert result["comparison"]["new_regions_since_last_visit"] == ["neck"]
    assert "pain_spread" not in reason_codes(result)


def test_a_previous_visit_without_pain_sites_adds_no_spread():
    previous = make_document(original_pain_sites=[], current_pain_sites=[])
    document = make_document(original_pain_sites=[], current_pain_sites=["lower_back", "neck"])

    result = screen(document, previous=previous)

    assert result["comparison"]["new_regions_since_last_visit"] == ["lower_back", "neck"]
    assert "pain_spread" not in reason_codes(result)


@pytest.mark.parametrize(
    ("previous", "field"),
    [
        ({"format": "oih-intake/0"}, "previous.format"),
        (make_document(pain_score_now=12), "previous.pain_score_now"),
        ("not a document", "previous.document"),
    ],
)
def test_it_rejects_an_invalid_previous_visit_naming_the_field(previous, field):
    with pytest.raises(DocumentError) as caught:
        screen(make_document(), previous=previous)

    assert caught.value.field == field
