"""Ruling 19: a benzodiazepine or other sedative (z-drug, barbiturate, muscle relaxant) taken
with opioids raises a `sedative_with_opioid` warning; gabapentin or pregabalin with opioids is
information (`gabapentinoid_with_opioid`). With >= 50 MME/day or a sedative, and no naloxone at
home, a `naloxone_not_at_home` warning. Other medicines never enter MME."""

import pytest

from intake.screening import screen
from intake.screening.other_medicines import gabapentinoids, sedatives
from tests.screening.documents import STOPPED, make_document, morphine, opioid
from tests.screening.results import alert, alert_codes

SEDATIVE = "sedative_with_opioid"
GABAPENTINOID = "gabapentinoid_with_opioid"
NALOXONE = "naloxone_not_at_home"
RULING_19 = (SEDATIVE, GABAPENTINOID, NALOXONE)
XANAX = {"name": "Xanax", "class": "benzodiazepine"}
AMBIEN = {"name": "Ambien", "class": "z_drug"}
BUTALBITAL = {"name": "butalbital", "class": "barbiturate"}
SOMA = {"name": "Soma", "class": "muscle_relaxant"}
GABAPENTIN = {"name": "gabapentin", "class": "gabapentinoid"}
OTHER = {"name": "lisinopril", "class": "other"}


def ruling_19_codes(**overrides):
    return [code for code in alert_codes(screen(make_document(**overrides))) if code in RULING_19]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"other_medicines": [XANAX]}, [SEDATIVE]),
        ({"other_medicines": [AMBIEN]}, [SEDATIVE]),
        ({"other_medicines": [BUTALBITAL]}, [SEDATIVE]),
        ({"other_medicines": [SOMA]}, [SEDATIVE]),
        ({"other_medicines": [GABAPENTIN]}, [GABAPENTINOID]),
        ({"other_medicines": [XANAX, GABAPENTIN]}, [SEDATIVE, GABAPENTINOID]),
        ({"other_medicines": [OTHER]}, []),
        ({"other_medicines": []}, []),
        # Not with opioids: stopped, nothing to combine with.
        ({**STOPPED, "other_medicines": [XANAX, GABAPENTIN]}, []),
        # Current use not answered, opioids listed: they are taken (the safer reading).
        ({"currently_taking_opioids": None, "other_medicines": [XANAX]}, [SEDATIVE]),
        # Buprenorphine counts as an opioid here, though it is never added to MME.
        (
            {
                "opioids": [opioid("buprenorphine", 16, formulation="sublingual")],
                "other_medicines": [XANAX],
            },
            [SEDATIVE],
        ),
    ],
)
def test_a_sedative_with_opioids_warns_and_a_gabapentinoid_informs(overrides, expected):
    assert ruling_19_codes(**overrides) == expected


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # 30 MME/day, no sedative: no naloxone warning whatever the answer.
        ({"naloxone_at_home": False}, []),
        # >= 50 MME/day (exact sum, both sides of the boundary).
        ({"opioids": morphine(49.9), "naloxone_at_home": False}, []),
        ({"opioids": morphine(50), "naloxone_at_home": False}, [NALOXONE]),
        ({"opioids": morphine(50), "naloxone_at_home": True}, []),
        # "Not sure" and "not asked" are both null: no alert, the intake page shows the answer.
        ({"opioids": morphine(50), "naloxone_at_home": None}, []),
        # A sedative at a low dose.
        ({"other_medicines": [XANAX], "naloxone_at_home": False}, [SEDATIVE, NALOXONE]),
        ({"other_medicines": [XANAX], "naloxone_at_home": True}, [SEDATIVE]),
        # A gabapentinoid is not a sedative for this rule.
        ({"other_medicines": [GABAPENTIN], "naloxone_at_home": False}, [GABAPENTINOID]),
        # A lower bound of 50 counts (ruling 8).
        (
            {
                "opioids": morphine(50) + [opioid("other", 10, other_name="kratom")],
                "naloxone_at_home": False,
            },
            [NALOXONE],
        ),
        # Stopped: nothing to protect against now.
        ({**STOPPED, "opioids": morphine(120), "naloxone_at_home": False}, []),
    ],
)
def test_no_naloxone_at_home_warns_with_50_mme_or_a_sedative(overrides, expected):
    assert ruling_19_codes(**overrides) == expected


def test_the_sedative_warning_names_the_medicines_and_the_opioids():
    result = screen(make_document(other_medicines=[XANAX, SOMA, GABAPENTIN]))

    assert alert(result, SEDATIVE) == {
        "code": SEDATIVE,
        "indicator": "warning",
        "summary": "Takes Xanax (benzodiazepine) and Soma (muscle relaxant) with opioids: higher "
        "risk of overdose and slowed breathing; review the combination.",
        "source": "CDC 2022 Recommendation 11; FDA 2016 boxed warning, opioids with "
        "benzodiazepines; oih-facts ruling 19",
        "evidence": {
            "other_medicines": ["Xanax (benzodiazepine)", "Soma (muscle relaxant)"],
            "opioids": ["morphine 30 mg/day"],
        },
    }
    assert alert(result, GABAPENTINOID)["indicator"] == "info"


def test_the_naloxone_warning_says_why_naloxone_is_needed():
    result = screen(
        make_document(opioids=morphine(60), other_medicines=[XANAX], naloxone_at_home=False)
    )

    assert alert(result, NALOXONE) == {
        "code": NALOXONE,
        "indicator": "warning",
        "summary": "No naloxone at home with 60.0 MME/day and a sedative with opioids: "
        "offer naloxone.",
        "source": "CDC 2022 Recommendation 8; oih-facts ruling 19",
        "evidence": {
            "naloxone_at_home": False,
            "mme_per_day": "60.0",
            "other_medicines": ["Xanax (benzodiazepine)"],
        },
    }


def test_other_medicines_never_enter_mme():
    result = screen(make_document(other_medicines=[XANAX, GABAPENTIN, OTHER]))

    assert result["mme"]["total_per_day"] == 30.0
    assert result["mme"]["computable"] is True
    assert [item["name"] for item in result["mme"]["items"]] == ["morphine"]


@pytest.mark.parametrize(
    ("other_medicines", "field"),
    [
        ([{"class": "benzodiazepine"}], "other_medicines[0].name"),
        ([{"name": " ", "class": "benzodiazepine"}], "other_medicines[0].name"),
        ([{"name": "Xanax"}], "other_medicines[0].class"),
        ([{"name": "Xanax", "class": "opioid"}], "other_medicines[0].class"),
        (["Xanax"], "other_medicines[0]"),
        ("Xanax", "other_medicines"),
    ],
)
def test_a_broken_other_medicine_is_refused_naming_the_field(other_medicines, field):
    from intake.screening import DocumentError, validate_document

    with pytest.raises(DocumentError) as caught:
        validate_document(make_document(other_medicines=other_medicines))

    assert caught.value.field == field


def test_naloxone_at_home_must_be_true_false_or_null():
    from intake.screening import DocumentError, validate_document

    with pytest.raises(DocumentError) as caught:
        validate_document(make_document(naloxone_at_home="no"))

    assert caught.value.field == "naloxone_at_home"


def test_a_name_with_its_own_brackets_keeps_one_pair():
    doc = make_document(
        other_medicines=[
            {"name": "Gabapentin (Neurontin)", "class": "gabapentinoid"},
            {"name": "Klonopin (clonazepam)", "class": "benzodiazepine"},
        ]
    )
    assert gabapentinoids(doc) == ["Gabapentin (Neurontin; gabapentinoid)"]
    assert sedatives(doc) == ["Klonopin (clonazepam; benzodiazepine)"]
